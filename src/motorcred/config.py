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
