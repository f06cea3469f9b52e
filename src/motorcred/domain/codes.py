"""National code tables: licence status, vehicle status, use character.

A licence or vehicle may hold several status letters at once ("DH": suspended
and an unprocessed violation); "A" (normal) means none of the others and never
appears with them. A status set is a ``frozenset`` of letters; its stored form
is the letters in alphabetical order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from motorcred.errors import InvalidInput

NORMAL: Final = "A"


@dataclass(frozen=True)
class Code:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class StatusTable:
    """One status code table and the rules shared by licence and vehicle status."""

    subject: str
    """"licence" or "vehicle": names the error codes and messages."""
    codes: dict[str, Code]

    @property
    def _unknown(self) -> str:
        return f"{self.subject.upper()}_STATUS_UNKNOWN"

    def describe(self, code: str) -> Code:
        found = self.codes.get(code)
        if found is None:
            raise InvalidInput(
                self._unknown,
                f"unknown {self.subject} status code {code!r} (known: {''.join(self.codes)})",
                details={"field": "status", "value": code},
            )
        return found

    def parse(self, text: str | Iterable[str], *, field: str = "status") -> frozenset[str]:
        """Letters of a stored status ("DH") or an iterable of letters, validated."""
        letters = (
            [ch for ch in text.upper() if ch not in " ,"]
            if isinstance(text, str)
            else [ch.upper() for ch in text]
        )
        if not letters:
            raise InvalidInput(
                self._unknown, f"empty {self.subject} status", details={"field": field}
            )
        unknown = sorted({ch for ch in letters if ch not in self.codes})
        if unknown:
            raise InvalidInput(
                self._unknown,
                f"unknown {self.subject} status code(s) {''.join(unknown)}",
                details={"field": field, "value": "".join(letters), "unknown": unknown},
            )
        found = frozenset(letters)
        if NORMAL in found and len(found) > 1:
            raise InvalidInput(
                self._unknown,
                f"{self.subject} status A (normal) cannot be combined with other codes",
                details={"field": field, "value": "".join(sorted(found))},
            )
        return found

    def format(self, statuses: Iterable[str]) -> str:
        return "".join(sorted(statuses)) or NORMAL

    def add(self, statuses: frozenset[str], code: str) -> frozenset[str]:
        """Statuses after ``code`` starts to apply (adding A clears the others)."""
        self.describe(code)
        if code == NORMAL:
            return frozenset({NORMAL})
        return (statuses - {NORMAL}) | {code}

    def remove(self, statuses: frozenset[str], code: str) -> frozenset[str]:
        """Statuses after ``code`` stops applying; nothing left means normal."""
        self.describe(code)
        remaining = statuses - {code}
        return remaining or frozenset({NORMAL})

    def texts(self, statuses: Iterable[str], *, lang: str = "zh") -> list[str]:
        return [
            self.describe(c).name_zh if lang == "zh" else self.describe(c).name_en
            for c in sorted(statuses)
        ]


def _table(subject: str, rows: Iterable[tuple[str, str, str]]) -> StatusTable:
    return StatusTable(subject, {c: Code(c, zh, en) for c, zh, en in rows})


LICENCE_STATUS: Final = _table(
    "licence",
    [
        ("A", "正常", "normal"),
        ("B", "超分", "over 12 points"),
        ("C", "转出", "transferred out"),
        ("D", "暂扣", "suspended"),
        ("E", "撤销", "withdrawn"),
        ("F", "吊销", "revoked"),
        ("G", "注销", "cancelled"),
        ("H", "违法未处理", "unprocessed violation"),
        ("I", "事故未处理", "unprocessed accident"),
        ("J", "停止使用", "stopped"),
        ("K", "扣押", "seized"),
        ("L", "锁定", "locked"),
        ("M", "逾期未换证", "renewal overdue"),
        ("N", "延期换证", "renewal deferred"),
        ("P", "延期体检", "medical exam deferred"),
        ("R", "注销可恢复", "cancelled, recoverable"),
        ("S", "逾期未审验", "review overdue"),
        ("T", "延期审验", "review deferred"),
        ("U", "扣留", "detained"),
        ("Z", "其他", "other"),
    ],
)

VEHICLE_STATUS: Final = _table(
    "vehicle",
    [
        ("A", "正常", "normal"),
        ("B", "转出", "transferred out"),
        ("C", "被盗抢", "stolen"),
        ("D", "停驶", "laid up"),
        ("E", "注销", "deregistered"),
        ("G", "违法未处理", "unprocessed violation"),
        ("H", "海关监管", "under customs control"),
        ("I", "事故未处理", "unprocessed accident"),
        ("J", "嫌疑车", "suspect vehicle"),
        ("K", "查封", "sealed by court"),
        ("L", "暂扣", "detained"),
        ("M", "强制注销", "forced deregistration"),
        ("N", "事故逃逸", "hit-and-run"),
        ("O", "锁定", "locked"),
        ("P", "达到报废标准公告牌证作废", "scrapped by public notice"),
        ("Q", "逾期未检验", "inspection overdue"),
    ],
)


@dataclass(frozen=True)
class UseCharacter:
    code: str
    name_zh: str
    name_en: str
    commercial: bool
    """营运: carries passengers or goods for pay (decides the inspection schedule)."""


# GA 24.3 use-character codes as used by traffic-administration systems. Commercial
# (营运) follows the code's meaning; school buses are counted as commercial passenger
# transport for inspection, as local rules do.
USE_CHARACTERS: Final[dict[str, UseCharacter]] = {
    u.code: u
    for u in (
        UseCharacter("A", "非营运", "private / non-commercial", False),
        UseCharacter("B", "公路客运", "road passenger transport", True),
        UseCharacter("C", "公交客运", "public-transit passenger", True),
        UseCharacter("D", "出租客运", "taxi", True),
        UseCharacter("E", "旅游客运", "tourist coach", True),
        UseCharacter("F", "货运", "goods transport", True),
        UseCharacter("G", "租赁", "rental", True),
        UseCharacter("H", "警用", "police", False),
        UseCharacter("I", "消防", "fire service", False),
        UseCharacter("J", "救护", "ambulance", False),
        UseCharacter("K", "工程救险", "engineering rescue", False),
        UseCharacter("L", "营转非", "formerly commercial, now private", False),
        UseCharacter("M", "出租转非", "former taxi, now private", False),
        UseCharacter("N", "教练", "driving school", True),
        UseCharacter("O", "幼儿校车", "kindergarten school bus", True),
        UseCharacter("P", "小学生校车", "primary-school bus", True),
        UseCharacter("Q", "其他校车", "other school bus", True),
        UseCharacter("R", "危化品运输", "dangerous goods transport", True),
        UseCharacter("S", "中小学生校车", "school bus (primary and secondary)", True),
        UseCharacter("Z", "其他", "other", False),
    )
}


def use_character(code: str, *, field: str = "use_character") -> UseCharacter:
    found = USE_CHARACTERS.get(code.strip().upper())
    if found is None:
        raise InvalidInput(
            "USE_CHARACTER_UNKNOWN",
            f"unknown use character {code!r} (known: {''.join(USE_CHARACTERS)})",
            details={"field": field, "value": code},
        )
    return found
