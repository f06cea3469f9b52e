"""Doctypes, namespaces and the data-element tables checked on issue and on verify.

* ``org.iso.18013.5.1`` — ISO/IEC 18013-5:2021 Table 5 (mDL data elements).
* ``cn.gov.mps.dl.1`` — China-specific licence data (status letters, points,
  file number, first issue date, issuing authority code, records), codes as in
  DOMAIN.md §5.
* ``org.iso.7367.1`` — ISO/IEC 7367 mVRC elements as published implementations use
  them (registration number, VIN, registration dates, holder/vehicle info maps).
* ``cn.gov.mps.vrc.1`` — China-specific registration data (plate, plate type,
  VIN, owner, use character, inspection, mortgage flag, status letters).

Elements unknown in a *known* namespace are refused (a typo must not silently
produce an unreadable credential); unknown namespaces are allowed, since other
issuers add their own, but must be well-formed (text identifiers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motorcred.errors import InvalidInput
from motorcred.formats.mdoc.elements import (
    ArrayOf,
    Bool,
    Bytes,
    DateOrTDate,
    FullDate,
    Letters,
    Spec,
    Struct,
    TDate,
    Text,
    UInt,
)

MDL_DOCTYPE = "org.iso.18013.5.1.mDL"
MDL_NS = "org.iso.18013.5.1"
CN_DL_NS = "cn.gov.mps.dl.1"
MVRC_DOCTYPE = "org.iso.7367.1.mVRC"
MVRC_NS = "org.iso.7367.1"
CN_VRC_NS = "cn.gov.mps.vrc.1"

_COUNTRY = Text(max_len=2, pattern=r"[A-Z]{2}", kind="ISO 3166-1 alpha-2")
_NAME = Text(max_len=150)
# ISO 18013-5 Table 5: names and places readers print in Latin script.
_LATIN1_NAME = Text(max_len=150, latin1=True, kind="tstr (Latin-1)")
_DATE_ONLY = FullDate()

# ISO 18013-5 §7.2.4: driving privileges; vehicle_category_code is the ISO code
# (AM, A1, A2, A, B1, B, BE, C1, C1E, C, CE, D1, D1E, D, DE, T) or, on Chinese
# licences, the Order 162 class (A1 … P); both are short upper-case codes.
_CATEGORY = Text(max_len=4, pattern=r"[A-Z][A-Z0-9]{0,3}", kind="vehicle category code")
_PRIVILEGE_CODE = Struct(
    fields={"code": Text(max_len=16), "sign": Text(max_len=8), "value": Text(max_len=64)},
    required=frozenset({"code"}),
)
DRIVING_PRIVILEGE = Struct(
    fields={
        "vehicle_category_code": _CATEGORY,
        "issue_date": DateOrTDate(),
        "expiry_date": DateOrTDate(),
        "codes": ArrayOf(_PRIVILEGE_CODE, max_items=32),
    },
    required=frozenset({"vehicle_category_code"}),
)

MDL_ELEMENTS: dict[str, Spec] = {
    "family_name": _LATIN1_NAME,
    "given_name": _LATIN1_NAME,
    "birth_date": _DATE_ONLY,
    "issue_date": DateOrTDate(),
    "expiry_date": DateOrTDate(),
    "issuing_country": _COUNTRY,
    "issuing_authority": _NAME,
    "document_number": Text(max_len=150),
    "portrait": Bytes(max_len=512 * 1024),
    "driving_privileges": ArrayOf(DRIVING_PRIVILEGE, max_items=32),
    "un_distinguishing_sign": Text(max_len=3, pattern=r"[A-Z]{1,3}"),
    "administrative_number": Text(max_len=150),
    "sex": UInt(choices=frozenset({0, 1, 2, 9}), kind="ISO/IEC 5218 sex code"),
    "height": UInt(maximum=300),
    "weight": UInt(maximum=500),
    "eye_colour": Text(
        choices=frozenset(
            [
                "black",
                "blue",
                "brown",
                "dichromatic",
                "grey",
                "green",
                "hazel",
                "maroon",
                "pink",
                "unknown",
            ]
        )
    ),
    "hair_colour": Text(
        choices=frozenset(
            [
                "bald",
                "black",
                "blond",
                "brown",
                "grey",
                "red",
                "auburn",
                "sandy",
                "white",
                "unknown",
            ]
        )
    ),
    "birth_place": _LATIN1_NAME,
    "resident_address": _LATIN1_NAME,
    "portrait_capture_date": TDate(),
    "age_in_years": UInt(maximum=150),
    "age_birth_year": UInt(maximum=9999),
    "issuing_jurisdiction": Text(max_len=16, pattern=r"[A-Z]{2}-[A-Z0-9]{1,3}"),
    "nationality": _COUNTRY,
    "resident_city": _LATIN1_NAME,
    "resident_state": _LATIN1_NAME,
    "resident_postal_code": Text(max_len=16),
    "resident_country": _COUNTRY,
    "family_name_national_character": _NAME,
    "given_name_national_character": _NAME,
    "signature_usual_mark": Bytes(),
}
for _age in range(100):
    MDL_ELEMENTS[f"age_over_{_age:02d}"] = Bool()
for _bio in ("face", "finger", "signature_sign", "iris"):
    MDL_ELEMENTS[f"biometric_template_{_bio}"] = Bytes()

MDL_MANDATORY = frozenset(
    {
        "family_name",
        "given_name",
        "birth_date",
        "issue_date",
        "expiry_date",
        "issuing_country",
        "issuing_authority",
        "document_number",
        "portrait",
        "driving_privileges",
        "un_distinguishing_sign",
    }
)

# DOMAIN.md §5 licence status letters ("A" normal only alone).
LICENCE_STATUS_LETTERS = frozenset("ABCDEFGHIJKLMNPRSTUZ")
VEHICLE_STATUS_LETTERS = frozenset("ABCDEGHIJKLMNOPQ")
_RECORD = Struct(
    fields={
        "date": _DATE_ONLY,
        "kind": Text(max_len=32),
        "text": Text(max_len=500),
        "points": UInt(maximum=12),
        "authority": Text(max_len=150),
    },
    required=frozenset({"date", "kind"}),
)

CN_DL_ELEMENTS: dict[str, Spec] = {
    "licence_status": Letters(LICENCE_STATUS_LETTERS, alone=frozenset("A")),
    "cumulative_points": UInt(maximum=99),
    "file_number": Text(max_len=12, min_len=12, pattern=r"[0-9]{12}", kind="12-digit file number"),
    "first_issue_date": _DATE_ONLY,
    "issuing_authority_code": Text(max_len=32, pattern=r"[0-9A-Z\u4e00-\u9fff]+"),
    "records": ArrayOf(_RECORD, max_items=256, min_items=0),
    "probation_until": _DATE_ONLY,
    "permitted_classes": Text(max_len=32, pattern=r"[A-Z0-9]+"),
    "generated_at": TDate(),
    # The registry address in its own script when it cannot be the mDL's Latin-1
    # resident_address.
    "resident_address": _NAME,
}

_VIN = Text(max_len=17, min_len=17, pattern=r"[A-HJ-NPR-Z0-9]{17}", kind="VIN")
_PERSON = Struct(
    fields={
        "family_name_unicode": _NAME,
        "given_name_unicode": _NAME,
        "name_unicode": _NAME,
        "resident_address": _NAME,
        "birth_date": _DATE_ONLY,
    },
    open=True,
)
_INFO_MAP = Struct(fields={}, open=True)

MVRC_ELEMENTS: dict[str, Spec] = {
    "issue_date": DateOrTDate(),
    "expiry_date": DateOrTDate(),
    "issuing_country": _COUNTRY,
    "issuing_authority_unicode": _NAME,
    "issuing_jurisdiction": Text(max_len=16, pattern=r"[A-Z]{2}-[A-Z0-9]{1,3}"),
    "document_number": Text(max_len=150),
    "un_distinguishing_sign": Text(max_len=3, pattern=r"[A-Z]{1,3}"),
    "registration_number": Text(max_len=32),
    "register_number": Text(max_len=64),
    "date_of_registration": _DATE_ONLY,
    "date_of_first_registration": _DATE_ONLY,
    "year_of_manufacturing": UInt(maximum=9999),
    "vehicle_identification_number": _VIN,
    "registered_owner": _PERSON,
    "registered_user": _PERSON,
    "basic_vehicle_info": _INFO_MAP,
    "mass_info": _INFO_MAP,
    "trailer_mass_info": _INFO_MAP,
    "engine_info": _INFO_MAP,
    "seating_info": _INFO_MAP,
    "approval_date_technical_inspection": _DATE_ONLY,
    "expiry_date_technical_inspection": _DATE_ONLY,
}
MVRC_MANDATORY = frozenset(
    {"registration_number", "vehicle_identification_number", "issuing_country", "issue_date"}
)

# Plate: province abbreviation + authority letter (no I/O) + 5 (ordinary) or 6 (new-energy)
# characters; the exact new-energy layout is checked in domain/, not here.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = Text(
    max_len=8,
    min_len=7,
    pattern=rf"[{_PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{5,6}}",
    kind="plate number",
)
CN_VRC_ELEMENTS: dict[str, Spec] = {
    "plate_number": _PLATE,
    "plate_type": Text(max_len=2, min_len=2, pattern=r"[0-9]{2}", kind="plate type code"),
    "vin": _VIN,
    "owner": _NAME,
    "use_character": Text(max_len=2, pattern=r"[A-Z]{1,2}", kind="use character code"),
    "vehicle_type": Text(max_len=8),
    "brand_model": _NAME,
    "engine_number": Text(max_len=32),
    "registration_date": _DATE_ONLY,
    "inspection_valid_until": _DATE_ONLY,
    "compulsory_scrap_date": _DATE_ONLY,
    "mortgaged": Bool(),
    "vehicle_status": Letters(VEHICLE_STATUS_LETTERS, alone=frozenset("A")),
    "colour": Text(max_len=16),
    "file_number": Text(max_len=12, min_len=12, pattern=r"[0-9]{12}"),
    "approved_passengers": UInt(maximum=200),
    "gross_mass_kg": UInt(maximum=200_000),
    "kerb_mass_kg": UInt(maximum=200_000),
    "rated_load_kg": UInt(maximum=200_000),
    "issuing_authority_code": Text(max_len=32, pattern=r"[0-9A-Z\u4e00-\u9fff]+"),
    "generated_at": TDate(),
}

#: namespace → element table, for every namespace whose elements we know.
NAMESPACE_ELEMENTS: dict[str, dict[str, Spec]] = {
    MDL_NS: MDL_ELEMENTS,
    CN_DL_NS: CN_DL_ELEMENTS,
    MVRC_NS: MVRC_ELEMENTS,
    CN_VRC_NS: CN_VRC_ELEMENTS,
}
#: doctype → (main namespace, mandatory elements there)
DOCTYPE_MANDATORY: dict[str, tuple[str, frozenset[str]]] = {
    MDL_DOCTYPE: (MDL_NS, MDL_MANDATORY),
    MVRC_DOCTYPE: (MVRC_NS, MVRC_MANDATORY),
}
_NS_PATTERN_MAX = 128


def check_element(namespace: str, identifier: str, value: Any) -> None:
    """Check one element against its table; unknown namespaces only need a text identifier."""
    if not isinstance(identifier, str) or not identifier or len(identifier) > _NS_PATTERN_MAX:
        raise InvalidInput(
            "MDOC_ELEMENT_UNKNOWN", f"element identifier {identifier!r} in {namespace} is invalid"
        )
    table = NAMESPACE_ELEMENTS.get(namespace)
    if table is None:
        return
    spec = table.get(identifier)
    if spec is None:
        raise InvalidInput(
            "MDOC_ELEMENT_UNKNOWN",
            f"{namespace} has no element {identifier!r}",
            details={"namespace": namespace, "element": identifier},
        )
    issue = spec.problem(value)
    if issue:
        raise InvalidInput(
            "MDOC_ELEMENT_TYPE",
            f"{namespace}/{identifier} {issue} ({spec.kind})",
            details={"namespace": namespace, "element": identifier, "expected": spec.kind},
        )


def check_elements(
    doctype: str,
    namespaces: Mapping[str, Mapping[str, Any]],
    *,
    mandatory: bool = False,
) -> None:
    """Check every element's type and constraints.

    ``mandatory=True`` (used on issue) also requires the doctype's mandatory
    elements; a verifier leaves it off because selective disclosure omits elements.
    """
    if not isinstance(doctype, str) or not doctype:
        raise InvalidInput("MDOC_DOCTYPE_INVALID", "docType must be a non-empty text string")
    if not isinstance(namespaces, Mapping):
        raise InvalidInput("MDOC_ELEMENT_TYPE", "namespaces must be a map")
    for namespace, elements in namespaces.items():
        if not isinstance(namespace, str) or not namespace or len(namespace) > _NS_PATTERN_MAX:
            raise InvalidInput("MDOC_ELEMENT_UNKNOWN", f"namespace {namespace!r} is invalid")
        if not isinstance(elements, Mapping):
            raise InvalidInput("MDOC_ELEMENT_TYPE", f"namespace {namespace} must map elements")
        table = NAMESPACE_ELEMENTS.get(namespace)
        for identifier, value in elements.items():
            # The common case inline (a known element whose value fits); anything
            # else goes through check_element, which names the problem.
            spec = table.get(identifier) if table is not None and type(identifier) is str else None
            if spec is None or spec.problem(value) is not None:
                check_element(namespace, identifier, value)
    if mandatory and doctype in DOCTYPE_MANDATORY:
        main_ns, required = DOCTYPE_MANDATORY[doctype]
        missing = sorted(required - set(namespaces.get(main_ns, {})))
        if missing:
            raise InvalidInput(
                "MDOC_MANDATORY_MISSING",
                f"{doctype} needs {main_ns} elements {missing}",
                details={"namespace": main_ns, "missing": missing},
            )
