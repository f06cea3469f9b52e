"""The audit log of credential checks as a hash chain: append-only and tamper-evident.

Every check of a holder's credential (who, when, in which role, for which
purpose, which fields were seen, about whom) becomes an :class:`AuditEntry`.
Entries are chained::

    hash_n = H(hash_{n-1} ‖ canonical_json(entry_n))      hash_0 = GENESIS_HASH

where ``H`` is SHA-256, or HMAC-SHA-256 under a server key when the chain is
*keyed*. Unkeyed, anyone holding the log can check it, but whoever can write
the table can also rewrite it wholesale and recompute every hash; keyed, only
the key holder can produce valid links, so an edit by someone with database
access alone is always detected. Anchors (a sequence number and hash
published elsewhere, e.g. a daily checkpoint) additionally catch a chain that
was cut short or rebuilt from some point on.

No personal data is held in clear: the subject is a *blind index* (a keyed
digest of the licence or plate number computed by the caller), and
``fields_seen`` names data elements, never their values.

Pure: no clock, no I/O; the caller passes the time and stores the entries.
:func:`verify_chain` reports the first problem with a stable code:

* ``AUDIT_ENTRY_ALTERED`` — the entry's content no longer matches its hash (edited);
* ``AUDIT_ENTRY_DELETED`` — sequence numbers jump (entries removed);
* ``AUDIT_ENTRY_INSERTED`` — a sequence number appears twice (an entry slipped in);
* ``AUDIT_ENTRY_REORDERED`` — sequence numbers go backwards (entries swapped);
* ``AUDIT_CHAIN_BROKEN`` — the link to the previous entry does not hold;
* ``AUDIT_CHAIN_TRUNCATED`` / ``AUDIT_ANCHOR_MISMATCH`` — an anchor is missing or differs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from motorcred.errors import InvalidInput

#: The "previous hash" of the first entry: fixed, so a chain cannot start anywhere else.
GENESIS_HASH: Final = hashlib.sha256(b"motorcred audit chain v1 genesis").digest()
FORMAT_VERSION: Final = 1
MIN_KEY_BYTES: Final = 32
MIN_BLIND_INDEX_BYTES: Final = 16
MAX_BLIND_INDEX_BYTES: Final = 64
MAX_TEXT: Final = 128
MAX_FIELDS: Final = 256
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.:/-]{1,128}\Z")
_TOKEN = re.compile(r"[A-Za-z0-9_.:@/-]{1,128}\Z")


def _text(name: str, value: object, *, free: bool = False) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput("AUDIT_ENTRY_INVALID", f"{name} must be a non-empty string")
    if len(value) > MAX_TEXT:
        raise InvalidInput("AUDIT_ENTRY_INVALID", f"{name} is longer than {MAX_TEXT} characters")
    if free:
        if any(ord(c) < 0x20 for c in value):
            raise InvalidInput("AUDIT_ENTRY_INVALID", f"{name} contains control characters")
    elif _TOKEN.match(value) is None:
        raise InvalidInput(
            "AUDIT_ENTRY_INVALID", f"{name} must be an identifier (letters, digits, _.:@/-)"
        )
    return value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One check of a credential, as it is chained (no personal data in clear).

    ``actor`` identifies the verifier organisation or staff account, ``role`` its
    verifier role, ``purpose`` the stated purpose (free text, no personal data),
    ``action`` what was done (``online_check``, ``lookup``…), ``fields_seen`` the
    data-element names shown in clear or masked, ``subject_ref`` the blind index
    of the credential holder.
    """

    seq: int
    at: datetime
    actor: str
    role: str
    purpose: str
    action: str
    subject_ref: bytes
    fields_seen: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if type(self.seq) is not int or self.seq < 1:
            raise InvalidInput("AUDIT_ENTRY_INVALID", "seq must be a positive integer")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise InvalidInput("AUDIT_ENTRY_INVALID", "at must be a time-zone-aware datetime")
        _text("actor", self.actor)
        _text("role", self.role)
        _text("purpose", self.purpose, free=True)
        _text("action", self.action)
        ref = self.subject_ref
        if (
            not isinstance(ref, bytes)
            or not MIN_BLIND_INDEX_BYTES <= len(ref) <= MAX_BLIND_INDEX_BYTES
        ):
            raise InvalidInput(
                "AUDIT_ENTRY_INVALID",
                f"subject_ref must be a blind index of {MIN_BLIND_INDEX_BYTES}.."
                f"{MAX_BLIND_INDEX_BYTES} bytes, never the identifier itself",
            )
        names = tuple(self.fields_seen)
        if len(names) > MAX_FIELDS or any(
            not isinstance(n, str) or _FIELD_NAME.match(n) is None for n in names
        ):
            raise InvalidInput(
                "AUDIT_ENTRY_INVALID", "fields_seen must be data-element names, not values"
            )
        # A set of names: sorted and de-duplicated, so equal views hash equally.
        object.__setattr__(self, "fields_seen", tuple(sorted(set(names))))
        object.__setattr__(self, "at", self.at.astimezone(UTC))

    def canonical(self) -> bytes:
        """Canonical JSON (sorted keys, no spaces, UTF-8) — the bytes the chain hashes."""
        body = {
            "v": FORMAT_VERSION,
            "seq": self.seq,
            "at": self.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": self.actor,
            "role": self.role,
            "purpose": self.purpose,
            "action": self.action,
            "subject": self.subject_ref.hex(),
            "fields": list(self.fields_seen),
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True, slots=True)
class ChainedEntry:
    """An entry as stored: its content, the previous entry's hash and its own hash."""

    entry: AuditEntry
    prev_hash: bytes
    hash: bytes

    @property
    def seq(self) -> int:
        return self.entry.seq


