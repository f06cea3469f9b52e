"""Fixtures for the signing service: a keystore with an IACA and a current DS key,
and a container on the database under test with a clock the test sets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from signing_fixtures import Clock, Pki
from sqlalchemy import Engine

from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def signing_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"status_list_size": 64, "public_base_url": "https://status.motorcred.invalid"}
    )


@pytest.fixture
def container(clean_db: Engine, signing_settings: Settings, clock: Clock) -> Iterator[Container]:
    built = build_container(signing_settings, clock=clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def pki(container: Container) -> Pki:
    return Pki(container.keystore)
