from __future__ import annotations

from datetime import date

import pytest

from motorcred.domain.person import Person
from motorcred.errors import InvalidInput

ID = "440102198001021230"  # DOMAIN.md example: born 1980-01-02, sequence 123 (male)


def test_sex_and_birth_date_default_from_the_id() -> None:
    person = Person.create(id_number=ID, name="  张三 ", phone="+86 138-0013-8000")
    assert (person.sex, person.birth_date) == ("M", date(1980, 1, 2))
    assert person.name == "张三"
    assert person.phone == "13800138000"
    assert person.nationality == "CHN"


@pytest.mark.parametrize("sex", ["M", "男", "1", "m"])
def test_sex_spellings(sex: str) -> None:
    assert Person.create(id_number=ID, name="张三", sex=sex).sex == "M"


def test_birth_date_must_agree_with_the_id() -> None:
    with pytest.raises(InvalidInput) as err:
        Person.create(id_number=ID, name="张三", birth_date=date(1980, 1, 3))
    assert err.value.code == "ID_BIRTH_DATE_MISMATCH"
    assert err.value.details["field"] == "birth_date"


def test_sex_must_agree_with_the_id() -> None:
    with pytest.raises(InvalidInput) as err:
        Person.create(id_number=ID, name="张三", sex="F")
    assert err.value.code == "ID_SEX_MISMATCH"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"id_number": "440102198001021231"}, "ID_CHECK_DIGIT", "id_number"),
        ({"name": ""}, "NAME_FORMAT", "name"),
        ({"name": "张" * 65}, "NAME_FORMAT", "name"),
        ({"name": "张\x00三"}, "NAME_FORMAT", "name"),
        ({"sex": "X"}, "SEX_FORMAT", "sex"),
        ({"nationality": "CN"}, "NATIONALITY_FORMAT", "nationality"),
        ({"phone": "12345"}, "PHONE_FORMAT", "phone"),
        ({"phone": "12800138000"}, "PHONE_FORMAT", "phone"),
        ({"address": "路" * 201}, "ADDRESS_FORMAT", "address"),
    ],
)
def test_invalid_fields(changes: dict[str, str], code: str, field: str) -> None:
    values: dict[str, str] = {"id_number": ID, "name": "张三", **changes}
    with pytest.raises(InvalidInput) as err:
        Person.create(**values)  # type: ignore[arg-type]
    assert err.value.code == code
    assert err.value.details["field"] == field


@pytest.mark.parametrize(
    "phone", ["13912345678", "010-62345678", "0755 23456789", "0086 15012345678"]
)
def test_valid_phones(phone: str) -> None:
    assert Person.create(id_number=ID, name="张三", phone=phone).phone


def test_minority_name_with_middle_dot_and_age() -> None:
    person = Person.create(id_number=ID, name="阿依古丽·买买提", address=" 广州市 越秀区 ")
    assert person.name == "阿依古丽·买买提"
    assert person.address == "广州市 越秀区"
    assert person.age_on(date(2000, 1, 1)) == 19
    assert person.age_on(date(2000, 1, 2)) == 20
