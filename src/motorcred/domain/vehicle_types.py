"""Vehicle type codes (车辆类型, GA 24.4) and the category each belongs to.

The category is what the rules need: the inspection schedule depends on it,
and it tells passenger cars from trucks and motorcycles. The table holds the
common codes; registry imports with other codes are refused until they are
added here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from motorcred.errors import InvalidInput

Category = Literal[
    "passenger_large",
    "passenger_medium",
    "passenger_small",
    "passenger_micro",
    "truck",
    "tractor_unit",
    "trailer",
    "special",
    "trolley",
    "motorcycle",
    "three_wheeler",
    "low_speed",
    "tractor",
    "machinery",
    "other",
]


@dataclass(frozen=True)
class VehicleType:
    code: str
    name_zh: str
    name_en: str
    category: Category

    @property
    def is_passenger(self) -> bool:
        return self.category.startswith("passenger") or self.category == "trolley"


def _rows(category: Category, *rows: tuple[str, str, str]) -> list[VehicleType]:
    return [VehicleType(code, zh, en, category) for code, zh, en in rows]


VEHICLE_TYPES: Final[dict[str, VehicleType]] = {
    t.code: t
    for t in [
        *_rows(
            "passenger_large",
            ("K11", "大型普通客车", "large bus"),
            ("K12", "大型双层客车", "large double-deck bus"),
            ("K13", "大型卧铺客车", "large sleeper bus"),
            ("K14", "大型铰接客车", "large articulated bus"),
            ("K15", "大型越野客车", "large off-road bus"),
            ("K17", "大型专用客车", "large special-purpose bus"),
        ),
        *_rows(
            "passenger_medium",
            ("K21", "中型普通客车", "medium bus"),
            ("K22", "中型双层客车", "medium double-deck bus"),
            ("K23", "中型卧铺客车", "medium sleeper bus"),
            ("K25", "中型越野客车", "medium off-road bus"),
            ("K27", "中型专用客车", "medium special-purpose bus"),
        ),
        *_rows(
            "passenger_small",
            ("K31", "小型普通客车", "small passenger car"),
            ("K32", "小型越野客车", "small off-road car"),
            ("K33", "小型轿车", "small saloon"),
            ("K34", "小型专用客车", "small special-purpose car"),
        ),
        *_rows(
            "passenger_micro",
            ("K41", "微型普通客车", "micro passenger car"),
            ("K42", "微型越野客车", "micro off-road car"),
            ("K43", "微型轿车", "micro saloon"),
        ),
        *_rows(
            "truck",
            ("H11", "重型普通货车", "heavy truck"),
            ("H12", "重型厢式货车", "heavy box truck"),
            ("H14", "重型罐式货车", "heavy tanker"),
            ("H17", "重型自卸货车", "heavy dump truck"),
            ("H21", "中型普通货车", "medium truck"),
            ("H22", "中型厢式货车", "medium box truck"),
            ("H31", "轻型普通货车", "light truck"),
            ("H32", "轻型厢式货车", "light box truck"),
            ("H41", "微型普通货车", "micro truck"),
            ("H42", "微型厢式货车", "micro box truck"),
        ),
        *_rows("low_speed", ("H51", "普通低速货车", "low-speed truck")),
        *_rows(
            "tractor_unit",
            ("Q11", "重型半挂牵引车", "heavy semi-trailer tractor"),
            ("Q21", "中型半挂牵引车", "medium semi-trailer tractor"),
            ("Q31", "轻型半挂牵引车", "light semi-trailer tractor"),
        ),
        *_rows(
            "trailer",
            ("B11", "重型普通半挂车", "heavy semi-trailer"),
            ("B21", "中型普通半挂车", "medium semi-trailer"),
            ("B31", "轻型普通半挂车", "light semi-trailer"),
            ("G11", "重型普通全挂车", "heavy full trailer"),
        ),
        *_rows(
            "special",
            ("Z11", "大型专项作业车", "large special-operation vehicle"),
            ("Z21", "中型专项作业车", "medium special-operation vehicle"),
            ("Z31", "小型专项作业车", "small special-operation vehicle"),
        ),
        *_rows(
            "trolley",
            ("D11", "无轨电车", "trolleybus"),
            ("D12", "有轨电车", "tram"),
        ),
        *_rows(
            "motorcycle",
            ("M11", "普通正三轮摩托车", "three-wheeled motorcycle"),
            ("M12", "普通侧三轮摩托车", "motorcycle with sidecar"),
            ("M21", "普通二轮摩托车", "two-wheeled motorcycle"),
            ("M22", "轻便二轮摩托车", "two-wheeled moped"),
        ),
        *_rows("three_wheeler", ("N11", "三轮汽车", "three-wheeled vehicle")),
        *_rows(
            "tractor",
            ("T11", "大型轮式拖拉机", "large wheeled tractor"),
            ("T21", "小型轮式拖拉机", "small wheeled tractor"),
        ),
        *_rows("machinery", ("J11", "轮式装载机械", "wheeled loader")),
        *_rows("other", ("X99", "其他", "other")),
    ]
}


def vehicle_type(code: str, *, field: str = "vehicle_type") -> VehicleType:
    found = VEHICLE_TYPES.get(code.strip().upper())
    if found is None:
        raise InvalidInput(
            "VEHICLE_TYPE_UNKNOWN",
            f"unknown vehicle type code {code!r} (GA 24.4 codes such as K33 small saloon)",
            details={"field": field, "value": code},
        )
    return found
