"""A patient correcting themselves in the same text ("wait no", "hmm no", "I mean", "actually", "or rather",
"scratch that", "make it"): the part after the correction replaces what it corrects, whichever form reads it.

Found by simulated patients: "cancel my skin appointment. wait no, the one with alvarez" proposed the skin check;
"tuesday at 9, hmm no, make it wednesday at 9" listed Tuesday first; "a follow up with dr chen, hmm, or actually
dr patel is fine" offered only Dr. Chen; "Wednesday at 4, I mean 4 in the afternoon" offered noon to 2 PM."""

from __future__ import annotations

import asyncio
from datetime import date, time
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.appointments import ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from actions.scheduling import ActionCorrectBooking
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import Appointment
from bot.scheduling import booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.timeparse import When, parse_when
from bot.settings import get_settings
from tests.domain import project_domain
from tests.scheduling_helpers import MARIA_MOBILE, MONDAY_8AM, NEW_YORK, Clinic
from tests.test_described_appointments import office_and_skin  # noqa: F401
from tests.test_scheduling_actions import clinic, offer, run, texts, tracker, user, verified  # noqa: F401

WEDNESDAY = date(2026, 12, 9)


def run_events(action: Any, t: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(action.run(CollectingDispatcher(), t, project_domain()))


def tracker_after(events: list[dict[str, Any]], slots: dict[str, Any]) -> Tracker:
    """The booking form just started by the last user event of `events` (a request put back by an action)."""
    latest = next(e for e in reversed(events) if e.get("event") == "user")
    return Tracker.from_dict({
        "sender_id": MARIA_MOBILE, "slots": slots, "latest_message": latest["parse_data"],
        "events": [*events, {"event": "active_loop", "name": "booking_form"}],
        "active_loop": {"name": "booking_form"}, "latest_input_channel": "sms", "latest_action_name": "action_listen",
    })


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


def test_a_correction_right_after_booking_moves_that_appointment_once_picked_and_books_nothing_more(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    slots = {"visit": f"{verified.sick_visit}:{verified.park}", "when": "tomorrow at 10", "pending_request": "book"}
    offered, _ = offer(slots)
    chosen, _ = run(ValidateBookingForm(), tracker("1", "inform", {**slots, **offered, "requested_slot": "slot_choice"},
                                                   loop="booking_form"))
    booked = int(chosen["slot_choice"].split(":")[1])
    history = [user("1"), {"event": "slot", "name": "slot_choice", "value": chosen["slot_choice"]},
               {"event": "action", "name": "action_book_appointment"},
               {"event": "slot", "name": "slot_choice", "value": None}]
    put_back = run_events(ActionCorrectBooking(), tracker("wait, I meant wednesday not tomorrow", "book_appointment",
                                                         history=history))
    request = next(e for e in put_back if e.get("event") == "user")
    assert request["parse_data"]["intent"]["name"] == "reschedule_appointment"
    moving = {e["name"]: e["value"] for e in put_back if e.get("event") == "slot"}
    assert moving["pending_request"] == "reschedule"
    started, said = run(ValidateBookingForm(), tracker_after(history + put_back, moving))
    assert started["appointment_id"] == booked and started["requested_slot"] == "slot_choice"
    assert "now on Tuesday, December 8 at 10:00 AM" in texts(said)
    times, _ = offer({**slots, **started})
    assert times["offered_slots"] and all("Wednesday, December 9" in t["label"] for t in times["offered_slots"])
    assert times["offered_slots"][0]["label"].startswith("Wednesday, December 9 at 10:00 AM")  # the day, not the time
    # Nothing moved yet; the pick moves the same appointment, and there is still only one.
    with transaction(app_db) as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 1
        assert s.get(Appointment, booked).starts_at.astimezone(NEW_YORK).day == 8
    picking = {**slots, **started, **times, "requested_slot": "slot_choice"}
    picked, _ = run(ValidateBookingForm(), tracker("1", "inform", picking, loop="booking_form"))
    assert picked["slot_choice"] == f"booked:{booked}"
    with transaction(app_db) as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 1
        assert s.get(Appointment, booked).starts_at.astimezone(NEW_YORK).day == 9
