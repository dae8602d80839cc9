"""A missed appointment is past: "missed my appt yesterday, sorry! can I rebook for monday?" (read as a move)
was told "I don't see any upcoming appointments. Would you like to book one?"; it now books a new visit."""

from __future__ import annotations

from actions.booking_form import ValidateBookingForm
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import clinic, run, texts, tracker, verified  # noqa: F401


def test_rebooking_a_missed_appointment_books_a_new_one_for_the_day_asked(app_db: str, verified: Clinic) -> None:  # noqa: F811
    request = "missed my appt yesterday, sorry! can I rebook for monday?"
    started, messages = run(ValidateBookingForm(), tracker(
        request, "reschedule_appointment", {"pending_request": "reschedule"}, "booking_form"))
    assert "upcoming" not in texts(messages) and started["pending_request"] == "book"
    assert started["when"] == request and started["requested_slot"] == "visit"


def test_moving_with_nothing_upcoming_still_offers_to_book(app_db: str, verified: Clinic) -> None:  # noqa: F811
    _, messages = run(ValidateBookingForm(), tracker(
        "can I move my appointment to monday", "reschedule_appointment", {"pending_request": "reschedule"},
        "booking_form"))
    assert "don't see any upcoming appointments" in texts(messages)
