"""IACA / document-signer certificates (ISO 18013-5 Annex B) and DS chain validation."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MalformedData, MotorcredError, VerificationFailed
from motorcred.formats.trust import TrustStore, validate_chain, validity_failures
from motorcred.formats.x509 import (
    MDL_DS_EKU,
    IssuerName,
    certificate_from_der,
    certificate_pem,
    create_document_signer,
    create_iaca,
    issuer_country,
    issuer_state,
    load_certificate,
    load_certificates,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "iso18013-5-annex-d"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def make_iaca(
    *, state: str | None = None, key: ec.EllipticCurvePrivateKey | None = None
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = key or ec.generate_private_key(ec.SECP256R1())
    cert = create_iaca(
        key,
        name=IssuerName("CN", f"motorcred IACA {state or 'national'}", state=state),
        not_before=T0,
        not_after=T0 + timedelta(days=3650),
        serial_number=1000,
        issuer_alt_name="https://pki.example.cn/iaca",
        crl_uri="https://pki.example.cn/iaca.crl",
    )
    return key, cert


def make_ds(
    iaca_key: ec.EllipticCurvePrivateKey,
    iaca: x509.Certificate,
    *,
    start: datetime = T0,
    days: int = 365,
    name: str = "ds 1",
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = create_document_signer(
        key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name=name,
        not_before=start,
        not_after=start + timedelta(days=days),
        serial_number=2000,
    )
    return key, cert


def test_iaca_follows_annex_b_profile() -> None:
    _, cert = make_iaca(state="Beijing")
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
    assert not ku.value.digital_signature
    ian = cert.extensions.get_extension_for_class(x509.IssuerAlternativeName).value
    assert [n.value for n in ian] == ["https://pki.example.cn/iaca"]
    assert cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "CN"
    assert cert.subject.get_attributes_for_oid(NameOID.STATE_OR_PROVINCE_NAME)[0].value == "Beijing"


def test_ds_follows_annex_b_profile() -> None:
    iaca_key, iaca = make_iaca(state="Guangdong")
    _, ds = make_ds(iaca_key, iaca)
    assert ds.issuer == iaca.subject
    ds.verify_directly_issued_by(iaca)
    ku = ds.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and not ku.value.key_cert_sign
    eku = ds.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [MDL_DS_EKU]
    assert issuer_country(ds) == "CN" and issuer_state(ds) == "Guangdong"
    assert ds.extensions.get_extension_for_class(x509.IssuerAlternativeName)
    assert ds.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)


def test_email_issuer_alt_name_and_eddsa_iaca() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    cert = create_iaca(
        key,
        name=IssuerName("CN", "ed iaca"),
        not_before=T0,
        not_after=T0 + timedelta(days=10),
        serial_number=5,
        issuer_alt_name="mailto:pki@example.cn",
    )
    ian = cert.extensions.get_extension_for_class(x509.IssuerAlternativeName).value
    assert isinstance(next(iter(ian)), x509.RFC822Name)
    cert.verify_directly_issued_by(cert)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"issuer_alt_name": "not a uri"}, "PKI_ISSUER_ALT_NAME_INVALID"),
        ({"not_after": T0}, "PKI_VALIDITY_INVALID"),
        ({"not_before": datetime(2026, 1, 1)}, "PKI_TIME_NAIVE"),
    ],
)
def test_iaca_rejects_bad_parameters(kwargs: dict[str, object], code: str) -> None:
    args: dict[str, object] = {
        "name": IssuerName("CN", "x"),
        "not_before": T0,
        "not_after": T0 + timedelta(days=1),
        "serial_number": 1,
        "issuer_alt_name": "https://x.example",
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput) as exc:
        create_iaca(ec.generate_private_key(ec.SECP256R1()), **args)  # type: ignore[arg-type]
    assert exc.value.code == code


@pytest.mark.parametrize("country", ["cn", "CHN", "", "C1"])
def test_issuer_name_rejects_bad_country(country: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        IssuerName(country, "x")
    assert exc.value.code == "PKI_COUNTRY_INVALID"


def test_ds_validity_must_lie_inside_iaca() -> None:
    iaca_key, iaca = make_iaca()
    with pytest.raises(InvalidInput) as exc:
        make_ds(iaca_key, iaca, start=T0 - timedelta(days=1))
    assert exc.value.code == "PKI_VALIDITY_OUTSIDE_IACA"
    with pytest.raises(InvalidInput) as exc:
        make_ds(iaca_key, iaca, days=4000)
    assert exc.value.code == "PKI_VALIDITY_OUTSIDE_IACA"


def test_ds_refuses_wrong_iaca_key() -> None:
    _, iaca = make_iaca()
    with pytest.raises(InvalidInput) as exc:
        make_ds(ec.generate_private_key(ec.SECP256R1()), iaca)
    assert exc.value.code == "PKI_KEY_MISMATCH"


def test_chain_validates_and_rotation_allows_several_ds() -> None:
    iaca_key, iaca = make_iaca()
    trust = TrustStore([iaca])
    _, ds1 = make_ds(iaca_key, iaca, name="ds 2026a")
    _, ds2 = make_ds(iaca_key, iaca, start=T0 + timedelta(days=100), name="ds 2026b")
    for ds in (ds1, ds2):
        path = validate_chain(trust, [der(ds)], now=NOW)
        assert path.leaf == ds and path.anchor == iaca and not path.direct


def test_per_region_issuers_share_one_store() -> None:
    regions = {st_: make_iaca(state=st_) for st_ in ("Beijing", "Shanghai", "Sichuan")}
    trust = TrustStore([cert for _, cert in regions.values()])
    for state, (key, iaca) in regions.items():
        _, ds = make_ds(key, iaca)
        path = validate_chain(trust, [der(ds)], now=NOW)
        assert path.anchor == iaca and issuer_state(path.leaf) == state


def test_ds_trusted_directly() -> None:
    iaca_key, iaca = make_iaca()
    _, ds = make_ds(iaca_key, iaca)
    path = validate_chain(TrustStore([ds]), [der(ds)], now=NOW)
    assert path.direct and path.path == (ds,)


def test_unknown_anchor_is_untrusted() -> None:
    iaca_key, iaca = make_iaca()
    _, other = make_iaca()
    _, ds = make_ds(iaca_key, iaca)
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(TrustStore([other]), [der(ds)], now=NOW)
    assert exc.value.code == "MDOC_UNTRUSTED_ISSUER"


def test_same_subject_other_key_is_untrusted() -> None:
    """An impostor IACA with the same name but another key must not vouch for the DS."""
    iaca_key, iaca = make_iaca()
    _, impostor = make_iaca()
    assert impostor.subject == iaca.subject
    _, ds = make_ds(iaca_key, iaca)
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(TrustStore([impostor]), [der(ds)], now=NOW)
    assert exc.value.code == "MDOC_UNTRUSTED_ISSUER"


def test_ds_certificate_as_issuer_is_not_a_ca() -> None:
    iaca_key, iaca = make_iaca()
    ds_key, ds = make_ds(iaca_key, iaca)
    # A certificate "issued" by the DS key: the DS is no CA, so this must fail.
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")]))
        .issuer_name(ds.subject)
        .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
        .serial_number(9)
        .not_valid_before(T0)
        .not_valid_after(T0 + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([MDL_DS_EKU]), critical=True)
        .sign(ds_key, hashes.SHA256())
    )
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(TrustStore([ds]), [der(leaf)], now=NOW)
    assert exc.value.code == "MDOC_UNTRUSTED_ISSUER"


def test_certificate_without_ds_eku_is_not_ds() -> None:
    iaca_key, iaca = make_iaca()
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tls")]))
        .issuer_name(iaca.subject)
        .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
        .serial_number(9)
        .not_valid_before(T0)
        .not_valid_after(T0 + timedelta(days=30))
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(iaca_key, hashes.SHA256())
    )
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(TrustStore([iaca]), [der(leaf)], now=NOW)
    assert exc.value.code == "MDOC_CERT_NOT_DS"
    # A CA certificate (the IACA itself, trusted directly) may not sign documents either.
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(TrustStore([iaca]), [der(iaca)], now=NOW)
    assert exc.value.code == "MDOC_CERT_NOT_DS"


def test_validity_checked_at_now_even_when_cached() -> None:
    iaca_key, iaca = make_iaca()
    _, ds = make_ds(iaca_key, iaca, days=30)
    trust = TrustStore([iaca])
    validate_chain(trust, [der(ds)], now=T0 + timedelta(days=1))
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(trust, [der(ds)], now=T0 + timedelta(days=31))
    assert exc.value.code == "MDOC_CERT_EXPIRED"
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(trust, [der(ds)], now=T0 - timedelta(days=1))
    assert exc.value.code == "MDOC_CERT_NOT_YET_VALID"
    # The IACA's own validity counts too.
    late = T0 + timedelta(days=3651)
    codes = [f.code for f in validity_failures(trust.trusted_path([der(ds)]), late)]
    assert codes == ["MDOC_CERT_EXPIRED", "MDOC_CERT_EXPIRED"]


def test_chain_result_is_cached_per_certificate() -> None:
    iaca_key, iaca = make_iaca()
    _, ds = make_ds(iaca_key, iaca)
    trust = TrustStore([iaca])
    first = trust.trusted_path([der(ds)])
    assert trust.trusted_path([der(ds)]) is first
    # Failures are cached too and re-raised with the same code each time.
    _, other = make_iaca()
    bad = TrustStore([other])
    for _ in range(2):
        with pytest.raises(VerificationFailed) as exc:
            bad.trusted_path([der(ds)])
        assert exc.value.code == "MDOC_UNTRUSTED_ISSUER"


def test_empty_or_long_chain_is_malformed() -> None:
    _, iaca = make_iaca()
    trust = TrustStore([iaca])
    with pytest.raises(MalformedData) as exc:
        trust.trusted_path([])
    assert exc.value.code == "MDOC_X5CHAIN_MISSING"
    with pytest.raises(MalformedData):
        trust.trusted_path([der(iaca)] * 5)


def test_load_pem_der_bundle() -> None:
    _, a = make_iaca()
    _, b = make_iaca()
    assert load_certificate(certificate_pem(a)) == a
    assert load_certificate(der(a)) == a
    assert load_certificates(certificate_pem(a) + certificate_pem(b)) == [a, b]
    store = TrustStore.from_bytes([certificate_pem(a) + certificate_pem(b), der(a)])
    assert len(store.anchors) == 2
    with pytest.raises(MalformedData) as exc:
        load_certificate(b"garbage")
    assert exc.value.code == "PKI_CERT_MALFORMED"


def test_annex_d_chain() -> None:
    iaca = load_certificate((VECTORS / "iaca_root.der").read_bytes())
    ds_der = (VECTORS / "ds_cert.der").read_bytes()
    trust = TrustStore([iaca])
    path = validate_chain(trust, [ds_der], now=datetime(2021, 1, 1, tzinfo=UTC))
    assert issuer_country(path.leaf) == "US"
    with pytest.raises(VerificationFailed) as exc:
        validate_chain(trust, [ds_der], now=NOW)
    assert exc.value.code == "MDOC_CERT_EXPIRED"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_certificate_parsers(data: bytes) -> None:
    _, iaca = make_iaca_cached()
    trust = TrustStore([iaca])
    for fn in (load_certificate, load_certificates, certificate_from_der):
        with contextlib.suppress(MotorcredError):
            fn(data)
    with contextlib.suppress(MotorcredError):
        trust.trusted_path([data])


_CACHED: list[tuple[ec.EllipticCurvePrivateKey, x509.Certificate]] = []


def make_iaca_cached() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    if not _CACHED:
        _CACHED.append(make_iaca())
    return _CACHED[0]


def test_certificate_with_unparsable_issuer_name_is_malformed() -> None:
    """cryptography parses names lazily; a bad one must still be refused at load time."""
    iaca_key, iaca = make_iaca_cached()
    _, ds = make_ds(iaca_key, iaca)
    good = der(ds)
    label = iaca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert isinstance(label, str)
    utf8 = bytes((0x0C, len(label))) + label.encode()
    assert good.count(utf8) == 1  # the issuer CN, as a UTF8String
    broken = good.replace(utf8, b"\x0d" + utf8[1:])  # tag 13 is not a string type
    with pytest.raises(MalformedData) as exc:
        certificate_from_der(broken)
    assert exc.value.code == "MDOC_CERT_MALFORMED"
    with pytest.raises(MalformedData) as exc:
        load_certificate(broken)
    assert exc.value.code == "PKI_CERT_MALFORMED"
    with pytest.raises(MalformedData):
        TrustStore([iaca]).trusted_path([broken])


def test_certificate_with_unknown_version_is_malformed() -> None:
    iaca_key, iaca = make_iaca_cached()
    good = der(make_ds(iaca_key, iaca)[1])
    v3 = b"\xa0\x03\x02\x01\x02"  # [0] EXPLICIT Version v3 (2)
    assert good.count(v3) == 1
    broken = good.replace(v3, b"\xa0\x03\x02\x01\x03")
    with pytest.raises(MalformedData) as exc:
        certificate_from_der(broken)
    assert exc.value.code == "MDOC_CERT_MALFORMED"
    with pytest.raises(MalformedData):
        load_certificates(broken)


def test_certificate_with_a_duplicate_extension_is_malformed() -> None:
    iaca_key, iaca = make_iaca_cached()
    good = der(make_ds(iaca_key, iaca)[1])
    aki, ski = b"\x06\x03\x55\x1d\x23", b"\x06\x03\x55\x1d\x0e"
    assert good.count(aki) == 1 and good.count(ski) == 1
    broken = good.replace(aki, ski)  # two subjectKeyIdentifier extensions
    with pytest.raises(MalformedData) as exc:
        certificate_from_der(broken)
    assert exc.value.code == "MDOC_CERT_MALFORMED"
