"""A holder app's P-256 device key, signing the binding proof the way the app does."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from motorcred.formats.device_proof import public_jwk, to_be_signed


@dataclass
class DeviceKey:
    private: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @property
    def jwk(self) -> dict[str, Any]:
        return public_jwk(self.private.public_key())

    def sign(self, nonce_b64: str, account_id: int, purpose: str = "device-binding") -> str:
        nonce = base64.urlsafe_b64decode(nonce_b64 + "=" * (-len(nonce_b64) % 4))
        der = self.private.sign(to_be_signed(nonce, account_id, purpose), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
