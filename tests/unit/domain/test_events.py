from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.events import (
    EVENT_TYPES,
    AccidentProcessed,
    AccidentRecorded,
    AddressChanged,
    Cancelled,
    ClassAdded,
    ClassRemoved,
    Detained,
    DetentionLifted,
    FinePaid,
    MedicalExamSubmitted,
    PhotoReplaced,
    PointsCleared,
    Renewed,
    RevocationLifted,
    Revoked,
    StatusMarked,
    Suspended,
    SuspensionLifted,
    TransferredIn,
    ViolationRecorded,
    apply,
    event_from_payload,
    event_types_for,
    replay,
)
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.errors import InvalidInput

ID = "440102198001021230"  # born 1980-01-02


def licence(classes: str = "C1", on: date = date(2010, 5, 1)) -> DrivingLicence:
    return DrivingLicence.issue(
        number=ID,
        file_number="440100000001",
        classes=classes,
        issued_on=on,
        issuing_authority_code="440100",
        issuing_authority_name="广州市公安局交通警察支队",
    )


def refused(record: Any, event: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as err:
        apply(record, event)
    return err.value


# ------------------------------------------------------------------ points and status


def test_reaching_twelve_points_marks_over_points_and_detains() -> None:
    lic = replay(
        licence(),
        [
            ViolationRecorded(on=date(2012, 6, 1), points=6),
            ViolationRecorded(on=date(2012, 7, 1), points=3),
        ],
    )
    assert (lic.points, lic.status_text) == (9, "A")
    lic = apply(lic, ViolationRecorded(on=date(2012, 8, 1), points=3))
    assert lic.points == 12
    assert lic.status == {"B", "U"}
    assert lic.reached_limit_in_period
    assert refused(lic, DetentionLifted(on=date(2012, 9, 1))).code == "EVENT_NOT_APPLICABLE"
    cleared = apply(lic, PointsCleared(on=date(2012, 9, 1)))
    assert (cleared.points, cleared.status_text) == (0, "A")
    # The cycle that reached 12 blocks the step from 6 to 10 years at renewal.
    assert cleared.next_validity_years() == 6


def test_points_clear_at_cycle_end_only_when_fines_are_paid() -> None:
    lic = apply(licence(), ViolationRecorded(on=date(2012, 6, 1), points=3, fine_paid=False))
    assert lic.status == {"H"} and lic.unpaid_fines == 1
    carried = apply(lic, AccidentRecorded(on=date(2013, 5, 2), processed=True))
    assert (carried.cycle_start, carried.points) == (date(2013, 5, 1), 3)
    paid = apply(lic, FinePaid(on=date(2013, 4, 1)))
    assert paid.status_text == "A"
    rolled = apply(paid, ViolationRecorded(on=date(2013, 5, 1), points=2))
    assert (rolled.cycle_start, rolled.points) == (date(2013, 5, 1), 2)
    assert refused(paid, FinePaid(on=date(2013, 4, 2))).code == "EVENT_NOT_APPLICABLE"


def test_probation_extended_for_heavy_class_with_six_points() -> None:
    lic = apply(licence("C1", date(2010, 5, 1)), ClassAdded(on=date(2015, 3, 1), code="B2"))
    assert lic.probation_end() == date(2016, 3, 1)
    assert lic.medical_exam_due == date(2015, 5, 30)  # B2: 30 days after every cycle
    lic = apply(lic, ViolationRecorded(on=date(2015, 6, 1), points=6))
    assert lic.probation_end() == date(2017, 3, 1)
    light = apply(licence("C1", date(2015, 3, 1)), ViolationRecorded(on=date(2015, 6, 1), points=6))
    assert light.probation_end() == date(2016, 3, 1)


def test_accident_and_several_statuses_at_once() -> None:
    lic = replay(
        licence(),
        [
            AccidentRecorded(on=date(2012, 1, 1)),
            Suspended(on=date(2012, 1, 2), reason="drunk driving", until=date(2012, 7, 2)),
        ],
    )
    assert lic.status_text == "DI"
    lic = replay(
        lic, [AccidentProcessed(on=date(2012, 2, 1)), SuspensionLifted(on=date(2012, 7, 2))]
    )
    assert lic.status_text == "A"


def test_sanctions_and_their_lifting() -> None:
    lic = apply(licence(), Detained(on=date(2012, 1, 1)))
    assert lic.status_text == "U"
    assert refused(lic, Detained(on=date(2012, 1, 2))).code == "EVENT_NOT_APPLICABLE"
    assert apply(lic, DetentionLifted(on=date(2012, 1, 5))).status_text == "A"
    assert refused(licence(), SuspensionLifted(on=date(2012, 1, 1))).details["reason"]


def test_closed_licence_refuses_everything_but_lifting_or_closing() -> None:
    revoked = apply(licence(), Revoked(on=date(2012, 1, 1), reason="hit and run"))
    err = refused(revoked, ViolationRecorded(on=date(2012, 2, 1), points=3))
    assert err.code == "EVENT_NOT_APPLICABLE"
    assert err.details["reason"] == "the licence is closed"
    assert apply(revoked, Cancelled(on=date(2012, 3, 1))).status_text == "FG"
    assert apply(revoked, RevocationLifted(on=date(2012, 3, 1))).status_text == "A"


def test_status_markers() -> None:
    lic = apply(licence(), StatusMarked(on=date(2016, 6, 1), code="M"))
    assert lic.status_text == "M"
    renewed = apply(lic, Renewed(on=date(2016, 6, 1)))
    assert renewed.status_text == "A"
    with pytest.raises(InvalidInput) as err:
        StatusMarked(on=date(2016, 6, 1), code="D")
    assert err.value.code == "LICENCE_STATUS_UNKNOWN"


# ------------------------------------------------------------------ classes and validity


def test_class_change() -> None:
    lic = apply(licence("C1"), ClassAdded(on=date(2015, 3, 1), code="D"))
    assert lic.classes_text == "C1D"
    assert lic.class_grants["D"] == date(2015, 3, 1)
    assert refused(lic, ClassAdded(on=date(2015, 4, 1), code="C2")).code == "EVENT_NOT_APPLICABLE"
    assert refused(lic, ClassAdded(on=date(2015, 4, 1), code="E")).code == "EVENT_NOT_APPLICABLE"
    lic = apply(lic, ClassRemoved(on=date(2016, 1, 1), code="D"))
    assert lic.classes_text == "C1"
    err = refused(lic, ClassRemoved(on=date(2016, 1, 1), code="C1"))
    assert "last class" in err.details["reason"]
    suspended = apply(lic, Suspended(on=date(2016, 2, 1)))
    assert refused(suspended, ClassAdded(on=date(2016, 3, 1), code="D")).code == (
        "EVENT_NOT_APPLICABLE"
    )
    with pytest.raises(InvalidInput) as bad:
        ClassAdded(on=date(2016, 3, 1), code="Q")
    assert bad.value.code == "CLASS_UNKNOWN"


def test_added_class_respects_age_limit() -> None:
    old = licence("C1", date(2010, 5, 1))
    err = refused(old, ClassAdded(on=date(2041, 1, 3), code="B2"))  # aged 61
    assert "age 61" in err.details["reason"]


def test_renewal_steps_six_ten_long_term() -> None:
    lic = licence()
    early = refused(lic, Renewed(on=date(2016, 1, 31)))
    assert early.details["opens"] == "2016-02-01"
    ten = apply(lic, Renewed(on=date(2016, 3, 1)))
    assert (ten.valid_from, ten.valid_until, ten.validity_years) == (
        date(2016, 5, 1),
        date(2026, 5, 1),
        10,
    )
    long_term = apply(ten, Renewed(on=date(2026, 4, 1)))
    assert (long_term.valid_until, long_term.validity_years) == (None, None)
    assert refused(long_term, Renewed(on=date(2036, 4, 1))).code == "EVENT_NOT_APPLICABLE"
    late = apply(lic, Renewed(on=date(2016, 8, 1)))
    assert late.valid_from == date(2016, 8, 1)


def test_renewal_stays_at_six_years_after_twelve_points() -> None:
    lic = replay(
        licence(),
        [ViolationRecorded(on=date(2013, 1, 1), points=12), PointsCleared(on=date(2013, 2, 1))],
    )
    again = apply(lic, Renewed(on=date(2016, 3, 1)))
    assert (again.validity_years, again.valid_until) == (6, date(2022, 5, 1))
    assert not again.reached_limit_in_period


def test_medical_exam_and_photo() -> None:
    lic = apply(licence("C1"), ClassAdded(on=date(2015, 3, 1), code="B2"))
    lic = apply(lic, MedicalExamSubmitted(on=date(2016, 5, 20)))
    assert lic.medical_exam_due == date(2017, 5, 30)
    assert apply(lic, PhotoReplaced(on=date(2016, 6, 1), photo_ref="p/1")).photo_ref == "p/1"


# ------------------------------------------------------------------ person, kinds, payloads


def test_person_address_change() -> None:
    person = Person.create(id_number=ID, name="张三")
    moved = apply(person, AddressChanged(on=date(2020, 1, 1), address=" 广州市  天河区 "))
    assert moved.address == "广州市 天河区"


def test_event_of_another_record_kind_is_refused() -> None:
    err = refused(licence(), AddressChanged(on=date(2020, 1, 1), address="x"))
    assert err.code == "EVENT_NOT_APPLICABLE"


@pytest.mark.parametrize(
    ("event_type", "payload", "code"),
    [
        ("nope", {"on": "2020-01-01"}, "EVENT_TYPE_UNKNOWN"),
        ("violation", {"on": "2020-01-01"}, "EVENT_PAYLOAD"),
        ("violation", {"on": "2020-13-01", "points": 3}, "EVENT_PAYLOAD"),
        ("violation", {"on": "2020-01-01", "points": "3"}, "EVENT_PAYLOAD"),
        ("violation", {"on": "2020-01-01", "points": True}, "EVENT_PAYLOAD"),
        ("violation", {"on": "2020-01-01", "points": 3, "extra": 1}, "EVENT_PAYLOAD"),
        ("violation", {"on": "2020-01-01", "points": 13}, "POINTS_RANGE"),
        ("violation", {"on": "2020-01-01", "points": 3, "fine_paid": "no"}, "EVENT_PAYLOAD"),
        ("suspended", {"on": "2020-01-01", "until": "2019-01-01"}, "EVENT_FIELD"),
        ("deregistered", {"on": "2020-01-01", "reason": "sold"}, "EVENT_PAYLOAD"),
        ("class_added", {"on": "2020-01-01", "code": "Z"}, "CLASS_UNKNOWN"),
    ],
)
def test_bad_payloads(event_type: str, payload: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        event_from_payload(event_type, payload)
    assert err.value.code == code


def test_every_event_type_is_listed_by_kind() -> None:
    kinds = {k: event_types_for(k) for k in ("licence", "vehicle", "person")}
    assert sum(len(v) for v in kinds.values()) == len(EVENT_TYPES)
    assert "violation" in kinds["licence"]
    assert "ownership_transferred" in kinds["vehicle"]


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
licence_events = st.one_of(
    st.builds(ViolationRecorded, on=dates, points=st.integers(0, 12), fine_paid=st.booleans()),
    st.builds(FinePaid, on=dates),
    st.builds(PointsCleared, on=dates),
    st.builds(AccidentRecorded, on=dates, processed=st.booleans()),
    st.builds(AccidentProcessed, on=dates),
    st.builds(Suspended, on=dates),
    st.builds(SuspensionLifted, on=dates),
    st.builds(Detained, on=dates),
    st.builds(DetentionLifted, on=dates),
    st.builds(ClassAdded, on=dates, code=st.sampled_from(["D", "E", "B2", "A1", "C6"])),
    st.builds(Renewed, on=dates),
    st.builds(MedicalExamSubmitted, on=dates),
)


@given(licence_events)
def test_payload_round_trip(event: Any) -> None:
    payload = event.to_payload()
    assert event_from_payload(event.event_type, payload) == event


@given(st.lists(licence_events, max_size=12).map(lambda es: sorted(es, key=lambda e: e.on)))
def test_replay_keeps_the_status_invariants(events: list[Any]) -> None:
    lic = licence(on=date(2000, 1, 1))
    for event in events:
        try:
            lic = apply(lic, event)
        except InvalidInput as err:
            assert err.code == "EVENT_NOT_APPLICABLE"
            continue
        assert lic.status == {"A"} or "A" not in lic.status
        assert ("B" in lic.status) == (lic.points >= 12)
        assert ("H" in lic.status) == (lic.unpaid_fines > 0)
        assert lic.validate() is lic


def test_replay_is_deterministic_and_equals_stepwise_apply() -> None:
    events = [
        ViolationRecorded(on=date(2012, 6, 1), points=3, fine_paid=False),
        ClassAdded(on=date(2013, 1, 1), code="D"),
        FinePaid(on=date(2013, 2, 1)),
        Renewed(on=date(2016, 3, 1)),
    ]
    stored = [(e.event_type, e.to_payload()) for e in events]
    rebuilt = replay(licence(), [event_from_payload(t, p) for t, p in stored])
    stepwise = licence()
    for e in events:
        stepwise = apply(stepwise, e)
    assert rebuilt == stepwise
    assert replace(rebuilt, photo_ref=None).classes_text == "C1D"


def test_events_before_first_issue_are_refused() -> None:
    err = refused(licence(), ViolationRecorded(on=date(2010, 4, 30), points=3))
    assert "first issue" in err.details["reason"]


def test_a_late_recorded_violation_counts_in_the_current_cycle() -> None:
    # A decision recorded after the cycle rolled over is scored in the current cycle.
    lic = apply(licence(), ViolationRecorded(on=date(2013, 5, 2), points=3))
    lic = apply(lic, ViolationRecorded(on=date(2013, 4, 30), points=3))
    assert (lic.cycle_start, lic.points) == (date(2013, 5, 1), 6)


def test_transfer_to_another_authority() -> None:
    lic = apply(licence(), StatusMarked(on=date(2014, 1, 1), code="C"))
    moved = apply(
        lic,
        TransferredIn(
            on=date(2014, 2, 1),
            issuing_authority_code="110100",
            issuing_authority_name="北京市公安局公安交通管理局",
        ),
    )
    assert (moved.issuing_authority_code, moved.status_text) == ("110100", "A")
    again = TransferredIn(
        on=date(2014, 3, 1),
        issuing_authority_code="110100",
        issuing_authority_name="北京市公安局公安交通管理局",
    )
    assert "already" in refused(moved, again).details["reason"]
    with pytest.raises(InvalidInput) as err:
        TransferredIn(on=date(2014, 3, 1), issuing_authority_code="BJ", issuing_authority_name="x")
    assert err.value.code == "AUTHORITY_FORMAT"
