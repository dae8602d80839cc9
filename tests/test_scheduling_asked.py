"""Offered times honour what the patient asked for, however it was spelt: a tester's hurried patients wrote "next wk,
any day, mornings only" and "any time thrusday", were offered this morning's times, and "1" booked one."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from actions.booking_form import ValidateBookingForm
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import Appointment
from bot.settings import get_settings
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import clinic, offer, run, tracker, verified  # noqa: F401


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
