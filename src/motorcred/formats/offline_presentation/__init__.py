"""Compact offline presentation: the ``MC1:`` code a holder shows without network.

* :mod:`.credential` — the compact offline MSO the issuer signs at issuance
  (front-page elements, 16-byte salts, DS certificate named by ``kid``);
* :mod:`.wire` — the CBOR carried in the code, digest elision and the bytes the
  device signs;
* :mod:`.present` — the holder's device builds and signs a presentation;
* :mod:`.status_cache` — status lists a verifier cached while online;
* :mod:`.verify` — :func:`verify_offline_code`, every check with its own code.

The trust list the verifier needs lives in :mod:`motorcred.formats.trust_list`.
"""

from motorcred.formats.offline_presentation.credential import (
    EDL_FRONT_PAGE,
    OFFLINE_SALT_BYTES,
    PreparedOfflineCredential,
    issue_offline_credential,
    offline_elements,
    prepare_offline_credential,
)
from motorcred.formats.offline_presentation.present import (
    PreparedOfflinePresentation,
    offline_code,
    prepare_offline_presentation,
    present_offline,
)
from motorcred.formats.offline_presentation.status_cache import StatusCache, StatusLookup
from motorcred.formats.offline_presentation.verify import (
    DEFAULT_CLOCK_SKEW,
    DEFAULT_MAX_AGE,
    MemoryReplayLog,
    OfflineResult,
    ReplayLog,
    verify_offline_code,
)
from motorcred.formats.offline_presentation.wire import OfflinePresentation

__all__ = [
    "DEFAULT_CLOCK_SKEW",
    "DEFAULT_MAX_AGE",
    "EDL_FRONT_PAGE",
    "OFFLINE_SALT_BYTES",
    "MemoryReplayLog",
    "OfflinePresentation",
    "OfflineResult",
    "PreparedOfflineCredential",
    "PreparedOfflinePresentation",
    "ReplayLog",
    "StatusCache",
    "StatusLookup",
    "issue_offline_credential",
    "offline_code",
    "offline_elements",
    "prepare_offline_credential",
    "prepare_offline_presentation",
    "present_offline",
    "verify_offline_code",
]
