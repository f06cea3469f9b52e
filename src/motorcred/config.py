"""Settings, read from the environment (``MOTORCRED_*``) and an optional ``.env`` file.

The ``demo`` profile (the embedded default) runs with built-in development
secrets so that ``motorcred serve`` works on a fresh machine. Any other profile
refuses to start while a secret still has its built-in value: a production
deployment must bring its own keys.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from motorcred.errors import ConfigurationError

# Development-only secrets (32 bytes each, base64). Public on purpose: they
# protect nothing but demo data, and `Settings.check_secure()` refuses them
# outside the demo profile.
DEMO_PII_KEY = base64.b64encode(b"motorcred-demo-pii-key-32-bytes!").decode()
DEMO_BLIND_INDEX_KEY = base64.b64encode(b"motorcred-demo-blind-index-key!!").decode()
DEMO_SESSION_SECRET = base64.b64encode(b"motorcred-demo-session-secret!!!").decode()
DEMO_STAFF_TOKEN = "demo-staff-token"  # noqa: S105 - demo profile only, refused elsewhere

_DEMO_SECRETS = {
    "pii_key": DEMO_PII_KEY,
    "blind_index_key": DEMO_BLIND_INDEX_KEY,
    "session_secret": DEMO_SESSION_SECRET,
    "staff_token": DEMO_STAFF_TOKEN,
}


def default_data_dir() -> Path:
    return Path.cwd() / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MOTORCRED_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    profile: Literal["demo", "production", "test"] = "demo"
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    """SQLAlchemy URL; empty means an SQLite file ``motorcred.db`` in ``data_dir``."""

    pii_key: str = DEMO_PII_KEY
    """Base64 AES-256 key for personal data at rest. Rotate with ``pii_key_id``."""
    pii_key_id: str = "k1"
    pii_old_keys: dict[str, str] = Field(default_factory=dict)
    """Retired PII keys by id, still able to decrypt values written under them."""
    blind_index_key: str = DEMO_BLIND_INDEX_KEY
    """Base64 HMAC key for blind indexes (exact-match lookups of encrypted fields)."""
    session_secret: str = DEMO_SESSION_SECRET
    staff_token: str = DEMO_STAFF_TOKEN
    """Bearer token granting the staff-admin role (bootstrap; staff accounts come later)."""

    host: str = "127.0.0.1"
    port: int = 8000
    sql_echo: bool = False

    # Holder accounts (sign-up, login, binding to the registry, device keys).
    session_ttl_minutes: int = Field(default=720, ge=1)
    """How long a holder's login session lasts; logging out ends it sooner."""
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8192)
    """argon2id cost (RFC 9106 second recommended option by default)."""
    otp_ttl_seconds: int = Field(default=300, ge=30)
    otp_max_attempts: int = Field(default=5, ge=1)
    otp_resend_seconds: int = Field(default=60, ge=0)
    device_nonce_ttl_seconds: int = Field(default=120, ge=10)

    # Verification: online codes shown by holders, bearer tokens of verifier clients.
    online_code_ttl_seconds: int = Field(default=60, ge=10, le=600)
    """How long an online code (亮码) may be checked after it was shown; single use."""
    verifier_token_ttl_seconds: int = Field(default=600, ge=60, le=86400)
    """Lifetime of a bearer token from the OAuth2 client-credentials grant."""

    # Notifications: "log" writes messages to the log (demo); "smtp" sends mail,
    # SMS through an e-mail-to-SMS gateway address built from ``smtp_sms_address``.
    notifier: Literal["log", "smtp"] = "log"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_sender: str = "motorcred <noreply@motorcred.invalid>"
    smtp_sms_address: str = "{phone}@sms.motorcred.invalid"
    smtp_timeout_seconds: float = 10.0

    # Signing service: the keystore issuer that signs, status lists, credential validity.
    public_base_url: str = "http://127.0.0.1:8000"
    """Where verifiers reach this service; status list URIs in credentials start with it."""
    keystore_issuer: str = "cn"
    """Keystore issuer (``<data_dir>/keystore/<issuer>``) whose current DS key signs."""
    status_list_size: int = Field(default=1_048_576, ge=16, le=100_000_000)
    """Entries per status list; a new list is opened when one is full."""
    status_list_ttl_seconds: int = Field(default=3600, ge=60)
    """How long verifiers may cache a status list (token ``ttl`` and HTTP max-age)."""
    status_list_validity_hours: int = Field(default=48, ge=1)
    """Lifetime of a signed status list token (``exp``); re-signed before it runs out."""
    credential_validity_days: int = Field(default=365, ge=1)
    """MSO validity of an issued credential (capped by the document's own expiry)."""

    # e-DL applications: the real-person check on the photo-on-file path and photo review.
    identity_verifier: Literal["local", "http"] = "local"
    """"local" compares photos offline (demo only, refused in production); "http" calls
    the verification service at ``identity_http_url``."""
    identity_http_url: str = ""
    identity_http_token: str = ""
    identity_http_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    identity_match_threshold: float = Field(default=0.88, gt=0, le=1)
    """Similarity the local comparison needs to count as a match."""
    review_lease_minutes: int = Field(default=15, ge=1, le=240)
    """How long a reviewer's claim on a queued photo lasts before it returns to the queue."""
    review_working_days: int = Field(default=1, ge=1, le=10)
    """SLA of a photo review: due by the end of this many working days after submission."""

    @field_validator("pii_key", "blind_index_key", "session_secret")
    @classmethod
    def _is_32_byte_base64(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("must be base64") from exc
        if len(raw) != 32:
            raise ValueError("must decode to exactly 32 bytes")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'motorcred.db').as_posix()}"

    def key_bytes(self, name: Literal["pii_key", "blind_index_key", "session_secret"]) -> bytes:
        return base64.b64decode(getattr(self, name))

    def check_secure(self) -> None:
        """Refuse to run outside the demo/test profiles with a built-in secret."""
        if self.profile in ("demo", "test"):
            return
        weak = [name for name, demo in _DEMO_SECRETS.items() if getattr(self, name) == demo]
        if weak:
            names = ", ".join(f"MOTORCRED_{n.upper()}" for n in weak)
            raise ConfigurationError(
                "CONFIG_DEFAULT_SECRET",
                f"profile {self.profile!r} refuses built-in development secrets; set {names}",
            )
        if not self.database_url:
            raise ConfigurationError(
                "CONFIG_NO_DATABASE",
                f"profile {self.profile!r} needs MOTORCRED_DATABASE_URL",
            )
        if self.notifier == "log":
            # The log notifier writes one-time codes and phone numbers to the log.
            raise ConfigurationError(
                "CONFIG_NOTIFIER_LOG",
                f"profile {self.profile!r} must send notifications (MOTORCRED_NOTIFIER=smtp), "
                "not write them to the log",
            )
