"""Offered times honour what the patient asked for, however it was spelt: a tester's hurried patients wrote "next wk,
any day, mornings only" and "any time thrusday", were offered this morning's times, and "1" booked one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from actions.booking_form import ValidateBookingForm
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import Appointment
from bot.scheduling import booking
from bot.scheduling.availability import option_from_token
from bot.scheduling.catalog import visit_from_key
from bot.settings import get_settings
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import clinic, offer, run, texts, tracker, verified  # noqa: F401


def _booked_by_one(words: str, visit_said: str | None = None) -> Appointment:
    """Books with `words` as the request, answers the visit question with `visit_said` if asked, then says "1"."""
    request = tracker(words, "book_appointment", {"pending_request": "book"}, "booking_form")
    slots, _ = run(ValidateBookingForm(), request)
    if slots["requested_slot"] == "visit":
        assert visit_said is not None
        answered, _ = run(ValidateBookingForm(), tracker(visit_said, slots={**slots, "pending_request": "book"}))
        slots = {**slots, **answered}
    assert slots["requested_slot"] == "slot_choice"
    offered, _ = offer(slots)
    chosen, _ = run(ValidateBookingForm(), tracker("1", slots={**slots, **offered, "requested_slot": "slot_choice"}))
    assert chosen["slot_choice"].startswith("booked:")
    with transaction(get_settings().database_url) as s:
        booked = s.execute(select(Appointment)).scalar_one()
        s.expunge(booked)
    return booked


def _local(booked: Appointment):
    return booked.starts_at.astimezone(load_profile(get_settings().clinic_profile).zone)


def test_next_wk_mornings_only_books_a_morning_next_week(app_db: str, verified: Clinic) -> None:  # noqa: F811
    today = load_profile(get_settings().clinic_profile).local_now().date()
    next_monday = today + timedelta(days=7 - today.weekday())
    starts = _local(_booked_by_one("need 2 get seen next wk, any day, mornings only", "office visit"))
    assert next_monday <= starts.date() < next_monday + timedelta(days=7) and starts.time() < time(12)


@pytest.mark.parametrize("day", ["thrusday", "tusday", "wedensday", "firday"])
def test_a_misspelt_weekday_books_that_day(app_db: str, verified: Clinic, day: str) -> None:  # noqa: F811
    starts = _local(_booked_by_one(f"sick visit any time {day}"))
    assert starts.strftime("%A").lower() == {"thrusday": "thursday", "tusday": "tuesday", "wedensday": "wednesday",
                                             "firday": "friday"}[day]


def test_a_time_asked_for_and_taken_is_said_and_the_nearest_later_time_comes_first(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    profile = load_profile(get_settings().clinic_profile)
    today = profile.local_now().date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    ten = datetime.combine(tuesday, time(10), tzinfo=profile.zone)
    with transaction(app_db) as s:
        for provider in (verified.park, verified.ross, verified.diaz):
            booking.book(s, profile, verified.jose, visit_from_key(s, f"{verified.office_visit}:{provider}"), ten,
                         "staff:test")
    request = tracker("office visit next tuesday at 10", "book_appointment", {"pending_request": "book"},
                      "booking_form")
    slots, _ = run(ValidateBookingForm(), request)
    offered, messages = offer(slots)
    starts = [option_from_token(o["token"])[2].astimezone(profile.zone) for o in offered["offered_slots"]]
    assert texts(messages).startswith("Nothing is open for an office visit exactly then.")
    assert ten not in starts and starts[0] > ten, texts(messages)
