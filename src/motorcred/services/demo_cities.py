"""Cities the demo registry draws its people and vehicles from.

Each city has its GB/T 2260 code, the district codes its residents' ID numbers
start with, the authority letters of its plates (京A…, 粤B for Shenzhen) and
the name of its vehicle administration. Plate letters and codes are the real
ones, so seeded plates look right to anyone who knows them; the people are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from motorcred.domain.provinces import BY_CODE
from motorcred.domain.rollout import MUNICIPALITIES


@dataclass(frozen=True)
class DemoCity:
    code: str
    name: str
    plate_letters: str
    """Authority letters of the city's plates, most common first."""
    districts: tuple[str, ...]
    """Last two digits of district area codes (ID numbers start with code[:4] + these)."""
    weight: int
    """Relative share of the demo population."""

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def municipality(self) -> bool:
        return self.province_code in MUNICIPALITIES

    @property
    def plate_prefix(self) -> str:
        """The province abbreviation that opens the city's plates (京, 粤…)."""
        prefix = BY_CODE[self.province_code].plate_abbreviation
        assert prefix is not None  # every demo city is on the mainland
        return prefix

    @property
    def authority(self) -> str:
        if self.municipality:
            return f"{self.name}公安局公安交通管理局"
        return f"{self.name}公安局交通警察支队"

    @property
    def authority_code(self) -> str:
        """Issuing-authority code: the city's area code (the national code format)."""
        return self.code


DEMO_CITIES: Final[tuple[DemoCity, ...]] = (
    DemoCity("110100", "北京市", "ABCEFGHJKLMNPQ", ("01", "02", "05", "06", "08"), 14),
    DemoCity("120100", "天津市", "ABCDEFGH", ("01", "02", "03", "04", "05"), 6),
    DemoCity("310100", "上海市", "ABCDEFGHJKLMN", ("01", "04", "05", "06", "15"), 14),
    DemoCity("500100", "重庆市", "ABCDFGH", ("01", "03", "05", "06", "07"), 8),
    DemoCity("440100", "广州市", "AR", ("03", "04", "05", "06", "11"), 10),
    DemoCity("440300", "深圳市", "B", ("03", "04", "05", "06", "07"), 10),
    DemoCity("320100", "南京市", "A", ("02", "04", "05", "06", "13"), 5),
    DemoCity("320500", "苏州市", "EU", ("05", "06", "07", "08"), 5),
    DemoCity("330100", "杭州市", "A", ("02", "05", "06", "08", "10"), 6),
    DemoCity("510100", "成都市", "AG", ("04", "05", "06", "07", "08"), 7),
    DemoCity("420100", "武汉市", "A", ("02", "03", "04", "05", "06"), 5),
    DemoCity("610100", "西安市", "AU", ("02", "03", "04", "11", "13"), 4),
    DemoCity("370200", "青岛市", "BU", ("02", "03", "11", "12", "13"), 3),
    DemoCity("410100", "郑州市", "A", ("02", "03", "04", "05", "22"), 3),
    DemoCity("430100", "长沙市", "A", ("02", "03", "04", "05", "11"), 3),
    DemoCity("350200", "厦门市", "D", ("03", "05", "06", "11"), 2),
    DemoCity("210200", "大连市", "B", ("02", "03", "04", "11", "12"), 2),
    DemoCity("530100", "昆明市", "A", ("02", "03", "11", "12"), 2),
    DemoCity("460100", "海口市", "A", ("05", "06", "07", "08"), 1),
    DemoCity("650100", "乌鲁木齐市", "A", ("02", "03", "04", "05"), 1),
)  # fmt: skip
