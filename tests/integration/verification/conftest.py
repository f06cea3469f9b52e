"""Fixtures for the verification tests (defined in ``verification_fixtures``)."""

from __future__ import annotations

from verification_fixtures import client, clock, container, holder, police, rental

__all__ = ["client", "clock", "container", "holder", "police", "rental"]
