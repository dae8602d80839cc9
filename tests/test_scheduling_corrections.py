"""A patient correcting themselves in the same text ("wait no", "hmm no", "I mean", "actually", "or rather",
"scratch that", "make it"): the part after the correction replaces what it corrects, whichever form reads it.

Found by simulated patients: "cancel my skin appointment. wait no, the one with alvarez" proposed the skin check;
"tuesday at 9, hmm no, make it wednesday at 9" listed Tuesday first; "a follow up with dr chen, hmm, or actually
dr patel is fine" offered only Dr. Chen; "Wednesday at 4, I mean 4 in the afternoon" offered noon to 2 PM."""

from __future__ import annotations

from datetime import date, time

import pytest

from actions.appointments import ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from bot.clinic import load_profile
from bot.db import transaction
from bot.scheduling import booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.timeparse import When, parse_when
from bot.settings import get_settings
from tests.scheduling_helpers import MONDAY_8AM, Clinic
from tests.test_described_appointments import office_and_skin  # noqa: F401
from tests.test_scheduling_actions import clinic, offer, run, texts, tracker, verified  # noqa: F401

WEDNESDAY = date(2026, 12, 9)


@pytest.mark.parametrize(
    "words, expected",
    [
        ("tuesday at 9, hmm no, make it wednesday at 9", When(WEDNESDAY, WEDNESDAY, exact=time(9))),
        ("Wednesday at 4, I mean 4 in the afternoon", When(WEDNESDAY, WEDNESDAY, exact=time(16))),
        ("wednesday at 10, make it 11am", When(WEDNESDAY, WEDNESDAY, exact=time(11))),
        ("9 o'clock in the morning on wednesday", When(WEDNESDAY, WEDNESDAY, exact=time(9))),
        ("wait, I meant wednesday not tomorrow", When(WEDNESDAY, WEDNESDAY)),
        # "make it" with no pause before it is no correction: the day is ruled out, the other one stays.
        ("tuesday? i can't make it wednesday", When(date(2026, 12, 8), date(2026, 12, 8))),
    ],
)
def test_the_day_or_time_after_a_correction_replaces_the_one_before(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


def test_a_corrected_time_answer_offers_only_the_day_settled_on(app_db: str, verified: Clinic) -> None:  # noqa: F811
    slots = {"visit": f"{verified.office_visit}:{verified.ross}", "requested_slot": "when", "pending_request": "book"}
    answered, _ = run(ValidateBookingForm(), tracker("tuesday at 9, hmm no, make it wednesday at 9", "inform", slots,
                                                     loop="booking_form"))
    offered, messages = offer({**slots, **answered})
    assert offered["offered_slots"] and all("Wednesday" in o["label"] for o in offered["offered_slots"])
    assert "1) Wednesday, December 9 at 9:00 AM" in texts(messages)


def test_the_hour_corrected_to_the_afternoon_is_offered_first(app_db: str, verified: Clinic) -> None:  # noqa: F811
    started, _ = run(ValidateBookingForm(), tracker(
        "Book an office visit for Wednesday at 4, I mean 4 in the afternoon", "book_appointment",
        {"pending_request": "book"}, "booking_form"))
    offered, messages = offer(started)
    assert "1) Wednesday, December 9 at 4:00 PM" in texts(messages)


def test_the_provider_after_a_correction_replaces_the_one_before_and_the_kind_stays(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    started, _ = run(ValidateBookingForm(), tracker(
        "book a sick visit with dr park, hmm, or actually dr ross is fine", "book_appointment",
        {"pending_request": "book"}, "booking_form"))
    assert started["visit"] == f"{verified.sick_visit}:{verified.ross}"
    offered, _ = run(ValidateBookingForm(), tracker(
        "a sick visit with dr ross, I mean dr park", "inform", {"pending_request": "book", "requested_slot": "visit"},
        loop="booking_form"))
    assert offered["visit"] == f"{verified.sick_visit}:{verified.park}"


def test_the_appointment_after_a_correction_is_the_one_cancelled_not_the_one_taken_back(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    office, skin = office_and_skin["office"][0], office_and_skin["skin"][0]
    started, messages = run(ValidateCancelForm(), tracker(
        "cancel my skin appointment. wait no, the one with park", "cancel_appointment", activated="cancel_form"))
    assert started["appointment_id"] == office and started["requested_slot"] == "cancel_confirmed"
    other_way, _ = run(ValidateCancelForm(), tracker(
        "cancel the one with dr park, I mean my skin check", "cancel_appointment", activated="cancel_form"))
    assert other_way["appointment_id"] == skin


def test_the_weekday_before_the_appointment_is_the_one_offered_when_moving_it(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    profile = load_profile(get_settings().clinic_profile)
    with transaction(app_db) as s:
        visit = visit_from_key(s, f"{verified.office_visit}:{verified.park}")
        option = find_slots(s, profile, visit, When(date(2026, 12, 22), date(2026, 12, 22)), MONDAY_8AM).options[0]
        booked = booking.book(s, profile, verified.maria, visit, option.starts_at, "staff:test").appointment_id
    started, _ = run(ValidateBookingForm(), tracker(
        "move my appointment to the thursday before it", "reschedule_appointment", {"pending_request": "reschedule"},
        "booking_form"))
    assert started["appointment_id"] == booked
    offered, _ = offer(started)
    assert offered["offered_slots"]
    assert all("Thursday, December 17" in o["label"] for o in offered["offered_slots"])
