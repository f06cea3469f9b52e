"""The signing port (DESIGN rule 4): prepare → sign → complete, the key wherever it lives.

Everything motorcred signs — an mdoc's IssuerAuth, a Status List Token, a
deviceSignature — is first *prepared* by a pure builder that returns the exact
bytes to sign (``to_be_signed``) and the algorithm, then *signed* by a
:class:`DocumentSigner`, then *completed* with the raw signature. The signer
may be a key in this process (:class:`SoftwareSigner`), an HSM behind PKCS#11,
or a remote signing service; builders never see the key.

A signer that issues credentials also carries its certificate chain (DER,
document-signer certificate first), because the chain travels in the x5chain
header of what it signs and must belong to the key that signs.

:func:`sign_prepared` is the one place that joins the three steps, and it
checks what an outside signer hands back: the algorithm must be the one the
structure was prepared for, and the signature must have the size that
algorithm produces (an HSM returning DER-encoded ECDSA, a common slip, is
caught here rather than by every verifier later; see
:func:`cose_signature_from_der` for the conversion).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from motorcred.errors import InvalidInput, MalformedData
from motorcred.formats.cose_keys import (
    ALG_EDDSA,
    ALG_ES256,
    ALG_ES384,
    LocalSigner,
    PrivateKey,
    Signer,
)
from motorcred.formats.x509 import certificate_from_der

__all__ = [
    "SIGNATURE_SIZES",
    "DocumentSigner",
    "Prepared",
    "Signer",
    "SoftwareSigner",
    "cose_signature_from_der",
    "sign_prepared",
]

#: Raw COSE signature sizes: r‖s for ECDSA (RFC 9053 §2.1), 64 bytes for Ed25519.
SIGNATURE_SIZES: Final[dict[int, int]] = {ALG_ES256: 64, ALG_ES384: 96, ALG_EDDSA: 64}

T_co = TypeVar("T_co", covariant=True)


class DocumentSigner(Signer, Protocol):
    """A :class:`Signer` that also names its certificate chain and a key identifier.

    ``algorithm`` is the COSE algorithm (-7 ES256, -35 ES384, -8 EdDSA);
    ``sign(data)`` returns the raw COSE signature over ``data``;
    ``certificate_chain`` is DER, the signer's own certificate first;
    ``key_id`` names the key for logs and rotation (never secret).
    """

    @property
    def certificate_chain(self) -> tuple[bytes, ...]: ...

    @property
    def key_id(self) -> str: ...


class Prepared(Protocol[T_co]):
    """What a builder prepares: the bytes to sign, their algorithm, and how to finish."""

    @property
    def to_be_signed(self) -> bytes: ...

    @property
    def algorithm(self) -> int: ...

    def complete(self, signature: bytes) -> T_co: ...


def sign_prepared(prepared: Prepared[T_co], signer: Signer) -> T_co:
    """Sign ``prepared`` with ``signer`` and complete it, checking what the signer returns.

    Raises ``SIGNER_ALG_MISMATCH`` when the signer's algorithm is not the one the
    structure was prepared for, and ``SIGNER_SIGNATURE_INVALID`` when the
    signature is not bytes of the algorithm's size.
    """
    if signer.algorithm != prepared.algorithm:
        raise InvalidInput(
            "SIGNER_ALG_MISMATCH",
            f"the structure was prepared for algorithm {prepared.algorithm}, "
            f"the signer uses {signer.algorithm}",
        )
    signature = signer.sign(prepared.to_be_signed)
    expected = SIGNATURE_SIZES.get(prepared.algorithm)
    if not isinstance(signature, bytes) or (expected is not None and len(signature) != expected):
        size = len(signature) if isinstance(signature, bytes) else type(signature).__name__
        raise InvalidInput(
            "SIGNER_SIGNATURE_INVALID",
            f"the signer returned {size} where a {expected}-byte raw signature was expected",
        )
    return prepared.complete(signature)


def cose_signature_from_der(algorithm: int, der_signature: bytes) -> bytes:
    """Turn a DER ECDSA signature (as many HSMs and cloud KMSs return it) into COSE r‖s."""
    if algorithm not in (ALG_ES256, ALG_ES384):
        raise InvalidInput("SIGNER_ALG_MISMATCH", f"algorithm {algorithm} is not ECDSA")
    size = SIGNATURE_SIZES[algorithm] // 2
    try:
        r, s = decode_dss_signature(der_signature)
    except ValueError:
        raise InvalidInput("SIGNER_SIGNATURE_INVALID", "not a DER ECDSA signature") from None
    if not (0 < r < 1 << (8 * size) and 0 < s < 1 << (8 * size)):
        raise InvalidInput("SIGNER_SIGNATURE_INVALID", "ECDSA signature values out of range")
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


class SoftwareSigner(LocalSigner):
    """A :class:`DocumentSigner` over a private key held in this process.

    The certificate chain is checked against the key on construction, so a
    rotation that pairs a new key with an old certificate fails at load time
    (``SIGNER_CERT_MISMATCH``), not when readers reject what it signed.
    """

    def __init__(
        self,
        private_key: PrivateKey,
        certificate_chain: Sequence[bytes],
        *,
        key_id: str,
    ) -> None:
        super().__init__(private_key)
        chain = tuple(certificate_chain)
        if not chain or not all(isinstance(c, bytes) and c for c in chain):
            raise InvalidInput(
                "SIGNER_CERT_MISSING", "a document signer needs its DER certificate chain"
            )
        try:
            leaf = certificate_from_der(chain[0])
        except MalformedData as exc:
            raise InvalidInput("SIGNER_CERT_MALFORMED", f"key {key_id!r}: {exc.message}") from None
        if leaf.public_key() != private_key.public_key():
            raise InvalidInput(
                "SIGNER_CERT_MISMATCH",
                f"key {key_id!r}: the certificate does not belong to the private key",
            )
        if not key_id:
            raise InvalidInput("SIGNER_KEY_ID_MISSING", "a document signer needs a key id")
        self._chain = chain
        self._leaf = leaf
        self._key_id = key_id

    @property
    def certificate_chain(self) -> tuple[bytes, ...]:
        return self._chain

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's own (document-signer) certificate, parsed."""
        return self._leaf

    @property
    def key_id(self) -> str:
        return self._key_id

    def __repr__(self) -> str:  # never print key material
        return f"SoftwareSigner(key_id={self._key_id!r}, algorithm={self.algorithm})"
