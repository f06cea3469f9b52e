"""X.509 certificates of the ISO/IEC 18013-5 Annex B profile: IACA roots and document signers.

The issuing authority runs one self-signed IACA (Issuing Authority Certificate
Authority) root per issuer — one national root, or one per province with ``ST``
in the subject (per-region issuers) — and short-lived document-signer (DS)
certificates under it. Several DS certificates may be valid at the same time so
keys can be rotated without a gap. Readers elsewhere reject certificates that
stray from Annex B, so the builders here emit exactly that profile:

* IACA: self-signed, basicConstraints CA with pathLen 0 (critical), keyUsage
  keyCertSign + cRLSign (critical), issuerAltName (URI or e-mail), optional CRL
  distribution point, ``C`` (and ``ST`` for a region) in the subject, SKI.
* DS: issuer = the IACA subject (so ``C``/``ST`` reach the verifier through the
  DS issuer name), keyUsage digitalSignature (critical), extendedKeyUsage
  ``1.0.18013.5.1.2`` (critical), issuerAltName copied from the IACA, SKI/AKI,
  validity inside the IACA's.

Pure: keys, serial numbers and times are parameters; nothing here reads a clock
or draws random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519
from cryptography.x509.oid import NameOID

from motorcred.errors import InvalidInput, MalformedData

#: Extended key usage of an mdoc document signer (ISO/IEC 18013-5 Annex B.1.4).
MDL_DS_EKU: Final = x509.ObjectIdentifier("1.0.18013.5.1.2")
#: Largest certificate we parse: Annex B certificates are well under 2 KiB.
MAX_CERT_SIZE: Final = 16 * 1024

SigningKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey


@dataclass(frozen=True, slots=True)
class IssuerName:
    """The subject of an IACA: ISO 3166-1 alpha-2 ``country``, optional ``state`` (region)."""

    country: str
    common_name: str
    state: str | None = None
    organization: str | None = None

    def __post_init__(self) -> None:
        if (
            len(self.country) != 2
            or not (self.country.isascii() and self.country.isalpha())
            or not self.country.isupper()
        ):
            raise InvalidInput(
                "PKI_COUNTRY_INVALID",
                f"country must be an ISO 3166-1 alpha-2 code such as CN, not {self.country!r}",
            )
        if not self.common_name.strip():
            raise InvalidInput("PKI_NAME_INVALID", "common name must not be empty")
        if self.state is not None and not self.state.strip():
            raise InvalidInput("PKI_NAME_INVALID", "state, when given, must not be empty")

    def to_x509(self) -> x509.Name:
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, self.country)]
        if self.state:
            attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, self.state))
        if self.organization:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organization))
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, self.common_name))
        return x509.Name(attrs)


def _utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput("PKI_TIME_NAIVE", f"{what} must carry a time zone")
    return value.astimezone(UTC)


def _check_window(not_before: datetime, not_after: datetime) -> tuple[datetime, datetime]:
    start, end = _utc(not_before, "not_before"), _utc(not_after, "not_after")
    if end <= start:
        raise InvalidInput("PKI_VALIDITY_INVALID", "not_after must be later than not_before")
    return start, end


def signature_hash(key: SigningKey) -> hashes.SHA256 | hashes.SHA384 | hashes.SHA512 | None:
    """The hash paired with a key in a certificate signature (None for EdDSA)."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = key.curve.key_size
        if size <= 256:
            return hashes.SHA256()
        if size <= 384:
            return hashes.SHA384()
        return hashes.SHA512()
    return None


def _issuer_alt_name(value: str) -> x509.GeneralName:
    """An issuerAltName entry: ``mailto:``/plain e-mail → rfc822Name, anything else a URI."""
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
        return x509.RFC822Name(value)
    if "@" in value and "://" not in value:
        return x509.RFC822Name(value)
    if "://" not in value:
        raise InvalidInput(
            "PKI_ISSUER_ALT_NAME_INVALID",
            "issuer alternative name must be a URI (https://…) or an e-mail address",
        )
    return x509.UniformResourceIdentifier(value)


def _crl_point(uri: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(uri)], None, None, None)]
    )


