"""What each verifier role sees of a credential: clear, masked (脱敏) or not at all.

Principle (DOMAIN.md section 4): a verifier sees only the fields its purpose
needs. The policy is one table of data, ``POLICY[kind][field][role]``, so a
change of rules is a data change and the audit log can record exactly which
fields each verification revealed. Fields that are not in the table are never
shown to a verifier (deny by default); the ``holder`` role sees everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

from motorcred.errors import Forbidden, InvalidInput


class Access(StrEnum):
    CLEAR = "clear"
    MASKED = "masked"
    HIDDEN = "hidden"


C, M, H = Access.CLEAR, Access.MASKED, Access.HIDDEN

VERIFIER_ROLES: Final = ("police", "rental", "insurer", "employer", "dealer", "bank")
HOLDER: Final = "holder"
KINDS: Final = ("edl", "evrc")


# Why each role sees what it sees; the columns of the tables below follow it.
PURPOSES: Final[dict[str, str]] = {
    "police": "Enforcement at the roadside: identity, entitlement, points, portrait and full "
    "vehicle record are all needed (DOMAIN.md: police also see the portrait and points).",
    "rental": "Check the renter may drive the class of car and since when; identity only "
    "partly (name/ID masked), no points, no portrait, no home address beyond the district.",
    "insurer": "Price and underwrite a policy: driver's name, sex, age and licence age; the "
    "vehicle's full VIN, engine number and use character; ID masked, no points.",
    "employer": "Hire a driver: identity, classes and validity; home address to district; "
    "no points, portrait or file number; of a vehicle only what shows it is roadworthy.",
    "dealer": "Used-car trade: the vehicle's full technical and legal state (VIN, mortgage, "
    "unprocessed violations); of the owner only a masked name and ID.",
    "bank": "Loan and mortgage KYC: name and birth date in clear, ID masked; the vehicle's "
    "VIN, registration date and mortgage state; no driving entitlements.",
}

_ROLES = VERIFIER_ROLES


def _row(*access: Access) -> dict[str, Access]:
    assert len(access) == len(_ROLES)
    return dict(zip(_ROLES, access, strict=True))


#                                police rental insurer employer dealer bank
EDL_POLICY: Final[dict[str, dict[str, Access]]] = {
    "name": _row(C, M, C, C, M, C),
    "sex": _row(C, H, C, C, H, H),
    "nationality": _row(C, H, H, H, H, H),
    "birth_date": _row(C, H, C, C, H, C),
    "licence_number": _row(C, M, M, M, M, M),
    "classes": _row(C, C, C, C, C, H),
    "valid_from": _row(C, C, C, C, C, H),
    "valid_until": _row(C, C, C, C, C, C),
    "status": _row(C, C, C, C, C, C),
    "points": _row(C, H, H, H, H, H),
    "file_number": _row(C, H, H, H, H, H),
    "address": _row(C, M, M, M, H, M),
    "issuing_authority": _row(C, C, C, C, C, H),
    "first_issue_date": _row(C, C, C, C, H, H),
    "records": _row(C, H, H, H, H, H),
    "portrait": _row(C, H, H, H, H, H),
}

#                                       police rental insurer employer dealer bank
EVRC_POLICY: Final[dict[str, dict[str, Access]]] = {
    "plate": _row(C, C, C, M, C, C),
    "plate_type": _row(C, C, C, C, C, C),
    "vehicle_type": _row(C, C, C, C, C, C),
    "owner_name": _row(C, M, C, M, M, C),
    "owner_id": _row(C, M, M, M, M, M),
    "use_character": _row(C, C, C, H, C, C),
    "brand_model": _row(C, C, C, C, C, C),
    "vin": _row(C, M, C, H, C, C),
    "engine_number": _row(C, H, C, H, C, H),
    "registration_date": _row(C, C, C, H, C, C),
    "inspection_valid_until": _row(C, C, C, C, C, H),
    "mortgage": _row(C, H, H, H, C, C),
    "status": _row(C, C, C, C, C, C),
    "violations_unprocessed": _row(C, H, H, H, C, H),
}

POLICY: Final[dict[str, dict[str, dict[str, Access]]]] = {
    "edl": EDL_POLICY,
    "evrc": EVRC_POLICY,
}

# --------------------------------------------------------------------------- maskers

COMPOUND_SURNAMES: Final = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "独孤",
        "南宫",
        "西门",
        "端木",
        "申屠",
        "呼延",
        "澹台",
        "公冶",
        "太史",
        "闻人",
        "万俟",
        "司空",
        "钟离",
        "拓跋",
        "百里",
    ]
)


def _mask_given(given: str) -> str:
    """All but the last character of a given name; a one-character name fully."""
    if len(given) <= 1:
        return "*" * len(given)
    return "*" * (len(given) - 1) + given[-1]


def mask_name(name: str) -> str:
    """张小三 → 张*三, 张三 → 张*, 欧阳娜娜 → 欧阳*娜 (compound surnames kept whole).

    Names written with a middle dot (transliterated minority names such as
    买买提·艾力) keep the first character and the last; everything between is
    masked, dots included, so the length of each part is not revealed.
    """
    name = name.strip()
    if not name:
        return ""
    if "·" in name or "•" in name or " " in name:
        return name[0] + "*" * max(len(name) - 2, 1) + (name[-1] if len(name) > 2 else "")
    surname_len = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:surname_len] + _mask_given(name[surname_len:])


def mask_id(number: str) -> str:
    """110105199001011234 → 110105********1234: region code and last four kept.

    The region code (first 6) and the last 4 are what a person checking a
    document against a face usually compares; the birth date in between is
    removed. Shorter numbers (old 15-digit IDs, passport numbers) keep at most a
    third at each end so that most of the number is always hidden.
    """
    n = len(number)
    if n >= 15:
        head, tail = 6, 4
    else:
        head = tail = n // 4
    return number[:head] + "*" * (n - head - tail) + number[n - tail :]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678 (operator prefix and last four kept)."""
    n = len(phone)
    if n >= 11:
        return phone[:3] + "*" * (n - 7) + phone[-4:]
    keep = n // 4
    return phone[:keep] + "*" * (n - 2 * keep) + phone[n - keep :]


