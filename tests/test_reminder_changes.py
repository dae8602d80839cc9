"""New times for a plan the patient has, said in other words than "change my reminder" (bot.reminders.changes)."""

from __future__ import annotations

from datetime import date, time

from bot.db import transaction
from bot.reminders.changes import change_plans
from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.plans import create_plan
from tests.reminder_helpers import add_patient

PHONE = "+15550600011"


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
