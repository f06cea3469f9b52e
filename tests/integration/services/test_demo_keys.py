"""The demo profile can sign from its first start: a demo IACA and DS key are created once."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from motorcred.adapters.keystore import FileKeystore
from motorcred.formats.trust_list import load_trust_list
from motorcred.services.demo_keys import ensure_demo_keys
from motorcred.services.trust_list import TrustListService

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_demo_keys_are_created_once_and_can_sign(tmp_path: Path) -> None:
    keystore = FileKeystore.in_data_dir(tmp_path)
    created = ensure_demo_keys(keystore, "cn", NOW)
    assert created is not None
    assert keystore.issuers() == ["cn"]
    assert keystore.current_key_id("cn") == created.key_id
    signer = keystore.signer("cn", now=NOW)
    assert signer.key_id == created.key_id
    assert stat.S_IMODE(created.iaca_key_path.stat().st_mode) == 0o600

    assert ensure_demo_keys(keystore, "cn", NOW) is None
    assert [entry.key_id for entry in keystore.keys("cn")] == [created.key_id]


def test_demo_keys_make_the_trust_list_publishable(tmp_path: Path) -> None:
    keystore = FileKeystore.in_data_dir(tmp_path)
    ensure_demo_keys(keystore, "cn", NOW)
    published = TrustListService(keystore, lambda: NOW).publish()
    trust_list = load_trust_list(published.data, anchors=keystore.trust_anchors())
    assert trust_list.time_problem(NOW) is None
    assert len(trust_list.iaca) == 1 and len(trust_list.ds) == 1
