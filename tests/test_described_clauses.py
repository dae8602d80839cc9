"""A text that says something about one appointment and asks to cancel or move another: only the clause that
asks describes the appointment acted on ("I'll be at the thursday one. please cancel the one with dr kim
though" said no such appointment), and "the one after that" is the next after the one just named ("yes to
thursday, but I need to cancel the one after that" offered to cancel Thursday's)."""

from __future__ import annotations

from actions.appointments import ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from tests.scheduling_helpers import Clinic
from tests.test_described_appointments import DAY_NAMES, _other_weekday, office_and_skin  # noqa: F401
from tests.test_scheduling_actions import clinic, run, texts, tracker, verified  # noqa: F401


def _cancelling(text: str) -> tuple[dict, list[dict]]:
    return run(ValidateCancelForm(), tracker(text, "cancel_appointment", activated="cancel_form"))


def test_the_cancel_clause_names_the_appointment_not_the_one_the_patient_will_attend(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    office, _ = office_and_skin["office"]
    skin_day = DAY_NAMES[office_and_skin["skin"][1].weekday()]
    started, messages = _cancelling(f"I'll be at the {skin_day} one. please cancel the one with dr park though")
    assert started["appointment_id"] == office and started["requested_slot"] == "cancel_confirmed"
    assert "don't see" not in texts(messages)


def test_the_one_after_that_is_the_next_appointment_after_the_one_named(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    (first, first_day), (second, _) = sorted(office_and_skin.values(), key=lambda booked: booked[1])
    started, _ = _cancelling(f"yes to {DAY_NAMES[first_day.weekday()]}, but I need to cancel the one after that")
    assert started["appointment_id"] == second != first


def test_the_move_clause_names_the_appointment_moved(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    skin, skin_day = office_and_skin["skin"]
    office_day = office_and_skin["office"][1]
    target = _other_weekday(office_day, skin_day)
    started, _ = run(ValidateBookingForm(), tracker(
        f"I'll be at the {DAY_NAMES[office_day.weekday()]} one. can you move the other one to {target}",
        "reschedule_appointment", {"pending_request": "reschedule"}, "booking_form"))
    assert started["appointment_id"] == skin
