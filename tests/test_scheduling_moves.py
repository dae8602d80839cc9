"""Moves said relative to the appointment ("earlier on the same day as my appointment", "push back my
appointment a couple of hours", "same time next week", "bump my appt a week", "the following thursday") offer times
on the day the patient meant: a tester's patients were offered today, or the next day, and one was moved three days
early; one asking for "the following thurs" was offered the Thursday of the visit itself."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking_form import ValidateBookingForm
from actions.reminder_replies import RecordAdherence
from actions.scheduling import ActionBookAppointment
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import Appointment
from bot.scheduling import booking
from bot.scheduling.availability import option_from_token
from bot.scheduling.catalog import visit_from_key
from bot.settings import get_settings
from tests.domain import project_domain
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import _reminded, clinic, offer, run, texts, tracker, verified  # noqa: F401


def _book_at(app_db: str, clinic: Clinic, at: time, weekday: int | None = None) -> datetime:  # noqa: F811
    """Maria's office visit with Dr. Park at `at` on the third weekday from today (so today is not its day), or
    on the first `weekday` (0 is Monday) from then."""
    profile = load_profile(get_settings().clinic_profile)
    day = profile.local_now().date() + timedelta(days=3)
    while day.weekday() > 4 or weekday is not None and day.weekday() != weekday:
        day += timedelta(days=1)
    starts = datetime.combine(day, at, tzinfo=profile.zone)
    with transaction(app_db) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booking.book(s, profile, clinic.maria, visit, starts, "staff:test")
    return starts


def _offered_for(words: str) -> tuple[list[datetime], str]:
    started, said = run(
        ValidateBookingForm(),
        tracker(words, "reschedule_appointment", {"pending_request": "reschedule"}, "booking_form"),
    )
    assert started["requested_slot"] == "slot_choice", texts(said)  # the words were a time: nothing asked again
    offered, messages = offer(started)
    zone = load_profile(get_settings().clinic_profile).zone
    starts = [option_from_token(o["token"])[2].astimezone(zone) for o in offered["offered_slots"]]
    return starts, texts(messages)


@pytest.mark.parametrize(
    "words",
    [
        "Would it be possible to come in earlier on the same day as my appointment?",
        "The same day, please, but earlier than my current time.",
    ],
)
def test_earlier_on_the_same_day_offers_that_day_before_its_time(
    app_db: str, verified: Clinic, words: str  # noqa: F811
) -> None:
    current = _book_at(app_db, verified, time(15))
    starts, said = _offered_for(words)
    assert starts and all(s.date() == current.date() and s < current for s in starts), said


@pytest.mark.parametrize(
    "words", ["Can you push back my appointment a couple of hours?", "same day please, just a couple of hours later"]
)
def test_a_couple_of_hours_later_offers_that_day_from_two_hours_on(
    app_db: str, verified: Clinic, words: str  # noqa: F811
) -> None:
    current = _book_at(app_db, verified, time(9))
    starts, said = _offered_for(words)
    assert starts and all(s.date() == current.date() and s >= current + timedelta(hours=2) for s in starts), said


@pytest.mark.parametrize(
    "words", ["can you move my appt to the same time next week", "exactly one week later, same time please"]
)
def test_same_time_next_week_offers_that_time_a_week_on(app_db: str, verified: Clinic, words: str) -> None:  # noqa: F811
    current = _book_at(app_db, verified, time(15, 30))
    starts, said = _offered_for(words)
    week_on = current + timedelta(days=7)
    assert week_on in starts and {s.date() for s in starts} == {week_on.date()}, said


def test_bump_my_appt_a_week_offers_the_day_a_week_later(app_db: str, verified: Clinic) -> None:  # noqa: F811
    current = _book_at(app_db, verified, time(10))
    starts, said = _offered_for("bump my appt a week pls")
    assert starts and {s.date() for s in starts} == {current.date() + timedelta(days=7)}, said


def test_earlier_with_a_day_named_offers_that_day(app_db: str, verified: Clinic) -> None:  # noqa: F811
    _book_at(app_db, verified, time(15))
    tomorrow = load_profile(get_settings().clinic_profile).local_now().date() + timedelta(days=1)
    while tomorrow.weekday() > 4:  # the demo clinic's providers work weekdays
        tomorrow += timedelta(days=1)
    day = "monday" if tomorrow.weekday() == 0 else "tomorrow"
    starts, said = _offered_for(f"can i come in earlier? like {day}?")
    assert starts and {s.date() for s in starts} == {tomorrow}, said


@pytest.mark.parametrize("words", ["actually can you move that to 3pm", "can we do 3 instead"])
def test_a_time_with_no_day_keeps_the_appointments_own_day(app_db: str, verified: Clinic, words: str) -> None:  # noqa: F811
    # A tester's "move that to 3pm" (a Tuesday 1 PM) was offered Mon/Wed/Thu 3 PM, never that Tuesday.
    current = _book_at(app_db, verified, time(13))
    starts, said = _offered_for(words)
    assert current.replace(hour=15) in starts and {s.date() for s in starts} == {current.date()}, said


@pytest.mark.parametrize(
    "words", ["can we do the following thurs", "move it to the thursday after", "the following thursday please"]
)
def test_the_following_thursday_for_a_thursday_visit_offers_the_thursday_a_week_on(
    app_db: str, verified: Clinic, words: str  # noqa: F811
) -> None:
    # A tester's "the following thurs" was offered the Thursday of the visit itself again.
    current = _book_at(app_db, verified, time(10), weekday=3)
    starts, said = _offered_for(words)
    assert starts and {s.date() for s in starts} == {current.date() + timedelta(days=7)}, said


def test_a_week_from_thursday_and_the_tuesday_after_next_are_read_from_today(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    _book_at(app_db, verified, time(10), weekday=3)
    today = load_profile(get_settings().clinic_profile).local_now().date()
    coming = {d: today + timedelta(days=(d - today.weekday()) % 7) for d in (1, 3)}
    next_tuesday = coming[1] + timedelta(days=7 if coming[1] == today else 0)
    for words, day in (("a week from thursday", coming[3] + timedelta(days=7)),
                       ("the tuesday after next", next_tuesday + timedelta(days=7))):
        starts, said = _offered_for(words)
        assert starts and {s.date() for s in starts} == {day}, (words, said)


def test_booking_the_following_thursday_offers_the_thursday_after_the_coming_one(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    # With no appointment to read it against, "the following thursday" is not the coming one: it follows it.
    started, said = run(
        ValidateBookingForm(),
        tracker("book an office visit the following thursday", "book_appointment", {"pending_request": "book"},
                "booking_form"),
    )
    assert started["requested_slot"] == "slot_choice", texts(said)
    offered, messages = offer(started)
    zone = load_profile(get_settings().clinic_profile).zone
    today = load_profile(get_settings().clinic_profile).local_now().date()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
    starts = {option_from_token(o["token"])[2].astimezone(zone).date() for o in offered["offered_slots"]}
    assert starts == {thursday}, texts(messages)


@pytest.mark.parametrize("words", ["can I move my appointment to 3pm the same day", "move it to 3 pm same day pls"])
def test_the_time_asked_for_is_offered_first_and_no_earlier_time_before_it(
    app_db: str, verified: Clinic, words: str  # noqa: F811
) -> None:
    # A tester's list read 2:30, 2:45, 3:00 PM for "3pm", and "1" moved the visit to 2:30 PM.
    current = _book_at(app_db, verified, time(13))
    starts, said = _offered_for(words)
    assert starts[0] == current.replace(hour=15) and starts[1] > starts[0], said


def test_keep_it_as_it_is_ends_the_move_and_changes_nothing(app_db: str, verified: Clinic) -> None:  # noqa: F811
    # A tester's patient, asked when to move to, was told "Sorry, I didn't catch a day or time" again and again.
    current = _book_at(app_db, verified, time(10))
    with transaction(app_db) as s:
        (appointment_id,) = s.execute(select(Appointment.id)).scalars()
    slots = {"pending_request": "reschedule", "appointment_id": str(appointment_id), "requested_slot": "when",
             "visit": f"{verified.office_visit}:{verified.park}"}
    stopped, said = run(ValidateBookingForm(), tracker("never mind, keep it as it is", "inform", slots,
                                                       loop="booking_form"))
    assert stopped["requested_slot"] is None and "didn't catch" not in texts(said)
    _, ended = run(ActionBookAppointment(), tracker("never mind, keep it as it is", slots={**slots, **stopped}))
    assert texts(ended) == "Okay, I've stopped. Nothing was changed."
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).starts_at == current


def test_half_an_hour_later_to_an_appointment_reminder_moves_that_visit(app_db: str, verified: Clinic) -> None:  # noqa: F811
    """ "can you make it half an hour later?" to an appointment reminder was read as putting off a dose: "I don't see
    a recent medication reminder to answer." It is the reminder's Reschedule choice, and times are offered that day
    from half an hour after the visit on; nothing moves until the patient picks one."""
    current = _book_at(app_db, verified, time(9))
    with transaction(app_db) as s:
        appointment_id = s.execute(select(Appointment.id)).scalar_one()
    _reminded(app_db, verified.maria, appointment_id)
    words = "can you make it half an hour later?"
    dispatcher = CollectingDispatcher()
    events = asyncio.run(RecordAdherence().run(dispatcher, tracker(words, "snooze_reminder"), project_domain()))
    put_back = [e for e in events if e.get("event") == "user"]
    assert dispatcher.messages == [] and len(put_back) == 1, dispatcher.messages
    assert put_back[0]["parse_data"]["intent"]["name"] == "reschedule_appointment" and put_back[0]["text"] == words
    starts, said = _offered_for(words)
    assert starts and all(s.date() == current.date() and s >= current + timedelta(minutes=30) for s in starts), said
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).starts_at == current