_ADMIN_SEGMENT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|区|县|旗|盟)")
_COUNTY_ENDINGS = ("自治县", "自治旗", "县", "旗")


def mask_address(address: str) -> str:
    """Cut an address to district level: 北京市朝阳区建国路88号 → 北京市朝阳区.

    Administrative segments are read from the start (province/municipality,
    prefecture, county/district) and the address is cut after the county-level
    one (区, 县, 旗, 自治县, 自治旗, or a county-level 市 after a prefecture).
    An address with no recognisable segment is hidden entirely (``***``).
    """
    kept: list[str] = []
    pos = 0
    text = address.strip()
    while len(kept) < 3:
        m = _ADMIN_SEGMENT.match(text, pos)
        if m is None:
            break
        seg = m.group(0)
        kept.append(seg)
        pos = m.end()
        county = seg.endswith(_COUNTY_ENDINGS) or (
            seg.endswith("区") and not seg.endswith(("自治区", "特别行政区"))
        )
        if county or (seg.endswith("市") and len(kept) == 3):
            break
    return "".join(kept) if kept else "***"


def mask_vin(vin: str) -> str:
    """LSVAU2180N2123456 → LSV**********3456: manufacturer code (WMI) and last four kept.

    Enough to see the make and to match against the car in front of you; not
    enough to clone the vehicle's identity.
    """
    if len(vin) <= 7:
        return "*" * len(vin)
    return vin[:3] + "*" * (len(vin) - 7) + vin[-4:]


def mask_plate(plate: str) -> str:
    """粤B12345 → 粤B***45, 粤BD12345 → 粤B****45: province, city letter and last two kept."""
    if len(plate) <= 4:
        return plate[:1] + "*" * (len(plate) - 1)
    return plate[:2] + "*" * (len(plate) - 4) + plate[-2:]


MASKERS: Final[dict[str, Callable[[str], str]]] = {
    "name": mask_name,
    "owner_name": mask_name,
    "licence_number": mask_id,
    "owner_id": mask_id,
    "address": mask_address,
    "vin": mask_vin,
    "plate": mask_plate,
    "phone": mask_phone,
}

# --------------------------------------------------------------------------- policy


def access_for(kind: str, role: str, field: str) -> Access:
    """The access a role has to one field (unknown fields are hidden from verifiers)."""
    table = _table(kind)
    if role == HOLDER:
        return C
    if role not in _ROLES:
        raise Forbidden("ROLE_UNKNOWN", f"unknown verifier role {role!r}")
    row = table.get(field)
    return row[role] if row is not None else H


def _table(kind: str) -> dict[str, dict[str, Access]]:
    table = POLICY.get(kind)
    if table is None:
        raise InvalidInput("CREDENTIAL_KIND_UNKNOWN", f"unknown credential kind {kind!r}")
    return table


def apply_policy(kind: str, role: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields ``role`` may see, masked where the policy says so; hidden ones omitted.

    The keys of the result are the "fields seen" the audit log records (see
    :func:`fields_seen`).
    """
    access_for(kind, role, "")  # reject an unknown kind or role even with no fields
    out: dict[str, Any] = {}
    for field, value in fields.items():
        access = access_for(kind, role, field)
        if access is H:
            continue
        if access is M and value is not None:
            value = MASKERS[field](str(value))
        out[field] = value
    return out


def fields_seen(kind: str, role: str, fields: Mapping[str, Any]) -> list[str]:
    """Names of the fields shown to ``role`` in clear or masked, sorted, for the audit log."""
    return sorted(apply_policy(kind, role, fields))


def _check_table() -> None:
    """Every masked field must have a masker, so a policy edit cannot leak a value."""
    for table in POLICY.values():
        for field, row in table.items():
            if M in row.values() and field not in MASKERS:
                raise AssertionError(f"field {field!r} is masked but has no masker")


_check_table()
