"""A booking or cancel a patient leaves ("never mind, I'll call later", "not sure yet, let me check my calendar")
ends politely instead of asking its question again, as a tester's patient was asked the kind of visit twice."""

from __future__ import annotations

import pytest

from actions.appointments import ActionCancelAppointment, ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from actions.scheduling import ActionBookAppointment
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import book_for_maria, clinic, run, texts, tracker, verified  # noqa: F401


@pytest.mark.parametrize(
    "said", ["never mind, I'll call later", "nvm, I'll call later", "ok nvm ill just call the office"]
)
def test_never_mind_ill_call_later_ends_the_booking_politely(verified: Clinic, said: str) -> None:  # noqa: F811
    asked = {"requested_slot": "visit", "pending_request": "book", "when": "friday"}
    ended, messages = run(ValidateBookingForm(), tracker(said, "inform", asked, loop="booking_form"))
    assert ended["requested_slot"] is None and messages == []
    _, said_back = run(ActionBookAppointment(), tracker(said, slots={**asked, **ended}))
    assert texts(said_back) == "Okay, I've stopped. Nothing was booked."


@pytest.mark.parametrize("said", ["i'll call you at 3", "call me later", "i will do it friday"])
def test_words_about_calling_that_leave_nothing_do_not_end_it(verified: Clinic, said: str) -> None:  # noqa: F811
    asked = {"requested_slot": "when", "pending_request": "book", "visit": f"{verified.office_visit}:"}
    answered, _ = run(ValidateBookingForm(), tracker(said, "inform", asked, loop="booking_form"))
    assert answered.get("requested_slot") is not None


def test_not_sure_yet_let_me_check_my_calendar_ends_the_cancel_politely(app_db: str, verified: Clinic) -> None:  # noqa: F811
    """It listed the appointments and asked again."""
    book_for_maria(app_db, verified)
    request = tracker("cancel my appointment", "cancel_appointment", activated="cancel_form")
    started, _ = run(ValidateCancelForm(), request)
    said = "not sure yet, let me check my calendar"
    ended, _ = run(ValidateCancelForm(), tracker(said, "inform", started, loop="cancel_form"))
    assert ended["requested_slot"] is None
    _, said_back = run(ActionCancelAppointment(), tracker(said, slots={**started, **ended}))
    assert texts(said_back) == "Okay, your appointment stays as it is."
