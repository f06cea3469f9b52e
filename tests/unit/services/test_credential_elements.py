"""Registry entities → e-DL and e-VRC data elements (checked against the doctype tables)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.errors import InvalidInput
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
from motorcred.services.credential_elements import (
    LONG_TERM_EXPIRY,
    edl_elements,
    evrc_elements,
    romanise,
    split_name,
)

GENERATED = datetime(2026, 11, 23, 8, 0, 0, 123456, tzinfo=UTC)
PORTRAIT = b"\xff\xd8\xff\xd9"


def person(name: str = "张三", **changes: object) -> Person:
    return Person.create(id_number="11010519491231002X", name=name, **changes)  # type: ignore[arg-type]


def licence(**changes: object) -> DrivingLicence:
    values: dict[str, object] = {
        "number": "11010519491231002X",
        "file_number": "110100123456",
        "class_grants": {"C1": date(2014, 5, 1), "D": date(2026, 3, 1)},
        "first_issue_date": date(2014, 5, 1),
        "valid_from": date(2026, 5, 1),
        "valid_until": date(2032, 5, 1),
        "validity_years": 6,
        "status": "DH",
        "points": 6,
        "issuing_authority_code": "110000",
        "issuing_authority_name": "北京市公安局公安交通管理局",
        **changes,
    }
    return DrivingLicence.create(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("张三", "张", "三"),
        ("王小明", "王", "小明"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("司马相如", "司马", "相如"),
        ("欧阳", "欧", "阳"),  # two characters: a single surname, not a compound one
        ("买买提·艾力", "艾力", "买买提"),
        ("王", "王", "王"),
    ],
)
def test_split_name(name: str, family: str, given: str) -> None:
    assert split_name(name) == (family, given)


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("张三", "ZHANG", "SAN"),
        ("张三丰", "ZHANG", "SANFENG"),
        ("欧阳娜娜", "OUYANG", "NANA"),
        ("单雄信", "SHAN", "XIONGXIN"),  # 单 as a surname reads shàn, not dān
        ("曾国藩", "ZENG", "GUOFAN"),
        ("尉迟恭", "YUCHI", "GONG"),
        ("吕布", "LYU", "BU"),  # ü is written YU, as on passports
        ("买买提·艾力", "AILI", "MAIMAITI"),
    ],
)
def test_names_are_romanised_with_the_original_as_national_character(
    name: str, family: str, given: str
) -> None:
    mdl = edl_elements(licence(), person(name), portrait=PORTRAIT, generated_at=GENERATED)[MDL_NS]
    assert (mdl["family_name"], mdl["given_name"]) == (family, given)
    national = split_name(name)
    assert (
        mdl["family_name_national_character"],
        mdl["given_name_national_character"],
    ) == national


def test_latin_names_and_addresses_are_kept_as_they_are() -> None:
    ns = edl_elements(
        licence(),
        person("Anna·Smith", address="1 Jianguo Road, Beijing"),
        portrait=PORTRAIT,
        generated_at=GENERATED,
    )
    assert (ns[MDL_NS]["family_name"], ns[MDL_NS]["given_name"]) == ("Smith", "Anna")
    assert ns[MDL_NS]["resident_address"] == "1 Jianguo Road, Beijing"
    assert "resident_address" not in ns[CN_DL_NS]
    assert romanise("Müller") == "MÜLLER"  # Latin-1 already: only upper-cased
    assert romanise("Ivan") == "IVAN"  # the pinyin "v" → "yu" rule is for Han text only
    assert romanise("吕Ivan") == "LYUIVAN"
    check_elements(MDL_DOCTYPE, ns, mandatory=True)


@pytest.mark.parametrize(
    "element", ["family_name", "given_name", "birth_place", "resident_address"]
)
def test_element_table_refuses_national_script_where_latin1_is_required(element: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_element(MDL_NS, element, "张")
    assert info.value.code == "MDOC_ELEMENT_TYPE"
    assert "Latin-1" in info.value.message
    check_element(MDL_NS, element, "Zoë Müller")  # Latin-1 letters with diacritics are fine


def test_national_character_elements_take_national_script() -> None:
    check_element(MDL_NS, "family_name_national_character", "欧阳")
    check_element(MDL_NS, "given_name_national_character", "娜娜")


def test_edl_elements() -> None:
    ns = edl_elements(
        licence(),
        person("欧阳娜娜", address="北京市西城区"),
        portrait=PORTRAIT,
        generated_at=GENERATED,
    )
    mdl, cn = ns[MDL_NS], ns[CN_DL_NS]
    assert (mdl["family_name"], mdl["given_name"]) == ("OUYANG", "NANA")
    assert mdl["family_name_national_character"] == "欧阳"
    assert mdl["given_name_national_character"] == "娜娜"
    assert mdl["birth_date"] == date(1949, 12, 31)
    assert (mdl["issue_date"], mdl["expiry_date"]) == (date(2026, 5, 1), date(2032, 5, 1))
    assert mdl["issuing_country"] == "CN"
    assert mdl["un_distinguishing_sign"] == "CHN"
    assert mdl["document_number"] == "11010519491231002X"
    assert mdl["administrative_number"] == "110100123456"
    assert mdl["portrait"] == PORTRAIT
    assert mdl["sex"] == 2  # ISO/IEC 5218: the sequence digit 2 is even → female
    assert mdl["nationality"] == "CN"
    assert mdl["age_over_18"] is True and mdl["age_over_60"] is True
    assert "resident_address" not in mdl  # Latin-1 only; the Chinese address goes to cn
    assert cn["resident_address"] == "北京市西城区"
    assert mdl["driving_privileges"] == [
        {
            "vehicle_category_code": "C1",
            "issue_date": date(2014, 5, 1),
            "expiry_date": date(2032, 5, 1),
        },
        {
            "vehicle_category_code": "D",
            "issue_date": date(2026, 3, 1),
            "expiry_date": date(2032, 5, 1),
        },
    ]
    assert cn["licence_status"] == "DH"
    assert cn["cumulative_points"] == 6
    assert cn["permitted_classes"] == "C1D"
    assert cn["first_issue_date"] == date(2014, 5, 1)
    assert cn["issuing_authority_code"] == "110000"
    assert cn["probation_until"] == date(2027, 2, 28)  # D was added 2026-03-01
    assert cn["generated_at"] == GENERATED.replace(microsecond=0)
    check_elements(MDL_DOCTYPE, ns, mandatory=True)


def test_long_term_licence_uses_the_sentinel_and_no_privilege_expiry() -> None:
    ns = edl_elements(
        licence(valid_until=None, validity_years=None, class_grants={"C1": date(2014, 5, 1)}),
        person(),
        portrait=PORTRAIT,
        generated_at=GENERATED,
    )
    assert ns[MDL_NS]["expiry_date"] == LONG_TERM_EXPIRY == date(9999, 12, 31)
    assert "expiry_date" not in ns[MDL_NS]["driving_privileges"][0]
    assert "probation_until" not in ns[CN_DL_NS]
    check_elements(MDL_DOCTYPE, ns, mandatory=True)


def test_unknown_nationality_is_left_out_not_guessed() -> None:
    ns = edl_elements(
        licence(), person(nationality="KOR"), portrait=PORTRAIT, generated_at=GENERATED
    )
    assert "nationality" not in ns[MDL_NS]
    check_elements(MDL_DOCTYPE, ns, mandatory=True)


def test_records_are_carried_and_checked() -> None:
    record = {"date": date(2026, 1, 5), "kind": "violation", "points": 3, "text": "超速"}
    ns = edl_elements(
        licence(), person(), portrait=PORTRAIT, generated_at=GENERATED, records=[record]
    )
    assert ns[CN_DL_NS]["records"] == [record]
    check_elements(MDL_DOCTYPE, ns, mandatory=True)
    bad = edl_elements(
        licence(),
        person(),
        portrait=PORTRAIT,
        generated_at=GENERATED,
        records=[{"date": date(2026, 1, 5), "kind": "violation", "points": 13}],
    )
    with pytest.raises(InvalidInput) as info:
        check_elements(MDL_DOCTYPE, bad, mandatory=True)
    assert info.value.code == "MDOC_ELEMENT_TYPE"


def test_evrc_elements() -> None:
    vehicle = Vehicle.create(
        plate="粤A12345",
        plate_type="02",
        vin="UU6JA69691D713820",
        engine_number="2ZR1234567",
        brand="丰田",
        model="卡罗拉",
        vehicle_type="K33",
        use_character="A",
        owner_id_number="440102198001021230",
        registration_date=date(2020, 5, 10),
        seats=5,
        gross_mass_kg=1800,
        kerb_mass_kg=1300,
        mortgaged=True,
    )
    owner = Person.create(id_number="440102198001021230", name="李四")
    ns = evrc_elements(
        vehicle, owner, issuing_authority="广州市公安局交通警察支队", generated_at=GENERATED
    )
    mvrc, cn = ns[MVRC_NS], ns[CN_VRC_NS]
    assert mvrc["registration_number"] == cn["plate_number"] == "粤A12345"
    assert mvrc["vehicle_identification_number"] == cn["vin"] == "UU6JA69691D713820"
    assert mvrc["registered_owner"] == {"name_unicode": "李四"}
    assert mvrc["mass_info"] == {"gross_mass_kg": 1800, "kerb_mass_kg": 1300}
    assert cn["mortgaged"] is True
    assert cn["vehicle_status"] == "A"
    assert cn["approved_passengers"] == 5
    assert cn["brand_model"] == "丰田 卡罗拉"
    assert mvrc["expiry_date_technical_inspection"] == cn["inspection_valid_until"]
    check_elements(MVRC_DOCTYPE, ns, mandatory=True)
