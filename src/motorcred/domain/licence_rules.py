"""Rule figures for driving licences, as dated data (MPS Orders No. 162 and 163).

A change of regulation is a new ``LicenceRules`` value, not an edit of code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final


@dataclass(frozen=True)
class LicenceRules:
    in_force_from: date
    source: str
    validity_years: tuple[int | None, ...]
    """Successive validity periods; ``None`` is long-term (长期)."""
    renewal_window_days: int
    points_limit: int
    probation_months: int
    probation_extension_classes: frozenset[str]
    """Holders of these classes with points in the extension band get one more year."""
    probation_extension_points: tuple[int, int]
    """Inclusive band of cycle points that extends probation (6..11)."""
    probation_extension_months: int
    exam_every_cycle_classes: frozenset[str]
    exam_every_year_from_age: int
    exam_every_three_cycles_classes: frozenset[str]
    exam_submit_within_days: int
    """The medical certificate is due this many days after the cycle it covers ends."""
    large_vehicle_max_age: int
    """Age from which large-vehicle classes may no longer be driven (then downgraded)."""


ORDER_162: Final = LicenceRules(
    in_force_from=date(2022, 4, 1),
    source="MPS Order No. 162 (2021) arts. 25, 67, 73, 74; Order No. 163 (2021) on points",
    validity_years=(6, 10, None),
    renewal_window_days=90,
    points_limit=12,
    probation_months=12,
    probation_extension_classes=frozenset({"A1", "A2", "A3", "B1", "B2"}),
    probation_extension_points=(6, 11),
    probation_extension_months=12,
    exam_every_cycle_classes=frozenset({"A1", "A2", "A3", "B1", "B2", "N", "P"}),
    exam_every_year_from_age=70,
    exam_every_three_cycles_classes=frozenset({"C5"}),
    exam_submit_within_days=30,
    # Order 162 art. 76 as amended: large-vehicle classes end at 63 (previously 60). The
    # extension to 66 mentioned in public reporting is not modelled.
    large_vehicle_max_age=63,
)

RULES: Final = ORDER_162
