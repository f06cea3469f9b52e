"""What an e-DL and an e-VRC say: registry entities → mdoc data elements.

Pure functions (dates and the generation time are parameters). The output
passes :func:`motorcred.formats.mdoc.doctypes.check_elements` with
``mandatory=True`` for its doctype (the tests check it; issuing checks it again,
so it is not repeated here on the bulk-issuance path).

Representation choices, made once here:

* **Names.** Chinese names are written family name first with no separator;
  the family name is the first character, or the first two for the compound
  surnames of :data:`COMPOUND_SURNAMES` (欧阳, 司马, …). Names of the form
  ``given·family`` (transliterated minority and foreign names, joined by a middle
  dot) split at the first dot. ISO 18013-5 Table 5 allows only Latin-1 in
  ``family_name``/``given_name``, so those carry Hanyu Pinyin without tone marks in
  upper case, syllables joined (张三丰 → ``ZHANG``/``SANFENG``, ü written ``YU`` as
  on passports); polyphonic surnames take their surname reading
  (:data:`SURNAME_READINGS`, 单 → ``SHAN``), since pypinyin has no surname mode.
  The Chinese original goes into ``*_national_character``.
* **Address.** ``resident_address`` is Latin-1 only too: a registry address in
  Chinese goes into ``cn.gov.mps.dl.1/resident_address`` instead (romanising an
  address would not give one a postman could use).
* **Long-term validity (长期).** ``expiry_date`` is mandatory in ISO 18013-5, so a
  long-term licence carries the full-date ``9999-12-31`` (:data:`LONG_TERM_EXPIRY`),
  the usual "no end" sentinel of registries; ``driving_privileges`` entries then
  carry no ``expiry_date``. The MSO's ``validUntil`` still bounds the credential.
* **Nationality.** Registry records hold ISO 3166 alpha-3 (``CHN``); the mDL
  element is alpha-2, so it is written for the codes in :data:`_ALPHA3_TO_ALPHA2`
  and left out otherwise rather than guessed.
* **Sex.** ISO/IEC 5218: 1 male, 2 female.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from pypinyin import Style, lazy_pinyin

from motorcred.domain.classes import canonical_order
from motorcred.domain.dates import whole_years_between
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.formats.mdoc.doctypes import (
    CN_DL_NS,
    CN_VRC_NS,
    MDL_NS,
    MVRC_NS,
)

ISSUING_COUNTRY: Final = "CN"
UN_DISTINGUISHING_SIGN: Final = "CHN"
LONG_TERM_EXPIRY: Final = date(9999, 12, 31)
COMPOUND_SURNAMES: Final = frozenset(
    {
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
        "令狐",
        "端木",
        "呼延",
        "澹台",
        "轩辕",
        "独孤",
        "南宫",
        "西门",
        "公羊",
        "闻人",
        "万俟",
        "申屠",
        "太史",
        "钟离",
        "赫连",
        "拓跋",
        "百里",
        "东郭",
    }
)
#: Surnames whose reading as a surname differs from pypinyin's default reading.
SURNAME_READINGS: Final = {
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "曾": "zeng",
    "朴": "piao",
    "繁": "po",
    "乐": "yue",
    "盖": "ge",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "种": "chong",
    "员": "yun",
    "召": "shao",
    "秘": "bi",
    "折": "she",
    "黑": "he",
    "句": "gou",
    "薄": "bo",
    "阚": "kan",
    "万俟": "moqi",
    "尉迟": "yuchi",
    "长孙": "zhangsun",
}
_ALPHA3_TO_ALPHA2: Final = {"CHN": "CN", "HKG": "HK", "MAC": "MO", "TWN": "TW"}
_SEX_5218: Final = {"M": 1, "F": 2}
_HAN_RUN: Final = re.compile("([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
NAME_DOTS: Final = ("·", "•", "・")

Namespaces = dict[str, dict[str, Any]]


def split_name(name: str) -> tuple[str, str]:
    """``(family_name, given_name)`` of a registry name (see the module notes)."""
    name = name.strip()
    for dot in NAME_DOTS:
        if dot in name:
            given, _, family = name.partition(dot)
            if given and family:
                return family, given
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    if len(name) >= 2:
        return name[:1], name[1:]
    return name, name


def is_latin1(text: str) -> bool:
    """Whether ``text`` uses only Latin-1 (ISO 18013-5 latin1b) characters."""
    return all(ord(char) <= 0xFF for char in text)


def _pinyin(han: str) -> str:
    # Style.NORMAL writes ü as "v" (lv, nve); passports write it "yu".
    return "".join(lazy_pinyin(han, style=Style.NORMAL)).replace("v", "yu")


def romanise(text: str, *, surname: bool = False) -> str:
    """Upper-case toneless pinyin of ``text``, syllables joined; other text is kept.

    ``surname=True`` reads a whole-surname entry of :data:`SURNAME_READINGS` first.
    """
    if surname:
        for length in (2, 1):
            reading = SURNAME_READINGS.get(text[:length])
            if reading is not None:
                return (reading + romanise(text[length:])).upper()
    # Odd items of the split are runs of Han characters; the rest (Latin letters,
    # digits) is not pinyin and keeps its letters, "v" included.
    runs = _HAN_RUN.split(text)
    return "".join(_pinyin(run) if index % 2 else run for index, run in enumerate(runs)).upper()


def _tdate(value: datetime) -> datetime:
    """A tdate carries whole seconds in UTC (what other mdoc readers expect)."""
    return value.astimezone(UTC).replace(microsecond=0)


def _name_elements(name: str) -> dict[str, Any]:
    family, given = split_name(name)
    latin = is_latin1(family) and is_latin1(given)
    return {
        "family_name": family if latin else romanise(family, surname=True),
        "given_name": given if latin else romanise(given),
        "family_name_national_character": family,
        "given_name_national_character": given,
    }


def edl_elements(
    licence: DrivingLicence,
    person: Person,
    *,
    portrait: bytes,
    generated_at: datetime,
    records: Sequence[Mapping[str, Any]] = (),
    portrait_captured_at: datetime | None = None,
) -> Namespaces:
    """The ``org.iso.18013.5.1`` and ``cn.gov.mps.dl.1`` elements of an e-DL."""
    generated_at = _tdate(generated_at)
    today = generated_at.date()
    expiry = licence.valid_until or LONG_TERM_EXPIRY
    privileges = []
    for code in canonical_order(licence.classes):
        privilege: dict[str, Any] = {
            "vehicle_category_code": code,
            "issue_date": licence.class_grants[code],
        }
        if licence.valid_until is not None:
            privilege["expiry_date"] = licence.valid_until
        privileges.append(privilege)
    age = whole_years_between(person.birth_date, today)
    mdl: dict[str, Any] = {
        **_name_elements(person.name),
        "birth_date": person.birth_date,
        "issue_date": licence.valid_from,
        "expiry_date": expiry,
        "issuing_country": ISSUING_COUNTRY,
        "issuing_authority": licence.issuing_authority_name,
        "document_number": licence.number,
        "administrative_number": licence.file_number,
        "portrait": portrait,
        "driving_privileges": privileges,
        "un_distinguishing_sign": UN_DISTINGUISHING_SIGN,
        "sex": _SEX_5218[person.sex],
        "age_over_18": age >= 18,
        "age_over_60": age >= 60,
        "age_birth_year": person.birth_date.year,
    }
    nationality = _ALPHA3_TO_ALPHA2.get(person.nationality)
    if nationality is not None:
        mdl["nationality"] = nationality
    if person.address and is_latin1(person.address):
        mdl["resident_address"] = person.address
    if portrait_captured_at is not None:
        mdl["portrait_capture_date"] = portrait_captured_at
    cn: dict[str, Any] = {
        "licence_status": "".join(sorted(licence.status)),
        "cumulative_points": licence.points,
        "file_number": licence.file_number,
        "first_issue_date": licence.first_issue_date,
        "issuing_authority_code": licence.issuing_authority_code,
        "permitted_classes": licence.classes_text,
        "generated_at": generated_at,
    }
    if person.address and not is_latin1(person.address):
        cn["resident_address"] = person.address
    if licence.in_probation(today):
        cn["probation_until"] = licence.probation_end() - timedelta(days=1)
    if records:
        cn["records"] = [dict(record) for record in records]
    return {MDL_NS: mdl, CN_DL_NS: cn}


def evrc_elements(
    vehicle: Vehicle,
    owner: Person,
    *,
    issuing_authority: str,
    generated_at: datetime,
) -> Namespaces:
    """The ``org.iso.7367.1`` and ``cn.gov.mps.vrc.1`` elements of an e-VRC."""
    generated_at = _tdate(generated_at)
    brand_model = f"{vehicle.brand} {vehicle.model}".strip()
    mass: dict[str, Any] = {
        key: value
        for key, value in (
            ("gross_mass_kg", vehicle.gross_mass_kg),
            ("kerb_mass_kg", vehicle.kerb_mass_kg),
            ("rated_load_kg", vehicle.rated_load_kg),
        )
        if value is not None
    }
    mvrc: dict[str, Any] = {
        "issue_date": vehicle.certificate_issue_date,
        "issuing_country": ISSUING_COUNTRY,
        "issuing_authority_unicode": issuing_authority,
        "document_number": vehicle.vin,
        "un_distinguishing_sign": UN_DISTINGUISHING_SIGN,
        "registration_number": vehicle.plate,
        "date_of_registration": vehicle.registration_date,
        "vehicle_identification_number": vehicle.vin,
        "registered_owner": {"name_unicode": owner.name},
        "basic_vehicle_info": {
            "vehicle_type": vehicle.vehicle_type,
            "make": vehicle.brand,
            "model": vehicle.model,
        },
    }
    if mass:
        mvrc["mass_info"] = mass
    if vehicle.seats is not None:
        mvrc["seating_info"] = {"number_of_seats": vehicle.seats}
    if vehicle.inspection_valid_until is not None:
        mvrc["expiry_date_technical_inspection"] = vehicle.inspection_valid_until
    cn: dict[str, Any] = {
        "plate_number": vehicle.plate,
        "plate_type": vehicle.plate_type,
        "vin": vehicle.vin,
        "owner": owner.name,
        "use_character": vehicle.use_character,
        "vehicle_type": vehicle.vehicle_type,
        "brand_model": brand_model,
        "engine_number": vehicle.engine_number,
        "registration_date": vehicle.registration_date,
        "mortgaged": vehicle.mortgaged,
        "vehicle_status": "".join(sorted(vehicle.status)),
        "generated_at": generated_at,
        **mass,
    }
    if vehicle.inspection_valid_until is not None:
        cn["inspection_valid_until"] = vehicle.inspection_valid_until
    if vehicle.seats is not None:
        cn["approved_passengers"] = vehicle.seats
    return {MVRC_NS: mvrc, CN_VRC_NS: cn}
