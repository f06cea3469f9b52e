"""A person in the registry: identity, name, contact details.

Sex and birth date are stated separately on records but must agree with what
the identity number encodes; when they are omitted they are taken from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from motorcred.domain.citizen_id import CitizenId, Sex, parse_citizen_id
from motorcred.errors import InvalidInput

NAME_MAX = 64
ADDRESS_MAX = 200
# Mainland mobile (11 digits, 1[3-9]…) or landline with area code (010-12345678).
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}")
_NATIONALITY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str
    sex: Sex
    birth_date: date
    nationality: str = "CHN"
    address: str | None = None
    phone: str | None = None

    @classmethod
    def create(
        cls,
        *,
        id_number: str,
        name: str,
        sex: str | None = None,
        birth_date: date | None = None,
        nationality: str = "CHN",
        address: str | None = None,
        phone: str | None = None,
    ) -> Person:
        citizen = parse_citizen_id(id_number)
        person = cls(
            id_number=citizen.value,
            name=normalise_name(name),
            sex=_sex(sex, citizen),
            birth_date=citizen.birth_date if birth_date is None else birth_date,
            nationality=nationality.strip().upper(),
            address=_optional_text(address),
            phone=normalise_phone(phone) if phone else None,
        )
        return person.validate()

    def validate(self) -> Person:
        citizen = parse_citizen_id(self.id_number)
        if self.birth_date != citizen.birth_date:
            raise InvalidInput(
                "ID_BIRTH_DATE_MISMATCH",
                f"birth date {self.birth_date.isoformat()} differs from the one in the "
                f"identity number ({citizen.birth_date.isoformat()})",
                details={"field": "birth_date"},
            )
        if self.sex != citizen.sex:
            raise InvalidInput(
                "ID_SEX_MISMATCH",
                f"sex {self.sex} differs from the one the identity number encodes ({citizen.sex})",
                details={"field": "sex"},
            )
        if not self.name or len(self.name) > NAME_MAX or not _printable(self.name):
            _bad("name", "NAME_FORMAT", f"a name is 1-{NAME_MAX} printable characters")
        if not _NATIONALITY.fullmatch(self.nationality):
            _bad("nationality", "NATIONALITY_FORMAT", "nationality is an ISO 3166 alpha-3 code")
        if self.address is not None and (
            len(self.address) > ADDRESS_MAX or not _printable(self.address)
        ):
            _bad("address", "ADDRESS_FORMAT", f"an address is 1-{ADDRESS_MAX} printable characters")
        if self.phone is not None and not (
            _MOBILE.fullmatch(self.phone) or _LANDLINE.fullmatch(self.phone)
        ):
            _bad("phone", "PHONE_FORMAT", "a phone is an 11-digit mobile or 0xx-xxxxxxxx landline")
        return self

    def age_on(self, on: date) -> int:
        years = on.year - self.birth_date.year
        return years - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))


def normalise_name(name: str) -> str:
    """NFC, trimmed, inner runs of spaces collapsed; the middle dot of transliterated
    minority and foreign names (阿依古丽·买买提) is kept."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def normalise_phone(phone: str) -> str:
    """Drop spaces, a +86 / 0086 country prefix and the dashes inside a mobile number."""
    text = re.sub(r"[\s()]", "", phone)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip("-")
    compact = text.replace("-", "")
    return compact if _MOBILE.fullmatch(compact) else text


def _sex(given: str | None, citizen: CitizenId) -> Sex:
    if given is None:
        return citizen.sex
    text = given.strip().upper()
    mapping: dict[str, Sex] = {"M": "M", "F": "F", "男": "M", "女": "F", "1": "M", "2": "F"}
    if text not in mapping:
        _bad("sex", "SEX_FORMAT", "sex is M or F (男/女, ISO 5218 1/2)")
    return mapping[text]


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


def _printable(text: str) -> bool:
    return all(unicodedata.category(ch)[0] != "C" for ch in text)


def _bad(field_name: str, code: str, message: str) -> NoReturn:
    raise InvalidInput(code, message, details={"field": field_name})
