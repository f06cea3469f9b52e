"""Validators and the event decoder answer any input with a value or a coded InvalidInput."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.citizen_id import parse_citizen_id
from motorcred.domain.classes import parse_classes
from motorcred.domain.codes import LICENCE_STATUS, VEHICLE_STATUS
from motorcred.domain.events import EVENT_TYPES, event_from_payload
from motorcred.domain.plates import validate_plate
from motorcred.domain.vin import parse_vin
from motorcred.errors import InvalidInput

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=20)
    | st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)).map(date.isoformat),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@given(
    st.sampled_from(sorted(EVENT_TYPES)),
    st.dictionaries(
        st.sampled_from(
            [
                "on",
                "points",
                "fine_paid",
                "reference",
                "code",
                "cleared",
                "reason",
                "until",
                "photo_ref",
                "address",
                "phone",
                "new_owner_id_number",
                "new_plate",
                "new_plate_type",
                "plate",
                "plate_type",
                "use_character",
                "valid_until",
                "creditor",
                "forced",
                "extra",
            ]
        ),
        json_values,
    ),
)
def test_event_decoder_never_crashes(event_type: str, payload: dict[str, Any]) -> None:
    try:
        event = event_from_payload(event_type, payload)
    except InvalidInput as err:
        assert err.code.isupper() and err.message
    else:
        assert event_from_payload(event_type, event.to_payload()) == event


@given(st.text(max_size=24))
def test_text_validators_never_crash(text: str) -> None:
    for check in (
        parse_citizen_id,
        parse_vin,
        parse_classes,
        LICENCE_STATUS.parse,
        VEHICLE_STATUS.parse,
        lambda t: validate_plate(t, "02"),
    ):
        try:
            check(text)
        except InvalidInput as err:
            assert err.code.isupper() and err.message
