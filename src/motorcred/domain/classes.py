"""Permitted driving classes (准驾车型, MPS Order No. 162 of 2021).

The table is data: each class names the classes it includes, the ages at which
it may be applied for and whether it may be a first licence. Registry systems
store a licence's classes concatenated ("C1D", "A2E"); :func:`parse_classes`
splits such a string by longest match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from motorcred.errors import InvalidInput


@dataclass(frozen=True)
class DrivingClass:
    code: str
    name_zh: str
    name_en: str
    includes: frozenset[str]
    """Classes a holder of this one may also drive (directly; see :func:`closure`)."""
    min_age: int
    max_application_age: int | None
    """Oldest age at which the class may be applied for (``None`` = no limit)."""
    may_be_first: bool
    """False for classes only obtainable as an added class (增驾)."""
    large_vehicle: bool
    """Large and medium vehicle classes: medical exam every cycle, end at 63 (Order 162)."""


def _c(
    code: str,
    zh: str,
    en: str,
    includes: str,
    ages: tuple[int, int | None],
    *,
    first: bool = True,
    large: bool = False,
) -> DrivingClass:
    return DrivingClass(code, zh, en, frozenset(includes.split()), ages[0], ages[1], first, large)


CLASSES: Final[dict[str, DrivingClass]] = {
    c.code: c
    for c in (
        _c(
            "A1",
            "大型客车",
            "large bus",
            "A3 B1 B2 C1 C2 C3 C4 M",
            (22, 60),
            first=False,
            large=True,
        ),
        _c(
            "A2",
            "重型牵引挂车",
            "heavy tractor-trailer",
            "B1 B2 C1 C2 C3 C4 C6 M",
            (22, 60),
            first=False,
            large=True,
        ),
        _c("A3", "城市公交车", "city bus", "C1 C2 C3 C4", (20, 60), large=True),
        _c("B1", "中型客车", "medium bus", "C1 C2 C3 C4 M", (20, 60), first=False, large=True),
        _c("B2", "大型货车", "large truck", "C1 C2 C3 C4 M", (20, 60), large=True),
        _c("C1", "小型汽车", "small car", "C2 C3 C4", (18, None)),
        _c("C2", "小型自动挡汽车", "small automatic car", "", (18, None)),
        _c("C3", "低速载货汽车", "low-speed truck", "C4", (18, 60)),
        _c("C4", "三轮汽车", "three-wheeled vehicle", "", (18, 60)),
        _c(
            "C5",
            "残疾人专用小型自动挡载客汽车",
            "small automatic car for disabled drivers",
            "",
            (18, None),
        ),
        _c("C6", "轻型牵引挂车", "light trailer combination", "", (20, 60), first=False),
        _c("D", "普通三轮摩托车", "three-wheeled motorcycle", "E F", (18, 60)),
        _c("E", "普通二轮摩托车", "two-wheeled motorcycle", "F", (18, 60)),
        _c("F", "轻便摩托车", "moped", "", (18, None)),
        _c("M", "轮式专用机械车", "wheeled special machinery", "", (18, 60)),
        _c("N", "无轨电车", "trolleybus", "", (20, 60), large=True),
        _c("P", "有轨电车", "tram", "", (20, 60), large=True),
    )
}
CLASS_ORDER: Final[tuple[str, ...]] = tuple(CLASSES)
_LONGEST_CODE: Final = max(len(code) for code in CLASSES)


def driving_class(code: str, *, field: str = "classes") -> DrivingClass:
    found = CLASSES.get(code.strip().upper())
    if found is None:
        raise InvalidInput(
            "CLASS_UNKNOWN",
            f"unknown permitted class {code!r} (known: {' '.join(CLASS_ORDER)})",
            details={"field": field, "value": code},
        )
    return found


def parse_classes(text: str, *, field: str = "classes") -> tuple[str, ...]:
    """Split "C1D" or "A2 E" into class codes by longest match, in table order.

    Spaces and commas between codes are accepted; a repeated code counts once.
    An empty string or any unknown part raises ``CLASS_UNKNOWN``.
    """
    compact = "".join(ch for ch in text.upper() if ch not in " ,;/")
    found: set[str] = set()
    pos = 0
    while pos < len(compact):
        for size in range(_LONGEST_CODE, 0, -1):
            candidate = compact[pos : pos + size]
            if len(candidate) == size and candidate in CLASSES:
                found.add(candidate)
                pos += size
                break
        else:
            raise InvalidInput(
                "CLASS_UNKNOWN",
                f"{text!r} holds an unknown permitted class at {compact[pos:]!r}",
                details={"field": field, "value": text, "position": pos},
            )
    if not found:
        raise InvalidInput("CLASS_UNKNOWN", "no permitted class given", details={"field": field})
    return canonical_order(found)


def canonical_order(codes: Iterable[str]) -> tuple[str, ...]:
    wanted = set(codes)
    return tuple(code for code in CLASS_ORDER if code in wanted)


def format_classes(codes: Iterable[str]) -> str:
    """The concatenated form stored by registry systems ("C1D")."""
    return "".join(canonical_order(codes))


def closure(codes: Iterable[str]) -> frozenset[str]:
    """Every class the given classes allow, following inclusion transitively."""
    seen: set[str] = set()
    pending = [driving_class(code).code for code in codes]
    while pending:
        code = pending.pop()
        if code not in seen:
            seen.add(code)
            pending.extend(CLASSES[code].includes)
    return frozenset(seen)


def may_drive(held: Iterable[str] | str, wanted: str) -> bool:
    """Whether the held classes (codes or a concatenated string) allow ``wanted``."""
    codes = parse_classes(held) if isinstance(held, str) else tuple(held)
    return driving_class(wanted, field="wanted").code in closure(codes)


def minimal_classes(codes: Iterable[str]) -> tuple[str, ...]:
    """Drop classes already included by another held class (A1 C1 → A1)."""
    held = canonical_order(codes)
    covered: set[str] = set()
    for code in held:
        covered |= closure([code]) - {code}
    return tuple(code for code in held if code not in covered)


def age_allows_application(code: str, age: int) -> bool:
    cls = driving_class(code)
    if age < cls.min_age:
        return False
    return cls.max_application_age is None or age <= cls.max_application_age
