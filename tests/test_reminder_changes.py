"""New times for a plan the patient has, said in other words than "change my reminder" (bot.reminders.changes)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from actions.reminders import AskReminderConfirmed, SaveMedicationReminder, StopMedicationReminder
from bot.db import transaction, utcnow
from bot.models import IdentityCheck
from bot.reminders.changes import change_plans
from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.plans import create_plan
from bot.settings import get_settings
from tests.reminder_helpers import add_patient
from tests.test_reminders_actions import run, tracker

PHONE = "+15550600001"  # the number tests.test_reminders_actions.tracker texts from


def _plans(url: str, *plans: tuple[str, list[time]]) -> tuple[int, list[int]]:
    patient = add_patient(url, PHONE)
    with transaction(url) as s:
        ids = [
            create_plan(s, patient, drug, times, start=date(2027, 6, 1), created_by="staff:test").id
            for drug, times in plans
        ]
    return patient, ids


def _after(url: str, patient: int, words: str) -> list[tuple[str, str, PlanStatus]]:
    with transaction(url) as s:
        change_plans(s, patient, words)
    with transaction(url) as s:
        return [(p.medication, p.times, p.status) for p in s.query(MedicationPlan).order_by(MedicationPlan.id)]


def test_the_only_plan_comes_at_the_new_time_instead(sqlite_url: str) -> None:
    # Found by a tester: a second levothyroxine plan at 6 AM was saved and the 7 AM one kept reminding.
    patient, _ = _plans(sqlite_url, ("levothyroxine", [time(7)]))
    assert _after(sqlite_url, patient, "can my thyroid pill reminder come at 6am instead") == [
        ("levothyroxine", "06:00", PlanStatus.ACTIVE)
    ]


def test_a_named_plan_is_retimed_in_other_words(sqlite_url: str) -> None:
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]), ("lisinopril", [time(9)]))
    assert _after(sqlite_url, patient, "my lisinopril time changed to 10 at night, pls update")[1] == (
        "lisinopril", "22:00", PlanStatus.ACTIVE
    )
    assert _after(sqlite_url, patient, "can the metformin reminders come at 7 and 7 instead of 8 and 8")[0] == (
        "metformin", "07:00,19:00", PlanStatus.ACTIVE
    )
    # "just once a day": the plan's two times become the one said, not asked which one moves.
    assert _after(sqlite_url, patient, "switch my metformin to just once a day at 8 am")[0] == (
        "metformin", "08:00", PlanStatus.ACTIVE
    )


def test_a_new_plan_for_a_drug_with_one_says_it_replaces_it_and_never_reminds_twice(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by a tester: the new-reminder form saved metformin at 8 AM beside metformin at 8 AM and 8 PM.
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    patient, (old, _) = _plans(sqlite_url, ("metformin", [time(8), time(20)]), ("lisinopril", [time(9)]))
    with transaction(sqlite_url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))
    slots = {
        "reminder_medication": "metformin",
        "reminder_times": "08:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "none",
        "reminder_show_name": False,
    }
    said = run(AskReminderConfirmed(), tracker("no", "deny", slots))[1]
    assert "It replaces your reminder for metformin at 8:00 AM and 8:00 PM every day." in said[0]
    run(SaveMedicationReminder(), tracker("yes", "affirm", {**slots, "reminder_confirmed": True}))
    with transaction(sqlite_url) as s:
        active = [(p.medication, p.times) for p in s.query(MedicationPlan).filter_by(status=PlanStatus.ACTIVE)]
        assert s.get(MedicationPlan, old).status is PlanStatus.STOPPED
    assert sorted(active) == [("lisinopril", "09:00"), ("metformin", "08:00")]


def test_a_stop_for_later_changes_nothing_now(sqlite_url: str) -> None:
    # Found by the third round of simulated patients: "can stop after 2 weeks" stopped the plan at once.
    patient, _ = _plans(sqlite_url, ("prednisone", [time(8)]))
    for words in ("the prednisone reminders can stop after 2 weeks", "stop my prednisone texts in 10 days",
                  "you can stop the prednisone ones when the course ends"):
        assert _after(sqlite_url, patient, words) == [("prednisone", "08:00", PlanStatus.ACTIVE)], words
    assert _after(sqlite_url, patient, "stop my prednisone reminders") == [("prednisone", "08:00", PlanStatus.STOPPED)]


def test_one_of_two_dose_times_named_by_its_old_hour_or_part_of_day_moves_alone(sqlite_url: str) -> None:
    # Found by a tester: "at 7 instead of 8" made the plan 7:00 AM only, and "the evening one ... at 9 instead of 8"
    # 9:00 AM only; a dose time was deleted with no question.
    patient, (metformin,) = _plans(sqlite_url, ("metformin", [time(8), time(20)]))

    def after(words: str) -> str:
        with transaction(sqlite_url) as s:
            s.get(MedicationPlan, metformin).times = "08:00,20:00"
        return _after(sqlite_url, patient, words)[0][1]

    assert after("can my morning metformin text come at 7 instead of 8") == "07:00,20:00"
    assert after("my evening metformin text should come at 9 instead of 8") == "08:00,21:00"
    assert after("can the evening one come at 9 instead") == "08:00,21:00"
    assert after("metformin at 7 instead of 8 in the morning please") == "07:00,20:00"
    assert after("can my metformin text come at 9pm instead of 8pm") == "08:00,21:00"
    assert after("move my morning one to 7pm") == "19:00,20:00"  # "7pm" says its half: not 7:00 AM


def test_a_retime_that_cannot_say_which_dose_time_changes_nothing(sqlite_url: str) -> None:
    # "8" is both of the plan's times: which one moves is asked, never guessed.
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]))
    with transaction(sqlite_url) as s:
        change = change_plans(s, patient, "can my metformin text come at 7 instead of 8")
    assert change.which_time == [time(8), time(20)] and not change.changed
    assert _after(sqlite_url, patient, "metformin should come at 9 instead")[0][1] == "08:00,20:00"


def test_the_patient_is_told_the_dose_time_kept_or_asked_which_one_moves(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]))
    with transaction(sqlite_url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))

    def say(words: str) -> list[str]:
        return run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))[1]

    assert say("can my metformin text come at 7 instead of 8") == [
        "Your metformin reminders are at 8:00 AM and 8:00 PM. Which one should move? Say e.g. 'move my 8:00 PM "
        "metformin reminder to 9:00 PM', or give all 2 new times."
    ]
    assert say("my evening metformin text should come at 9 instead of 8") == [
        "Changed: metformin at 8:00 AM and 9:00 PM every day."
    ]


def test_a_stop_beside_a_new_drug_stops_the_whole_old_plan(sqlite_url: str) -> None:
    # Found by the round-5 testers: the new drug's 8am was read as the metformin time to stop.
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]))
    assert _after(sqlite_url, patient, "stop the metformin reminders, I'm switching to jardiance - remind me for "
                  "that at 8am daily") == [("metformin", "08:00,20:00", PlanStatus.STOPPED)]


def test_a_time_added_to_a_plan_keeps_its_other_times(sqlite_url: str) -> None:
    # Found by the round-5 testers: "add a second metformin reminder at 6pm" replaced the 8 AM reminder.
    patient, _ = _plans(sqlite_url, ("metformin", [time(8)]), ("lisinopril", [time(9)]))
    assert _after(sqlite_url, patient, "add a second metformin reminder at 6pm")[0] == (
        "metformin", "08:00,18:00", PlanStatus.ACTIVE)
    assert _after(sqlite_url, patient, "add one more metformin reminder at 1pm")[0] == (
        "metformin", "08:00,13:00,18:00", PlanStatus.ACTIVE)
    assert _after(sqlite_url, patient, "add another time to my lisinopril reminder at 9pm")[1] == (
        "lisinopril", "09:00,21:00", PlanStatus.ACTIVE)
    # A drug with no plan yet: nothing changes here, it is set up as a new plan (read back before it is saved).
    with transaction(sqlite_url) as s:
        change = change_plans(s, patient, "add a second atorvastatin reminder at 6pm")
    assert change.new_plan and not change.changed
    assert [p[1] for p in _after(sqlite_url, patient, "add a second reminder at 6pm")] == [
        "08:00,13:00,18:00", "09:00,21:00"]  # two plans and none named: asked which, nothing changed


def test_one_stop_beside_a_refill_stops_only_its_plan_and_the_refill_follows(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the round-5 testers: "refill my metformin and stop the lisinopril reminder" stopped both plans.
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]), ("lisinopril", [time(9)]))
    with transaction(sqlite_url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))
    asked = tracker("please refill my metformin and stop the lisinopril reminder", "stop_medication_reminder")
    asked.latest_message["also_request"] = {"label": "request_refill", "text": "please refill my metformin"}
    asked.events[-1]["parse_data"]["also_request"] = asked.latest_message["also_request"]
    events, said = run(StopMedicationReminder(), asked)
    assert said[0] == "Stopped: lisinopril at 9:00 AM every day."
    assert [e.get("text") for e in events if e.get("event") == "user"] == ["please refill my metformin"]
    with transaction(sqlite_url) as s:
        assert [(p.medication, p.status) for p in s.query(MedicationPlan).order_by(MedicationPlan.id)] == [
            ("metformin", PlanStatus.ACTIVE), ("lisinopril", PlanStatus.STOPPED)]
    # A time added is done at once and said back with the plan's other times.
    events, said = run(StopMedicationReminder(), tracker("add a second metformin reminder at 6pm",
                                                         "stop_medication_reminder"))
    assert said == ["Changed: metformin at 8:00 AM, 6:00 PM and 8:00 PM every day."]


def test_a_new_reminder_asked_beside_a_stop_is_set_up_after_it(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the round-5 testers: only the 8 AM metformin time stopped and no jardiance reminder was set up.
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    patient, _ = _plans(sqlite_url, ("metformin", [time(8), time(20)]))
    with transaction(sqlite_url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))
    events, said = run(StopMedicationReminder(), tracker(
        "stop the metformin reminders, I'm switching to jardiance - remind me for that at 8am daily",
        "stop_medication_reminder"))
    assert said[0] == "Stopped: metformin at 8:00 AM and 8:00 PM every day."
    # The reminder is asked for as a request of its own: the form reads it back before saving anything.
    asked = [e for e in events if e.get("event") == "user"]
    assert [(e["text"], e["parse_data"]["intent"]["name"]) for e in asked] == [
        ("I'm switching to jardiance - remind me for that at 8am daily", "set_medication_reminder")]
    with transaction(sqlite_url) as s:
        assert [(p.medication, p.status) for p in s.query(MedicationPlan)] == [("metformin", PlanStatus.STOPPED)]
    # Switching with no reminder asked for: the stop only.
    with transaction(sqlite_url) as s:
        s.query(MedicationPlan).update({"status": PlanStatus.ACTIVE})
    with transaction(sqlite_url) as s:
        change = change_plans(s, patient, "stop my metformin texts, I'm switching to jardiance")
    assert change.changed and change.then_remind == ""
