"""The answers to the identity check (name, date of birth, code) are the patient's own details, never words
about what they want: a web patient named "Nova Tester" was booked with Dr. Novak, and an adult's visit moved to
a pediatrician. A patient whose last name is a provider's (Kim, Chen, Patel ... here Ross) is the plain case."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.booking_form import ValidateBookingForm
from tests.scheduling_helpers import MARIA_DOB, Clinic
from tests.test_scheduling_actions import book_for_maria, clinic, run, texts, tracker, user, verified  # noqa: F401


def verified_on_the_web(request: str, intent: str, name: str) -> list[dict[str, Any]]:
    """The request, then the web identity check: the name (classed as a booking, as the tester saw), the
    date of birth, then (see `started`) the code."""
    return [
        user(request, intent, "webchat"),
        {"event": "active_loop", "name": "verify_form"},
        user(name, "book_appointment", "webchat"),
        user(f"{MARIA_DOB:%m/%d/%Y}", "inform", "webchat"),
    ]


def starting_on_the_code(history: list[dict[str, Any]], pending: str) -> Tracker:
    """The booking form starting on the code that ends the identity check."""
    return tracker("123456", "inform", {"pending_request": pending}, "booking_form", "webchat", history=history)


def test_a_patient_named_like_a_provider_is_not_booked_with_that_provider(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    history = verified_on_the_web("can i get an appointment friday afternoon? any doctor is fine", "book_appointment",
                                  "Maria Ross")
    started, messages = run(ValidateBookingForm(), starting_on_the_code(history, "book"))
    assert started.get("visit") is None and "Ross" not in texts(messages)
    assert started["when"] == "can i get an appointment friday afternoon? any doctor is fine"


def test_a_move_keeps_its_provider_whatever_the_patients_name(app_db: str, verified: Clinic) -> None:  # noqa: F811
    book_for_maria(app_db, verified)  # with Dr. Park
    history = verified_on_the_web("could you move my appointment to the afternoon?", "reschedule_appointment",
                                  "Maria Ross")
    started, messages = run(ValidateBookingForm(), starting_on_the_code(history, "reschedule"))
    assert started["visit"] == f"{verified.office_visit}:{verified.park}" and "Ross" not in texts(messages)
