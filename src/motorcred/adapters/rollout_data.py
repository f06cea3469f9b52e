"""Load the rollout calendar shipped as package data (``motorcred/data/cities.json``)."""

from __future__ import annotations

import json
from importlib import resources

from motorcred.domain.rollout import RolloutCalendar, parse_rollout_calendar

BUNDLED_CALENDAR = "cities.json"


def load_bundled_calendar() -> RolloutCalendar:
    raw = resources.files("motorcred").joinpath("data", BUNDLED_CALENDAR).read_bytes()
    return parse_rollout_calendar(json.loads(raw.decode("utf-8")))