def create_iaca(
    private_key: SigningKey,
    *,
    name: IssuerName,
    not_before: datetime,
    not_after: datetime,
    serial_number: int,
    issuer_alt_name: str,
    crl_uri: str | None = None,
) -> x509.Certificate:
    """Build a self-signed IACA root certificate of the Annex B profile."""
    start, end = _check_window(not_before, not_after)
    subject = name.to_x509()
    public = private_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(serial_number)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.IssuerAlternativeName([_issuer_alt_name(issuer_alt_name)]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    if crl_uri:
        builder = builder.add_extension(_crl_point(crl_uri), critical=False)
    return builder.sign(private_key, signature_hash(private_key))


def create_document_signer(
    ds_public_key: PublicKey,
    *,
    iaca_cert: x509.Certificate,
    iaca_key: SigningKey,
    common_name: str,
    not_before: datetime,
    not_after: datetime,
    serial_number: int,
    crl_uri: str | None = None,
) -> x509.Certificate:
    """Issue a document-signer certificate under ``iaca_cert`` (Annex B.1.4 profile).

    The DS validity must lie inside the IACA's, otherwise readers reject the
    chain before the DS expires (``PKI_VALIDITY_OUTSIDE_IACA``).
    """
    start, end = _check_window(not_before, not_after)
    if start < iaca_cert.not_valid_before_utc or end > iaca_cert.not_valid_after_utc:
        raise InvalidInput(
            "PKI_VALIDITY_OUTSIDE_IACA",
            "the document-signer validity must lie inside the IACA certificate's validity "
            f"({iaca_cert.not_valid_before_utc.isoformat()} .. "
            f"{iaca_cert.not_valid_after_utc.isoformat()})",
        )
    if iaca_cert.public_key() != iaca_key.public_key():
        raise InvalidInput(
            "PKI_KEY_MISMATCH", "the IACA private key does not match its certificate"
        )
    if not common_name.strip():
        raise InvalidInput("PKI_NAME_INVALID", "common name must not be empty")
    # The DS subject repeats C (and ST) so a reader showing only the leaf still names the issuer.
    subject_attrs = [
        attr
        for attr in iaca_cert.subject
        if attr.oid in (NameOID.COUNTRY_NAME, NameOID.STATE_OR_PROVINCE_NAME)
    ]
    subject_attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject_attrs))
        .issuer_name(iaca_cert.subject)
        .public_key(ds_public_key)
        .serial_number(serial_number)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([MDL_DS_EKU]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ds_public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(iaca_key.public_key()),
            critical=False,
        )
    )
    try:
        ian = iaca_cert.extensions.get_extension_for_class(x509.IssuerAlternativeName)
        builder = builder.add_extension(ian.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    if crl_uri:
        builder = builder.add_extension(_crl_point(crl_uri), critical=False)
    return builder.sign(iaca_key, signature_hash(iaca_key))


# ---------------------------------------------------------------- loading and reading

_PARSE_ERRORS: Final = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


def _fully_parsed(cert: x509.Certificate) -> x509.Certificate:
    """Parse now what ``cryptography`` parses lazily (names, extensions, key).

    Otherwise a certificate whose outer DER is sound but whose issuer name or an
    extension is not would load fine and fail later, deep inside chain building,
    with a bare ``ValueError``.
    """
    _ = cert.subject, cert.issuer, cert.extensions, cert.public_key()
    _ = cert.not_valid_before_utc, cert.not_valid_after_utc, cert.serial_number
    return cert


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse one certificate from PEM or DER; ``PKI_CERT_MALFORMED`` on anything else."""
    if len(data) > MAX_CERT_SIZE * 2:
        raise MalformedData("PKI_CERT_MALFORMED", "certificate file is too large")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return _fully_parsed(x509.load_pem_x509_certificate(data))
        return _fully_parsed(x509.load_der_x509_certificate(data))
    except _PARSE_ERRORS as exc:
        raise MalformedData("PKI_CERT_MALFORMED", f"not a PEM or DER certificate: {exc}") from exc


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Parse a PEM bundle (one or more certificates) or a single DER certificate."""
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            return [_fully_parsed(c) for c in x509.load_pem_x509_certificates(data)]
        except _PARSE_ERRORS as exc:
            raise MalformedData("PKI_CERT_MALFORMED", f"bad PEM certificate: {exc}") from exc
    return [load_certificate(data)]


def certificate_from_der(der: bytes) -> x509.Certificate:
    """Parse a DER certificate taken from an x5chain (bounded)."""
    if len(der) > MAX_CERT_SIZE:
        raise MalformedData("MDOC_CERT_MALFORMED", "x5chain certificate is too large")
    try:
        return _fully_parsed(x509.load_der_x509_certificate(der))
    except _PARSE_ERRORS as exc:
        raise MalformedData(
            "MDOC_CERT_MALFORMED", f"x5chain holds a bad certificate: {exc}"
        ) from exc


def name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    """The first value of attribute ``oid`` in ``name`` (``C``, ``ST``…), or None."""
    values = name.get_attributes_for_oid(oid)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def issuer_country(cert: x509.Certificate) -> str | None:
    return name_attribute(cert.issuer, NameOID.COUNTRY_NAME)


def issuer_state(cert: x509.Certificate) -> str | None:
    return name_attribute(cert.issuer, NameOID.STATE_OR_PROVINCE_NAME)


def public_key_of(cert: x509.Certificate) -> PublicKey:
    key = cert.public_key()
    if not isinstance(
        key, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey
    ):
        raise MalformedData(
            "PKI_KEY_UNSUPPORTED", "certificate key is not an EC or EdDSA key (Annex B)"
        )
    return key


def certificate_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def certificates_pem(certs: Sequence[x509.Certificate]) -> bytes:
    return b"".join(certificate_pem(c) for c in certs)
