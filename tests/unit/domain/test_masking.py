from __future__ import annotations

from typing import Any

import pytest

from motorcred.domain.masking import (
    PURPOSES,
    VERIFIER_ROLES,
    apply_policy,
    fields_seen,
    mask_address,
    mask_id,
    mask_name,
    mask_phone,
    mask_plate,
    mask_vin,
)
from motorcred.errors import Forbidden, InvalidInput

EDL: dict[str, Any] = {
    "name": "张小三",
    "sex": "M",
    "nationality": "CHN",
    "birth_date": "1990-01-01",
    "licence_number": "110105199001011234",
    "classes": ["C1"],
    "valid_from": "2020-01-01",
    "valid_until": "2026-01-01",
    "status": "A",
    "points": 3,
    "file_number": "110100123456",
    "address": "北京市朝阳区建国路88号",
    "issuing_authority": "北京市公安局公安交通管理局",
    "first_issue_date": "2014-05-06",
    "records": [{"date": "2024-01-01", "points": 3}],
    "portrait": b"\xff\xd8jpeg",
}
EDL_MASKED = {
    "name": "张*三",
    "licence_number": "110105********1234",
    "address": "北京市朝阳区",
}

EVRC: dict[str, Any] = {
    "plate": "粤B12345",
    "plate_type": "02",
    "vehicle_type": "K33",
    "owner_name": "欧阳娜娜",
    "owner_id": "440305199202021234",
    "use_character": "A",
    "brand_model": "比亚迪 BYD7150",
    "vin": "LGXCE4CB1N0123456",
    "engine_number": "BYD476ZQA123",
    "registration_date": "2022-03-01",
    "inspection_valid_until": "2026-03-31",
    "mortgage": False,
    "status": "A",
    "violations_unprocessed": 1,
}
EVRC_MASKED = {
    "plate": "粤B***45",
    "owner_name": "欧阳*娜",
    "owner_id": "440305********1234",
    "vin": "LGX**********3456",
}

# Expected access written out by hand (c = clear, m = masked, h = hidden).
#                      police rental insurer employer dealer bank
EDL_EXPECTED = {
    "name":              "c m c c m c",
    "sex":               "c h c c h h",
    "nationality":       "c h h h h h",
    "birth_date":        "c h c c h c",
    "licence_number":    "c m m m m m",
    "classes":           "c c c c c h",
    "valid_from":        "c c c c c h",
    "valid_until":       "c c c c c c",
    "status":            "c c c c c c",
    "points":            "c h h h h h",
    "file_number":       "c h h h h h",
    "address":           "c m m m h m",
    "issuing_authority": "c c c c c h",
    "first_issue_date":  "c c c c h h",
    "records":           "c h h h h h",
    "portrait":          "c h h h h h",
}  # fmt: skip
EVRC_EXPECTED = {
    "plate":                  "c c c m c c",
    "plate_type":             "c c c c c c",
    "vehicle_type":           "c c c c c c",
    "owner_name":             "c m c m m c",
    "owner_id":               "c m m m m m",
    "use_character":          "c c c h c c",
    "brand_model":            "c c c c c c",
    "vin":                    "c m c h c c",
    "engine_number":          "c h c h c h",
    "registration_date":      "c c c h c c",
    "inspection_valid_until": "c c c c c h",
    "mortgage":               "c h h h c c",
    "status":                 "c c c c c c",
    "violations_unprocessed": "c h h h c h",
}  # fmt: skip
ROLES = ["police", "rental", "insurer", "employer", "dealer", "bank"]


def _cases(kind: str, expected: dict[str, str]) -> list[tuple[str, str, str, str]]:
    return [
        (kind, role, field, row.split()[i])
        for field, row in expected.items()
        for i, role in enumerate(ROLES)
    ]


CASES = _cases("edl", EDL_EXPECTED) + _cases("evrc", EVRC_EXPECTED)
DATA = {"edl": (EDL, EDL_MASKED), "evrc": (EVRC, EVRC_MASKED)}


