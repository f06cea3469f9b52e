"""The hash-chained audit log: every kind of tampering is found and named."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.domain.audit_chain import (
    GENESIS_HASH,
    AuditEntry,
    ChainAnchor,
    ChainedEntry,
    append,
    link_hash,
    verify_chain,
)
from motorcred.errors import InvalidInput

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
KEY = bytes(range(32))


def entry(number: int, **overrides: object) -> AuditEntry:
    seq = number
    values: dict[str, object] = {
        "seq": seq,
        "at": T0 + timedelta(minutes=seq),
        "actor": f"org:rental-{seq % 3}",
        "role": "rental",
        "purpose": "car rental contract",
        "action": "online_check",
        "subject_ref": hashlib.sha256(f"holder-{seq % 4}".encode()).digest(),
        "fields_seen": ("family_name", "document_number", "driving_privileges"),
    }
    values.update(overrides)
    return AuditEntry(**values)  # type: ignore[arg-type]


def build(n: int, key: bytes | None = None) -> list[ChainedEntry]:
    chain: list[ChainedEntry] = []
    for seq in range(1, n + 1):
        chain.append(append(chain[-1] if chain else None, entry(seq), key=key))
    return chain


def code_of(chain: list[ChainedEntry], **kwargs: object) -> str | None:
    report = verify_chain(chain, **kwargs)  # type: ignore[arg-type]
    return None if report.problem is None else report.problem.code


def test_intact_chain_verifies_and_reports_its_head() -> None:
    chain = build(6)
    report = verify_chain(chain)
    assert report.valid and report.checked == 6
    assert report.head == chain[-1].hash
    assert chain[0].prev_hash == GENESIS_HASH


def test_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    first = build(1)[0]
    assert first.hash == hashlib.sha256(GENESIS_HASH + first.entry.canonical()).digest()
    text = first.entry.canonical().decode()
    assert text.startswith('{"action":"online_check","actor":"org:rental-1","at":"2026-05-01T08:01')
    assert "holder" not in text  # the subject only appears as its blind index


def test_empty_chain_is_valid_with_the_genesis_head() -> None:
    report = verify_chain([])
    assert report.valid and report.head == GENESIS_HASH


def test_edited_entry_is_altered() -> None:
    chain = build(5)
    edited = dataclasses.replace(chain[2].entry, purpose="just curious")
    chain[2] = dataclasses.replace(chain[2], entry=edited)
    report = verify_chain(chain)
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq, report.problem.position) == (
        "AUDIT_ENTRY_ALTERED",
        3,
        2,
    )
    assert report.checked == 2


def test_edited_fields_seen_is_altered() -> None:
    chain = build(3)
    edited = dataclasses.replace(chain[1].entry, fields_seen=("family_name",))
    chain[1] = dataclasses.replace(chain[1], entry=edited)
    assert code_of(chain) == "AUDIT_ENTRY_ALTERED"


def test_edited_entry_with_recomputed_hash_breaks_the_next_link() -> None:
    chain = build(4)
    edited = dataclasses.replace(chain[1].entry, actor="org:someone-else")
    chain[1] = ChainedEntry(edited, chain[1].prev_hash, link_hash(chain[1].prev_hash, edited))
    report = verify_chain(chain)
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("AUDIT_CHAIN_BROKEN", 3)


def test_deleted_entry_in_the_middle() -> None:
    chain = build(5)
    del chain[2]
    report = verify_chain(chain)
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("AUDIT_ENTRY_DELETED", 4)
    assert "3" in report.problem.message


def test_deleted_first_entry() -> None:
    chain = build(3)[1:]
    assert code_of(chain) == "AUDIT_ENTRY_DELETED"


def test_deleted_last_entry_needs_an_anchor() -> None:
    chain = build(5)
    anchor = ChainAnchor(5, chain[-1].hash)
    assert code_of(chain[:-1]) is None  # nothing in the log itself shows it
    assert code_of(chain[:-1], anchors=[anchor]) == "AUDIT_CHAIN_TRUNCATED"
    assert code_of(chain, anchors=[anchor]) is None


def test_reordered_entries() -> None:
    chain = build(5)
    chain[1], chain[2] = chain[2], chain[1]
    report = verify_chain(chain)
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("AUDIT_ENTRY_REORDERED", 3)


def test_entry_moved_to_the_end_is_reordered() -> None:
    chain = build(5)
    chain.append(chain.pop(1))
    assert code_of(chain) == "AUDIT_ENTRY_REORDERED"


def test_inserted_entry_unkeyed() -> None:
    # Without a key an intruder can compute a valid link for a forged entry …
    chain = build(4)
    forged = entry(3, actor="org:intruder")
    chain.insert(2, ChainedEntry(forged, chain[1].hash, link_hash(chain[1].hash, forged)))
    report = verify_chain(chain)
    # … but the genuine entry that follows no longer fits.
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("AUDIT_ENTRY_INSERTED", 3)


def test_inserted_entry_keyed_is_caught_at_the_forgery() -> None:
    chain = build(4, key=KEY)
    forged = entry(3, actor="org:intruder")
    chain.insert(2, ChainedEntry(forged, chain[1].hash, link_hash(chain[1].hash, forged)))
    report = verify_chain(chain, key=KEY)
    assert report.problem is not None
    assert (report.problem.code, report.problem.position) == ("AUDIT_ENTRY_INSERTED", 2)


def test_rewritten_unkeyed_chain_is_caught_by_an_anchor() -> None:
    chain = build(4)
    anchor = ChainAnchor(2, chain[1].hash)
    rebuilt: list[ChainedEntry] = [chain[0]]
    for seq in range(2, 5):
        rebuilt.append(append(rebuilt[-1], entry(seq, purpose="rewritten")))
    assert code_of(rebuilt) is None  # self-consistent …
    assert code_of(rebuilt, anchors=[anchor]) == "AUDIT_ANCHOR_MISMATCH"  # … but not the original


def test_keyed_chain_needs_the_key() -> None:
    chain = build(3, key=KEY)
    assert code_of(chain, key=KEY) is None
    assert code_of(chain) == "AUDIT_ENTRY_ALTERED"
    assert code_of(chain, key=bytes(32)) == "AUDIT_ENTRY_ALTERED"


def test_segment_after_a_trusted_anchor() -> None:
    chain = build(6)
    after = ChainAnchor(3, chain[2].hash)
    assert code_of(chain[3:], after=after) is None
    assert code_of(chain[4:], after=after) == "AUDIT_ENTRY_DELETED"
    assert code_of(chain[3:], after=ChainAnchor(3, bytes(32))) == "AUDIT_CHAIN_BROKEN"


def test_append_enforces_sequence_and_time() -> None:
    first = append(None, entry(1))
    with pytest.raises(InvalidInput) as exc:
        append(first, entry(3))
    assert exc.value.code == "AUDIT_SEQUENCE_INVALID"
    with pytest.raises(InvalidInput) as exc:
        append(first, entry(2, at=T0))
    assert exc.value.code == "AUDIT_TIME_REVERSED"
    with pytest.raises(InvalidInput) as exc:
        append(None, entry(2))
    assert exc.value.code == "AUDIT_SEQUENCE_INVALID"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject_ref", b"110105199001011234"[:15]),
        ("subject_ref", "110105199001011234"),
        ("fields_seen", ("family_name", "张三")),
        ("actor", "org with spaces"),
        ("purpose", "line\nbreak"),
        ("seq", 0),
        ("at", datetime(2026, 5, 1, 8, 0)),
    ],
)
def test_entry_rejects_invalid_values(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as exc:
        entry(1, **{field: value})
    assert exc.value.code == "AUDIT_ENTRY_INVALID"


def test_short_key_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        append(None, entry(1), key=b"short")
    assert exc.value.code == "AUDIT_KEY_INVALID"


def test_fields_seen_is_a_set() -> None:
    a = entry(1, fields_seen=("b", "a", "a"))
    b = entry(1, fields_seen=("a", "b"))
    assert a.canonical() == b.canonical()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=8),
    data=st.data(),
)
def test_any_single_tampering_is_detected(n: int, data: st.DataObject) -> None:
    chain = build(n, key=KEY)
    kind = data.draw(st.sampled_from(["edit", "delete", "swap", "duplicate"]))
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    if kind == "edit":
        chain[i] = dataclasses.replace(
            chain[i], entry=dataclasses.replace(chain[i].entry, role="police")
        )
    elif kind == "delete":
        del chain[i]
    elif kind == "swap":
        chain[i], chain[i + 1] = chain[i + 1], chain[i]
    else:
        chain.insert(i + 1, chain[i])
    assert code_of(chain, key=KEY) is not None
