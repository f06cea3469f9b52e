"""ISO/IEC 18013-5 mdoc: data elements, issuance, presentation and their CBOR forms.

Construction lives in ``items``, ``mso``, ``issuer_signed``, ``issuance``,
``device_response``, ``device_auth`` and ``request``; element tables in
``doctypes``; verification in ``verifier``. The names below are the public API.
"""

from motorcred.formats.mdoc.device_auth import (
    derive_emac_key,
    device_authentication_bytes,
    device_authentication_bytes_raw,
    present,
    present_mac,
    select_items,
    session_transcript_inner,
)
from motorcred.formats.mdoc.device_response import DeviceResponse, DeviceSigned, Document
from motorcred.formats.mdoc.doctypes import (
    CN_DL_NS,
    CN_VRC_NS,
    MDL_DOCTYPE,
    MDL_NS,
    MVRC_DOCTYPE,
    MVRC_NS,
    check_element,
    check_elements,
)
from motorcred.formats.mdoc.issuance import PreparedIssue, issue, prepare_issue
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.mdoc.items import IssuerSignedItem, decode_item, make_item
from motorcred.formats.mdoc.mso import MobileSecurityObject, ValidityInfo
from motorcred.formats.mdoc.request import ItemsRequest

__all__ = [
    "CN_DL_NS",
    "CN_VRC_NS",
    "MDL_DOCTYPE",
    "MDL_NS",
    "MVRC_DOCTYPE",
    "MVRC_NS",
    "DeviceResponse",
    "DeviceSigned",
    "Document",
    "IssuedDocument",
    "IssuerSignedItem",
    "ItemsRequest",
    "MobileSecurityObject",
    "PreparedIssue",
    "ValidityInfo",
    "check_element",
    "check_elements",
    "decode_item",
    "derive_emac_key",
    "device_authentication_bytes",
    "device_authentication_bytes_raw",
    "issue",
    "make_item",
    "prepare_issue",
    "present",
    "present_mac",
    "select_items",
    "session_transcript_inner",
]
