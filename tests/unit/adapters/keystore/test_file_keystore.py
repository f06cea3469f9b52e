"""The file keystore: per-region issuers, rotation with a current key, checks on every load."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.keystore import FileKeystore
from motorcred.errors import ConfigurationError, Conflict, InvalidInput, MotorcredError, NotFound
from motorcred.formats.cose import CoseSign1, prepare_sign1
from motorcred.formats.signer import sign_prepared
from motorcred.formats.status_list import (
    StatusList,
    TokenKeyInfo,
    build_status_list_token,
    decode_status_list_token,
)
from motorcred.formats.trust import TrustStore, validate_chain
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


class Issuer:
    def __init__(self, name: str, state: str | None = None) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.iaca = create_iaca(
            self.key,
            name=IssuerName("CN", name, state=state),
            not_before=T0,
            not_after=T0 + timedelta(days=3650),
            serial_number=1,
            issuer_alt_name="https://iaca.example",
        )
        self._serial = 100

    def ds(
        self, *, start: datetime = T0, days: int = 365
    ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        self._serial += 1
        key = ec.generate_private_key(ec.SECP256R1())
        cert = create_document_signer(
            key.public_key(),
            iaca_cert=self.iaca,
            iaca_key=self.key,
            common_name=f"DS {self._serial}",
            not_before=start,
            not_after=start + timedelta(days=days),
            serial_number=self._serial,
        )
        return key, cert


NATIONAL = Issuer("national IACA")
SICHUAN = Issuer("Sichuan IACA", state="CN-SC")


@pytest.fixture
def store(tmp_path: Path) -> FileKeystore:
    keystore = FileKeystore.in_data_dir(tmp_path)
    keystore.add_issuer("national", NATIONAL.iaca)
    return keystore


def _signs_and_verifies(keystore: FileKeystore, issuer: str, now: datetime = NOW) -> str:
    signer = keystore.signer(issuer, now=now)
    message = sign_prepared(prepare_sign1(b"payload", algorithm=signer.algorithm), signer)
    leaf = x509.load_der_x509_certificate(signer.certificate_chain[0])
    CoseSign1.decode(message.encode()).verify(leaf.public_key())
    validate_chain(TrustStore(keystore.trust_anchors()), signer.certificate_chain, now=now)
    return signer.key_id


def test_nothing_is_touched_until_used(tmp_path: Path) -> None:
    keystore = FileKeystore.in_data_dir(tmp_path / "data")
    assert keystore.root == tmp_path / "data" / "keystore"
    assert not (tmp_path / "data").exists()
    assert keystore.issuers() == [] and keystore.trust_anchors() == []


def test_rotation_two_active_keys_one_current(store: FileKeystore) -> None:
    old_key, old_cert = NATIONAL.ds()
    new_key, new_cert = NATIONAL.ds(start=T0 + timedelta(days=120))
    store.add_document_signer("national", "ds-2026-01", old_key, old_cert, make_current=True)
    assert _signs_and_verifies(store, "national") == "ds-2026-01"
    store.add_document_signer("national", "ds-2026-05", new_key, new_cert)
    assert [k.key_id for k in store.active_keys("national", NOW)] == ["ds-2026-01", "ds-2026-05"]
    assert _signs_and_verifies(store, "national") == "ds-2026-01"  # adding does not switch
    store.make_current("national", "ds-2026-05")
    assert _signs_and_verifies(store, "national") == "ds-2026-05"
    assert [(k.key_id, k.current) for k in store.keys("national")] == [
        ("ds-2026-01", False),
        ("ds-2026-05", True),
    ]
    # The old key still signs when asked for by name (e.g. to re-sign a status list).
    assert store.signer("national", now=NOW, key_id="ds-2026-01").key_id == "ds-2026-01"
    # Before the new key's certificate starts, only the old one is active.
    assert [k.key_id for k in store.active_keys("national", T0 + timedelta(days=1))] == [
        "ds-2026-01"
    ]


def test_private_keys_are_written_0600(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert)
    key_file = store.root / "national" / "ds" / "ds-1.key.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert (store.root / "national" / "ds" / "ds-1.cert.pem").read_bytes().startswith(b"-----")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_readable_by_others_is_refused(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert, make_current=True)
    os.chmod(store.root / "national" / "ds" / "ds-1.key.pem", 0o644)
    with pytest.raises(ConfigurationError) as exc:
        store.signer("national", now=NOW)
    assert exc.value.code == "KEYSTORE_KEY_INSECURE"


def test_per_region_issuers(store: FileKeystore) -> None:
    store.add_issuer("cn-sc", SICHUAN.iaca)
    for issuer, authority in (("national", NATIONAL), ("cn-sc", SICHUAN)):
        key, cert = authority.ds()
        store.add_document_signer(issuer, "ds-1", key, cert, make_current=True)
    assert store.issuers() == ["cn-sc", "national"]
    assert store.issuer_for_region("CN-SC") == "cn-sc"
    with pytest.raises(NotFound) as exc:
        store.issuer_for_region("CN-BJ")
    assert exc.value.code == "KEYSTORE_ISSUER_UNKNOWN"
    _signs_and_verifies(store, "cn-sc")
    _signs_and_verifies(store, "national")
    assert len(store.trust_anchors()) == 2


def test_certificate_of_another_iaca_is_refused(store: FileKeystore) -> None:
    key, cert = SICHUAN.ds()
    with pytest.raises(InvalidInput) as exc:
        store.add_document_signer("national", "ds-1", key, cert)
    assert exc.value.code == "KEYSTORE_CERT_NOT_FROM_IACA"
    assert not (store.root / "national" / "ds" / "ds-1.key.pem").exists()


def test_key_and_certificate_must_match(store: FileKeystore) -> None:
    key, _ = NATIONAL.ds()
    _, other_cert = NATIONAL.ds()
    with pytest.raises(InvalidInput) as exc:
        store.add_document_signer("national", "ds-1", key, other_cert)
    assert exc.value.code == "SIGNER_CERT_MISMATCH"


def test_swapped_files_on_disk_are_refused_at_load(store: FileKeystore) -> None:
    for key_id in ("ds-1", "ds-2"):
        key, cert = NATIONAL.ds()
        store.add_document_signer("national", key_id, key, cert)
    ds_dir = store.root / "national" / "ds"
    shutil.copyfile(ds_dir / "ds-2.cert.pem", ds_dir / "ds-1.cert.pem")
    with pytest.raises(ConfigurationError) as exc:
        store.signer("national", now=NOW, key_id="ds-1")
    assert exc.value.code == "KEYSTORE_KEY_MISMATCH"


def test_expired_current_key_is_refused(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds(days=30)
    store.add_document_signer("national", "ds-short", key, cert, make_current=True)
    assert store.signer("national", now=T0 + timedelta(days=1)).key_id == "ds-short"
    with pytest.raises(ConfigurationError) as exc:
        store.signer("national", now=NOW)
    assert exc.value.code == "KEYSTORE_KEY_NOT_VALID"
    assert store.active_keys("national", NOW) == []


def test_missing_pieces(store: FileKeystore, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as exc:
        store.signer("national", now=NOW)
    assert exc.value.code == "KEYSTORE_NO_CURRENT_KEY"
    with pytest.raises(NotFound) as not_found:
        store.signer("national", now=NOW, key_id="nope")
    assert not_found.value.code == "KEYSTORE_KEY_UNKNOWN"
    with pytest.raises(NotFound) as not_found:
        store.make_current("national", "nope")
    assert not_found.value.code == "KEYSTORE_KEY_UNKNOWN"
    with pytest.raises(NotFound) as not_found:
        store.keys("beijing")
    assert not_found.value.code == "KEYSTORE_ISSUER_UNKNOWN"


@pytest.mark.parametrize("name", ["../etc", "", "Upper", "a/b", ".hidden", "x" * 65, "a..b"])
def test_names_cannot_escape_the_keystore(store: FileKeystore, name: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        store.signer(name, now=NOW)
    assert exc.value.code == "KEYSTORE_NAME_INVALID"
    key, cert = NATIONAL.ds()
    with pytest.raises(InvalidInput):
        store.add_document_signer("national", name, key, cert)


def test_duplicates_and_issuer_replacement(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert)
    with pytest.raises(Conflict) as exc:
        store.add_document_signer("national", "ds-1", key, cert)
    assert exc.value.code == "KEYSTORE_KEY_EXISTS"
    store.add_issuer("national", NATIONAL.iaca)  # same IACA again: nothing to do
    with pytest.raises(Conflict) as exc:
        store.add_issuer("national", SICHUAN.iaca)
    assert exc.value.code == "KEYSTORE_ISSUER_EXISTS"


def test_corrupt_files_are_configuration_errors(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert, make_current=True)
    key_file = store.root / "national" / "ds" / "ds-1.key.pem"
    key_file.write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConfigurationError) as exc:
        store.signer("national", now=NOW)
    assert exc.value.code == "KEYSTORE_FILE_INVALID"
    (store.root / "national" / "iaca.pem").write_bytes(b"not a certificate")
    with pytest.raises(MotorcredError) as err:
        store.trust_anchors()
    assert err.value.code == "KEYSTORE_FILE_INVALID"


def test_files_changed_on_disk_are_read_again(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert, make_current=True)
    first = store.signer("national", now=NOW)
    assert store.signer("national", now=NOW) is first  # cached while unchanged
    other = FileKeystore(store.root)  # e.g. the admin CLI in another process
    key2, cert2 = NATIONAL.ds()
    other.add_document_signer("national", "ds-2", key2, cert2, make_current=True)
    assert store.signer("national", now=NOW).key_id == "ds-2"


def test_status_list_token_signed_with_a_keystore_signer(store: FileKeystore) -> None:
    key, cert = NATIONAL.ds()
    store.add_document_signer("national", "ds-1", key, cert, make_current=True)
    signer = store.signer("national", now=NOW)
    status = StatusList(32, bits=1)
    status.set(7, 1)
    token = build_status_list_token(
        status,
        uri="https://status.example/national/1",
        issued_at=NOW,
        expires_at=NOW + timedelta(hours=12),
        ttl=600,
        signer=signer,
        cert_chain=signer.certificate_chain,
    )
    anchors = TrustStore(store.trust_anchors())

    def resolve(info: TokenKeyInfo) -> ec.EllipticCurvePublicKey:
        chain = validate_chain(anchors, info.x5chain, now=NOW)
        public = chain.leaf.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        return public

    decoded = decode_status_list_token(token, now=NOW, trust=resolve)
    assert decoded.status(7) == "invalid"


def test_a_failed_certificate_write_leaves_no_orphan_key(
    store: FileKeystore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motorcred.adapters.keystore import files

    real_write = files._write_new

    def failing_write(path: Path, data: bytes, *, private: bool) -> None:
        if path.name.endswith(".cert.pem"):
            raise ConfigurationError("KEYSTORE_UNWRITABLE", "disk full")
        real_write(path, data, private=private)

    monkeypatch.setattr(files, "_write_new", failing_write)
    key, cert = NATIONAL.ds()
    with pytest.raises(ConfigurationError):
        store.add_document_signer("national", "ds-1", key, cert)
    assert not (store.root / "national" / "ds" / "ds-1.key.pem").exists()
    monkeypatch.setattr(files, "_write_new", real_write)
    store.add_document_signer("national", "ds-1", key, cert)  # the retry succeeds
    assert [k.key_id for k in store.keys("national")] == ["ds-1"]
