from __future__ import annotations

import pytest

from motorcred.domain.codes import LICENCE_STATUS, VEHICLE_STATUS, use_character
from motorcred.errors import InvalidInput


def test_licence_status_several_letters() -> None:
    assert LICENCE_STATUS.parse("DH") == {"D", "H"}
    assert LICENCE_STATUS.format({"H", "D"}) == "DH"
    assert LICENCE_STATUS.texts({"D", "H"}) == ["暂扣", "违法未处理"]
    assert LICENCE_STATUS.texts({"B"}, lang="en") == ["over 12 points"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AB", "LICENCE_STATUS_UNKNOWN"),
        ("O", "LICENCE_STATUS_UNKNOWN"),
        ("", "LICENCE_STATUS_UNKNOWN"),
        ("D?", "LICENCE_STATUS_UNKNOWN"),
    ],
)
def test_licence_status_refusals(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        LICENCE_STATUS.parse(text)
    assert err.value.code == code


def test_add_and_remove_keep_a_alone() -> None:
    normal = frozenset({"A"})
    suspended = LICENCE_STATUS.add(normal, "D")
    assert suspended == {"D"}
    both = LICENCE_STATUS.add(suspended, "H")
    assert both == {"D", "H"}
    assert LICENCE_STATUS.remove(both, "D") == {"H"}
    assert LICENCE_STATUS.remove(frozenset({"H"}), "H") == normal
    assert LICENCE_STATUS.add(both, "A") == normal


def test_vehicle_status() -> None:
    assert VEHICLE_STATUS.parse("GQ") == {"G", "Q"}
    with pytest.raises(InvalidInput) as err:
        VEHICLE_STATUS.parse("F")
    assert err.value.code == "VEHICLE_STATUS_UNKNOWN"
    assert VEHICLE_STATUS.describe("E").name_zh == "注销"


def test_use_character() -> None:
    assert use_character("a").commercial is False
    assert use_character("D").commercial is True
    assert use_character("R").name_zh == "危化品运输"
    with pytest.raises(InvalidInput) as err:
        use_character("9")
    assert err.value.code == "USE_CHARACTER_UNKNOWN"
