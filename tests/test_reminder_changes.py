"""New times for a plan the patient has, said in other words than "change my reminder" (bot.reminders.changes)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from actions.reminders import AskReminderConfirmed, SaveMedicationReminder
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
