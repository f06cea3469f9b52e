"""Data elements from JSON: typed by the element tables, bytes and dates by explicit markers."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MotorcredError
from motorcred.formats.mdoc.doctypes import check_elements
from motorcred.formats.mdoc.json_elements import elements_from_json

NS = "org.iso.18013.5.1"
CN = "cn.gov.mps.dl.1"


def convert(elements: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return elements_from_json({NS: elements}, **kwargs)[NS]


def test_values_are_typed_by_the_element_tables() -> None:
    out = convert(
        {
            "family_name": "ZHANG",
            "birth_date": "1990-01-01",
            "issue_date": "2024-03-01",
            "expiry_date": "2030-03-01T00:00:00Z",
            "portrait_capture_date": "2026-11-22T16:00:00+08:00",
            "driving_privileges": [
                {
                    "vehicle_category_code": "C1",
                    "issue_date": "2010-05-01",
                    "codes": [{"code": "01"}],
                }
            ],
            "sex": 1,
            "age_over_18": True,
        }
    )
    assert out["family_name"] == "ZHANG"
    assert out["birth_date"] == date(1990, 1, 1)
    assert out["issue_date"] == date(2024, 3, 1)
    assert out["expiry_date"] == datetime(2030, 3, 1, tzinfo=UTC)
    assert out["portrait_capture_date"] == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert out["driving_privileges"] == [
        {"vehicle_category_code": "C1", "issue_date": date(2010, 5, 1), "codes": [{"code": "01"}]}
    ]
    assert out["sex"] == 1 and out["age_over_18"] is True


def test_bytes_markers() -> None:
    files = {"p.jpg": b"\xff\xd8jpeg\xff\xd9"}
    out = convert(
        {
            "portrait": {"file": "p.jpg"},
            "signature_usual_mark": {"hex": "00ff10"},
            "biometric_template_face": {"base64": base64.b64encode(b"face").decode()},
        },
        load_file=files.__getitem__,
    )
    assert out == {
        "portrait": files["p.jpg"],
        "signature_usual_mark": b"\x00\xff\x10",
        "biometric_template_face": b"face",
    }


def test_markers_type_values_in_namespaces_without_a_table() -> None:
    out = elements_from_json(
        {
            "com.example.1": {
                "d": {"date": "2026-01-02"},
                "t": {"tdate": "2026-01-02T03:04:05Z"},
                "s": "2026-01-02",
            }
        }
    )["com.example.1"]
    assert out == {
        "d": date(2026, 1, 2),
        "t": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "s": "2026-01-02",
    }


def test_tdate_drops_fractional_seconds() -> None:
    out = convert({"portrait_capture_date": "2026-11-22T08:00:00.75Z"})
    assert out["portrait_capture_date"] == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_converted_cn_elements_pass_the_table_check() -> None:
    out = elements_from_json(
        {
            CN: {
                "first_issue_date": "2010-05-01",
                "records": [{"date": "2025-01-02", "kind": "violation"}],
            }
        }
    )
    check_elements("org.iso.18013.5.1.mDL", out)
    assert out[CN]["records"][0]["date"] == date(2025, 1, 2)


@pytest.mark.parametrize(
    ("elements", "fragment"),
    [
        ({"birth_date": "01/01/1990"}, "YYYY-MM-DD"),
        ({"birth_date": "1990-02-30"}, "not a calendar date"),
        ({"portrait_capture_date": "2026-11-22T08:00:00"}, "time zone"),
        ({"portrait": "ffd8"}, '{"hex"'),
        ({"portrait": {"hex": "xyz"}}, "hexadecimal"),
        ({"portrait": {"base64": "***"}}, "base64"),
        ({"portrait": {"hex": 12}}, "text string"),
        ({"portrait": {"file": "p.jpg"}}, "file references are not allowed"),
        (
            {"driving_privileges": [{"vehicle_category_code": "C1", "issue_date": "2010"}]},
            "driving_privileges[0].issue_date",
        ),
    ],
)
def test_bad_json_values_are_refused_with_the_element_named(
    elements: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        convert(elements)
    assert info.value.code == "MDOC_ELEMENTS_JSON"
    assert fragment in info.value.message


@pytest.mark.parametrize("obj", [None, [], {}, {NS: []}, {NS: {}}, {NS: "x"}, "text"])
def test_bad_shapes_are_refused(obj: Any) -> None:
    with pytest.raises(InvalidInput):
        elements_from_json(obj)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(
    st.dictionaries(
        st.sampled_from([NS, CN, "x.y"]),
        st.dictionaries(st.text(max_size=20), json_values, max_size=5),
        max_size=3,
    )
)
def test_any_json_converts_or_fails_with_our_error(obj: dict[str, Any]) -> None:
    try:
        elements_from_json(obj)
    except MotorcredError as exc:
        assert exc.code == "MDOC_ELEMENTS_JSON"
