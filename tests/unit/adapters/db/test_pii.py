"""FieldCipher and BlindIndex: round trips, tamper, wrong/unknown key, moved values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.adapters.db.pii import BlindIndex, FieldCipher, normalise_for_index
from motorcred.errors import ConfigurationError, MalformedData, VerificationFailed

K1 = bytes(range(32))
K2 = bytes(range(32, 64))
IDX = b"i" * 32


def cipher(current: str = "k1", **keys: bytes) -> FieldCipher:
    return FieldCipher(current, keys or {"k1": K1})


def test_round_trip_and_randomised() -> None:
    c = cipher()
    a = c.encrypt("张三", context="persons.name")
    b = c.encrypt("张三", context="persons.name")
    assert a != b  # fresh nonce each time: equal names are not linkable
    assert c.decrypt(a, context="persons.name") == "张三"
    assert "张三".encode() not in a


@settings(max_examples=50)
@given(st.text(max_size=200), st.sampled_from(["persons.name", "persons.phone", "x"]))
def test_round_trip_any_text(value: str, context: str) -> None:
    c = cipher()
    assert c.decrypt(c.encrypt(value, context=context), context=context) == value


def test_blob_names_key_id() -> None:
    blob = cipher().encrypt("x", context="c")
    assert FieldCipher.key_id_of(blob) == "k1"
    assert blob[0] == 1


def test_tampered_ciphertext_fails() -> None:
    c = cipher()
    blob = bytearray(c.encrypt("110105198001021230", context="persons.id_number"))
    blob[-1] ^= 0x01
    with pytest.raises(VerificationFailed) as info:
        c.decrypt(bytes(blob), context="persons.id_number")
    assert info.value.code == "PII_INTEGRITY"


def test_tampered_nonce_fails() -> None:
    c = cipher()
    blob = bytearray(c.encrypt("abc", context="c"))
    blob[5] ^= 0x80
    with pytest.raises(VerificationFailed):
        c.decrypt(bytes(blob), context="c")


def test_moved_to_other_column_fails() -> None:
    c = cipher()
    blob = c.encrypt("13800138000", context="persons.phone")
    with pytest.raises(VerificationFailed) as info:
        c.decrypt(blob, context="persons.address")
    assert info.value.code == "PII_INTEGRITY"


def test_rewritten_key_id_fails() -> None:
    # Relabelling a blob as sealed by another configured key must not decrypt.
    both = FieldCipher("k1", {"k1": K1, "k2": K1})
    blob = bytearray(both.encrypt("abc", context="c"))
    blob[3] = ord("2")
    with pytest.raises(VerificationFailed):
        both.decrypt(bytes(blob), context="c")


def test_unknown_key_id() -> None:
    blob = FieldCipher("k2", {"k2": K2}).encrypt("abc", context="c")
    with pytest.raises(ConfigurationError) as info:
        cipher().decrypt(blob, context="c")
    assert info.value.code == "PII_KEY_UNKNOWN"


def test_wrong_key_material_under_same_id() -> None:
    blob = FieldCipher("k1", {"k1": K2}).encrypt("abc", context="c")
    with pytest.raises(VerificationFailed):
        cipher().decrypt(blob, context="c")


def test_rotation_old_key_still_decrypts() -> None:
    old = cipher()
    blob = old.encrypt("old value", context="c")
    rotated = FieldCipher("k2", {"k2": K2, "k1": K1})
    assert rotated.decrypt(blob, context="c") == "old value"
    assert rotated.needs_rotation(blob)
    assert not rotated.needs_rotation(rotated.encrypt("new", context="c"))


@pytest.mark.parametrize(
    "blob", [b"", b"\x01", b"\x02\x02k1" + b"0" * 40, b"\x01\x02k1" + b"0" * 10]
)
def test_malformed_blob(blob: bytes) -> None:
    with pytest.raises(MalformedData) as info:
        cipher().decrypt(blob, context="c")
    assert info.value.code == "PII_BLOB_MALFORMED"


@settings(max_examples=100)
@given(st.binary(max_size=80))
def test_fuzz_decrypt_only_project_errors(blob: bytes) -> None:
    with pytest.raises((MalformedData, VerificationFailed, ConfigurationError)):
        cipher().decrypt(blob, context="c")


def test_configuration_checks() -> None:
    with pytest.raises(ConfigurationError):
        FieldCipher("k1", {"k1": b"short"})
    with pytest.raises(ConfigurationError):
        FieldCipher("k9", {"k1": K1})
    with pytest.raises(ConfigurationError):
        FieldCipher("bad id!", {"bad id!": K1})
    with pytest.raises(ConfigurationError):
        BlindIndex(b"short")
    with pytest.raises(ConfigurationError):
        BlindIndex(IDX, size=8)


def test_blind_index_normalises_and_separates() -> None:
    index = BlindIndex(IDX)
    a = index.digest("11010519800102123x", kind="id_number")
    assert a == index.digest(" 11010519800102123X ", kind="id_number")
    assert len(a) == 24
    assert a != index.digest("11010519800102123X", kind="licence_number")
    assert a != BlindIndex(b"j" * 32).digest("11010519800102123X", kind="id_number")
    assert a != index.digest("110105198001021231", kind="id_number")
    assert b"110105" not in a


def test_normalise_for_index_fullwidth() -> None:
    assert normalise_for_index("１１０ｘ") == "110X"
