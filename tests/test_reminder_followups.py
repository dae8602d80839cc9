"""What is said right after a reminder request: a new time for the plan just saved (never an appointment), and a
reminder asked for someone else (never set on this patient's record). Found by simulated patients over SMS."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from actions.reminder_followups import CorrectSavedReminder, SomeoneElsesReminder
from actions.reminders import SaveMedicationReminder
from bot.db import transaction, utcnow
from bot.models import Appointment, IdentityCheck
from bot.reminders.changes import correct_saved
from bot.reminders.for_whom import for_someone_else
from bot.reminders.form_answers import corrected_times, corrects_times
from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.plans import create_plan
from bot.settings import get_settings
from tests.reminder_helpers import add_patient
from tests.test_reminders_actions import run, tracker

PHONE = "+15550600001"  # the number tests.test_reminders_actions.tracker texts from


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    return sqlite_url


def _patient_with(url: str, *plans: tuple[str, list[time]]) -> tuple[int, list[int]]:
    patient = add_patient(url, PHONE)
    with transaction(url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))
        ids = [create_plan(s, patient, drug, times, start=date(2027, 6, 1), created_by="patient:sms").id
               for drug, times in plans]
    return patient, ids


def _plans(url: str) -> list[tuple[str, str, PlanStatus]]:
    with transaction(url) as s:
        return [(p.medication, p.times, p.status) for p in s.query(MedicationPlan).order_by(MedicationPlan.id)]


def test_the_words_of_a_time_correction_and_of_another_request() -> None:
    for words in ("actually make it 9 instead", "oops i meant 9pm", "change that to 7:30", "wait no 7:30 is better",
                  "make it one hour later", "sorry, half an hour earlier"):
        assert corrects_times(words), words
    for words in ("thanks", "ok great", "perfect, 8 works", "actually move my appointment to 9",
                  "can you also remind me at 9 about my lisinopril", "make it 9 tomorrow",
                  "make my appointment an hour later"):
        assert not corrects_times(words), words
    # "9pm" says its side of noon: at the read-back too it was turned into 9:00 AM.
    assert corrected_times("oops i meant 9pm", "", [time(8)]) == [time(21)]
    assert corrected_times("actually make it 9", "", [time(20)]) == [time(21)]


def test_a_reminder_asked_for_someone_else_and_ones_own_reminder_to_give_a_medicine() -> None:
    for words in ("can you set one for my wife too", "my mom takes lisinopril at 8, remind her",
                  "add a reminder for my son's inhaler", "can you text my dad at 9 about his pills"):
        assert for_someone_else(words), words
    # The patient is reminded to do something for someone: their own reminder, as the project already treats it.
    for words in ("remind me to give my son his inhaler", "remind me to take metformin at 8am",
                  "can you remind me to give my son his amoxicillin twice a day for 7 days"):
        assert not for_someone_else(words), words


def test_a_new_time_right_after_saving_retimes_that_plan_only(db: str) -> None:
    patient, (lisinopril, metformin) = _patient_with(db, ("lisinopril", [time(8)]), ("metformin", [time(8)]))
    said = run(CorrectSavedReminder(), tracker("actually make it 9 instead", "reschedule_appointment",
                                               {"saved_plan": metformin}))
    assert said[1] == ["Changed: metformin at 9:00 AM every day."]
    assert [(m, t) for m, t, _ in _plans(db)] == [("lisinopril", "08:00"), ("metformin", "09:00")]
    assert said[0] == [{"event": "slot", "timestamp": None, "name": "saved_plan", "value": None}]
    with transaction(db) as s:
        assert s.execute(select(Appointment)).first() is None  # nothing booked or moved
    run(CorrectSavedReminder(), tracker("oops i meant 9pm", "inform", {"saved_plan": metformin}))
    assert [(m, t) for m, t, _ in _plans(db)] == [("lisinopril", "08:00"), ("metformin", "21:00")]


def test_a_shift_right_after_saving_moves_each_of_that_plans_times(db: str) -> None:
    """ "make it one hour later" right after "Saved: metformin at 8:00 AM and 8:00 PM" asked the times again."""
    patient, (lisinopril, metformin) = _patient_with(db, ("lisinopril", [time(8)]), ("metformin", [time(8), time(20)]))
    said = run(CorrectSavedReminder(), tracker("make it one hour later", "reschedule_appointment",
                                               {"saved_plan": metformin}))
    assert said[1] == ["Changed: metformin at 9:00 AM and 9:00 PM every day."]
    assert [(m, t) for m, t, _ in _plans(db)] == [("lisinopril", "08:00"), ("metformin", "09:00,21:00")]
    run(CorrectSavedReminder(), tracker("sorry, half an hour earlier", "inform", {"saved_plan": metformin}))
    assert [(m, t) for m, t, _ in _plans(db)] == [("lisinopril", "08:00"), ("metformin", "08:30,20:30")]


def test_a_new_time_for_one_of_several_asks_which_and_changes_nothing(db: str) -> None:
    patient, (plan,) = _patient_with(db, ("metformin", [time(8), time(20)]))
    said = run(CorrectSavedReminder(), tracker("change that to 7:30", "reschedule_appointment", {"saved_plan": plan}))
    assert said[1][0].startswith("Your metformin reminders are at 8:00 AM and 8:00 PM. Which one should move?")
    assert [(m, t) for m, t, _ in _plans(db)] == [("metformin", "08:00,20:00")]


def test_only_the_patients_own_plan_is_corrected(db: str) -> None:
    patient, _ = _patient_with(db)
    other = add_patient(db, "+15550600002")
    with transaction(db) as s:
        theirs = create_plan(s, other, "metformin", [time(8)], start=date(2027, 6, 1), created_by="staff:test").id
    with transaction(db) as s:
        assert correct_saved(s, patient, theirs, "actually make it 9 instead").unclear
    assert [(m, t) for m, t, _ in _plans(db)] == [("metformin", "08:00")]


def test_a_saved_plan_is_named_for_the_next_turn_and_a_failed_save_names_none(db: str) -> None:
    _patient_with(db)
    slots = {"reminder_medication": "metformin", "reminder_times": "08:00", "reminder_days": "FREQ=DAILY",
             "reminder_until": "none", "reminder_show_name": True, "reminder_confirmed": True}
    events, said = run(SaveMedicationReminder(), tracker("yes", "affirm", slots))
    assert said == ["Saved: metformin at 8:00 AM every day. Reply TAKEN, SKIP or SNOOZE to a reminder text."]
    with transaction(db) as s:
        saved = s.execute(select(MedicationPlan.id)).scalar_one()
    assert [e["value"] for e in events if e.get("name") == "saved_plan"][-1] == saved
    events, _ = run(SaveMedicationReminder(), tracker("no", "deny", {**slots, "reminder_confirmed": False}))
    assert [e["value"] for e in events if e.get("name") == "saved_plan"] == [None]


def test_a_reminder_for_someone_else_saves_nothing_and_says_how_they_can_get_one(db: str) -> None:
    patient, _ = _patient_with(db)
    events, said = run(SomeoneElsesReminder(), tracker("my mom takes lisinopril at 8, remind her",
                                                       "set_medication_reminder"))
    assert said[0].startswith("I can only set reminders for you, sent to your own number. Each person sets up their "
                              "own reminders from their own phone, or our staff can help at")
    assert said[0].endswith("Nothing was saved.")
    assert _plans(db) == []
    # The request is dropped, so no identity check or form carries it on.
    assert {e["name"]: e["value"] for e in events} == {"pending_request": None, "medication_request": None,
                                                      "saved_plan": None}