@dataclass(frozen=True, slots=True)
class ChainAnchor:
    """A (sequence number, hash) pair kept outside the log, e.g. a published checkpoint."""

    seq: int
    hash: bytes


@dataclass(frozen=True, slots=True)
class ChainProblem:
    code: str
    seq: int | None
    position: int | None
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "seq": self.seq,
            "position": self.position,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Outcome of :func:`verify_chain`: ``problem`` is the first one found, if any."""

    checked: int
    head: bytes
    problem: ChainProblem | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None


def _check_key(key: bytes | None) -> None:
    if key is not None and (not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES):
        raise InvalidInput(
            "AUDIT_KEY_INVALID", f"the audit chain key must be at least {MIN_KEY_BYTES} bytes"
        )


def link_hash(prev_hash: bytes, entry: AuditEntry, *, key: bytes | None = None) -> bytes:
    """``H(prev_hash ‖ canonical(entry))``: SHA-256, or HMAC-SHA-256 under ``key``."""
    _check_key(key)
    data = prev_hash + entry.canonical()
    if key is None:
        return hashlib.sha256(data).digest()
    return hmac.new(key, data, hashlib.sha256).digest()


def append(
    previous: ChainedEntry | None, entry: AuditEntry, *, key: bytes | None = None
) -> ChainedEntry:
    """Chain ``entry`` after ``previous`` (``None``: the first entry, after the genesis).

    The entry's ``seq`` must follow the previous one (``AUDIT_SEQUENCE_INVALID``)
    and its time may not lie before it (``AUDIT_TIME_REVERSED``), so a log built
    only through this function is ordered by both.
    """
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    expected = 1 if previous is None else previous.seq + 1
    if entry.seq != expected:
        raise InvalidInput(
            "AUDIT_SEQUENCE_INVALID", f"the next entry must have seq {expected}, not {entry.seq}"
        )
    if previous is not None and entry.at < previous.entry.at:
        raise InvalidInput(
            "AUDIT_TIME_REVERSED", "an audit entry may not be dated before the previous one"
        )
    return ChainedEntry(entry, prev_hash, link_hash(prev_hash, entry, key=key))


def _first_later(remaining: Counter[int], low: int, high: int) -> int | None:
    """The smallest sequence number in ``low..high-1`` still to come, if any."""
    if high - low <= len(remaining):
        return next((s for s in range(low, high) if remaining[s] > 0), None)
    return min((s for s, n in remaining.items() if n > 0 and low <= s < high), default=None)


def _sequence_problem(
    item: ChainedEntry,
    position: int,
    prev_seq: int,
    hash_ok: bool,
    link_ok: bool,
    remaining: Counter[int],
    duplicated: bool,
) -> ChainProblem | None:
    seq = item.seq
    if duplicated and (seq == prev_seq or not hash_ok or not link_ok):
        return ChainProblem(
            "AUDIT_ENTRY_INSERTED",
            seq,
            position,
            f"sequence number {seq} appears twice: an entry was inserted",
        )
    if seq <= prev_seq:
        return ChainProblem(
            "AUDIT_ENTRY_REORDERED",
            seq,
            position,
            f"entry {seq} follows entry {prev_seq}: the order was changed",
        )
    if seq > prev_seq + 1:
        later = _first_later(remaining, prev_seq + 1, seq)
        if later is not None:
            return ChainProblem(
                "AUDIT_ENTRY_REORDERED",
                seq,
                position,
                f"entry {seq} comes before entry {later}: the order was changed",
            )
        missing = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1}..{seq - 1}"
        return ChainProblem(
            "AUDIT_ENTRY_DELETED", seq, position, f"entries {missing} are missing before {seq}"
        )
    return None


def verify_chain(
    entries: Iterable[ChainedEntry],
    *,
    key: bytes | None = None,
    after: ChainAnchor | None = None,
    anchors: Sequence[ChainAnchor] = (),
) -> ChainReport:
    """Recompute the chain and report the first edited, deleted, inserted or reordered entry.

    ``entries`` are in storage order, from the genesis or from just after
    ``after`` (a trusted anchor, to check a segment of a long log). ``key``
    must be the chain's key if it is keyed. Each of ``anchors`` must be found
    in the chain with its recorded hash.
    """
    _check_key(key)
    items = list(entries)
    prev_seq, prev_hash = (0, GENESIS_HASH) if after is None else (after.seq, after.hash)
    counts = Counter(item.seq for item in items)
    remaining = counts.copy()
    seen: dict[int, bytes] = {}
    for position, item in enumerate(items):
        hash_ok = hmac.compare_digest(link_hash(item.prev_hash, item.entry, key=key), item.hash)
        link_ok = hmac.compare_digest(item.prev_hash, prev_hash)
        remaining[item.seq] -= 1
        problem = _sequence_problem(
            item, position, prev_seq, hash_ok, link_ok, remaining, counts[item.seq] > 1
        )
        if problem is None and not hash_ok:
            problem = ChainProblem(
                "AUDIT_ENTRY_ALTERED",
                item.seq,
                position,
                f"entry {item.seq} does not match its hash: it was edited",
            )
        if problem is None and not link_ok:
            problem = ChainProblem(
                "AUDIT_CHAIN_BROKEN",
                item.seq,
                position,
                f"entry {item.seq} does not link to the entry before it",
            )
        if problem is not None:
            return ChainReport(position, prev_hash, problem)
        prev_seq, prev_hash = item.seq, item.hash
        seen[item.seq] = item.hash
    checked = len(items)
    for anchor in anchors:
        recorded = seen.get(anchor.seq)
        if recorded is None:
            return ChainReport(
                checked,
                prev_hash,
                ChainProblem(
                    "AUDIT_CHAIN_TRUNCATED",
                    anchor.seq,
                    None,
                    f"anchored entry {anchor.seq} is not in the log (last is {prev_seq})",
                ),
            )
        if not hmac.compare_digest(recorded, anchor.hash):
            return ChainReport(
                checked,
                prev_hash,
                ChainProblem(
                    "AUDIT_ANCHOR_MISMATCH",
                    anchor.seq,
                    None,
                    f"entry {anchor.seq} differs from its anchor: the chain was rebuilt",
                ),
            )
    return ChainReport(checked, prev_hash)
