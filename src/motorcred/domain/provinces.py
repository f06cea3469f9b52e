"""Provincial-level divisions: GB/T 2260 code, name and plate abbreviation.

One table serves the citizen ID (its first two digits name the province), the
plate number (its first character is the province abbreviation) and the
rollout calendar (cities belong to a province).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Province:
    code: str
    """First two digits of a GB/T 2260 area code."""
    name_zh: str
    name_en: str
    plate_abbreviation: str | None
    """Character that opens a plate number; ``None`` where the mainland issues no plates."""


PROVINCES: Final[tuple[Province, ...]] = (
    Province("11", "北京市", "Beijing", "京"),
    Province("12", "天津市", "Tianjin", "津"),
    Province("13", "河北省", "Hebei", "冀"),
    Province("14", "山西省", "Shanxi", "晋"),
    Province("15", "内蒙古自治区", "Inner Mongolia", "蒙"),
    Province("21", "辽宁省", "Liaoning", "辽"),
    Province("22", "吉林省", "Jilin", "吉"),
    Province("23", "黑龙江省", "Heilongjiang", "黑"),
    Province("31", "上海市", "Shanghai", "沪"),
    Province("32", "江苏省", "Jiangsu", "苏"),
    Province("33", "浙江省", "Zhejiang", "浙"),
    Province("34", "安徽省", "Anhui", "皖"),
    Province("35", "福建省", "Fujian", "闽"),
    Province("36", "江西省", "Jiangxi", "赣"),
    Province("37", "山东省", "Shandong", "鲁"),
    Province("41", "河南省", "Henan", "豫"),
    Province("42", "湖北省", "Hubei", "鄂"),
    Province("43", "湖南省", "Hunan", "湘"),
    Province("44", "广东省", "Guangdong", "粤"),
    Province("45", "广西壮族自治区", "Guangxi", "桂"),
    Province("46", "海南省", "Hainan", "琼"),
    Province("50", "重庆市", "Chongqing", "渝"),
    Province("51", "四川省", "Sichuan", "川"),
    Province("52", "贵州省", "Guizhou", "贵"),
    Province("53", "云南省", "Yunnan", "云"),
    Province("54", "西藏自治区", "Tibet", "藏"),
    Province("61", "陕西省", "Shaanxi", "陕"),
    Province("62", "甘肃省", "Gansu", "甘"),
    Province("63", "青海省", "Qinghai", "青"),
    Province("64", "宁夏回族自治区", "Ningxia", "宁"),
    Province("65", "新疆维吾尔自治区", "Xinjiang", "新"),
    # Residence permits of Taiwan, Hong Kong and Macao residents use these prefixes
    # (830000, 810000, 820000); their vehicles carry no mainland province plate.
    Province("71", "台湾省", "Taiwan", None),
    Province("81", "香港特别行政区", "Hong Kong", None),
    Province("82", "澳门特别行政区", "Macao", None),
    Province("83", "港澳台居民居住证", "HK/Macao/Taiwan residence permit", None),
)

BY_CODE: Final[dict[str, Province]] = {p.code: p for p in PROVINCES}
BY_PLATE_ABBREVIATION: Final[dict[str, Province]] = {
    p.plate_abbreviation: p for p in PROVINCES if p.plate_abbreviation is not None
}
PLATE_ABBREVIATIONS: Final[str] = "".join(BY_PLATE_ABBREVIATION)


def province_of_area(area_code: str) -> Province | None:
    """The province of a 6-digit area code, or ``None`` if its prefix is unknown."""
    return BY_CODE.get(area_code[:2])