@pytest.mark.parametrize(("kind", "role", "field", "access"), CASES)
def test_policy_field_by_field(kind: str, role: str, field: str, access: str) -> None:
    fields, masked = DATA[kind]
    out = apply_policy(kind, role, fields)
    if access == "h":
        assert field not in out
        assert field not in fields_seen(kind, role, fields)
    elif access == "c":
        assert out[field] == fields[field]
        assert field in fields_seen(kind, role, fields)
    else:
        assert out[field] == masked[field]
        assert out[field] != fields[field]
        assert field in fields_seen(kind, role, fields)


def test_expected_table_covers_every_field() -> None:
    assert set(EDL_EXPECTED) == set(EDL)
    assert set(EVRC_EXPECTED) == set(EVRC)
    assert tuple(ROLES) == VERIFIER_ROLES
    assert set(PURPOSES) == set(ROLES)


@pytest.mark.parametrize("kind", ["edl", "evrc"])
def test_holder_sees_everything(kind: str) -> None:
    fields, _ = DATA[kind]
    assert apply_policy(kind, "holder", fields) == fields


def test_police_sees_portrait_and_points() -> None:
    out = apply_policy("edl", "police", EDL)
    assert out["portrait"] == EDL["portrait"] and out["points"] == 3


def test_unknown_field_hidden_from_verifiers() -> None:
    out = apply_policy("edl", "police", {"name": "张三", "secret_note": "x"})
    assert out == {"name": "张三"}


def test_masked_none_stays_none() -> None:
    assert apply_policy("edl", "rental", {"address": None}) == {"address": None}


def test_unknown_role_forbidden() -> None:
    with pytest.raises(Forbidden) as ei:
        apply_policy("edl", "journalist", EDL)
    assert ei.value.code == "ROLE_UNKNOWN"
    with pytest.raises(Forbidden):
        apply_policy("edl", "journalist", {})


def test_unknown_kind() -> None:
    with pytest.raises(InvalidInput) as ei:
        apply_policy("passport", "police", EDL)
    assert ei.value.code == "CREDENTIAL_KIND_UNKNOWN"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张小三", "张*三"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧阳*娜"),
        ("欧阳娜", "欧阳*"),
        ("司马相如", "司马*如"),
        ("诸葛亮", "诸葛*"),
        ("上官婉儿", "上官*儿"),
        ("欧阳", "欧*"),  # two characters: the surname 欧 with given name 阳
        ("王", "王"),  # a surname alone reveals nothing more
        ("张一二三", "张**三"),
        ("买买提·艾力", "买****力"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110105199001011234", "110105********1234"),
        ("11010519900101123X", "110105********123X"),
        ("110105900101123", "110105*****1123"),
        ("E12345678", "E1*****78"),
        ("", ""),
    ],
)
def test_mask_id(number: str, masked: str) -> None:
    assert mask_id(number) == masked


@pytest.mark.parametrize(
    ("phone", "masked"), [("13812345678", "138****5678"), ("12345678", "12****78")]
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("北京市朝阳区建国路88号", "北京市朝阳区"),
        ("上海市浦东新区世纪大道100号", "上海市浦东新区"),
        ("广东省深圳市南山区科技园1号", "广东省深圳市南山区"),
        ("广东省广州市天河区体育西路", "广东省广州市天河区"),
        ("湖南省长沙县星沙镇", "湖南省长沙县"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放路", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇", "内蒙古自治区呼伦贝尔市鄂温克族自治旗"),
        ("云南省大理白族自治州大理市人民路5号", "云南省大理白族自治州大理市"),
        ("建国路88号", "***"),
        ("", "***"),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked


def test_mask_vin_and_plate() -> None:
    assert mask_vin("LGXCE4CB1N0123456") == "LGX**********3456"
    assert mask_vin("ABC") == "***"
    assert mask_plate("粤B12345") == "粤B***45"
    assert mask_plate("粤BD12345") == "粤B****45"
    assert mask_plate("粤B1") == "粤**"
