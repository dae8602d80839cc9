"""The outbox occurrence key is a typed value: written and read in one place, never a loose string."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bot.db import transaction
from bot.reminders.expansion import expand_medication
from bot.reminders.models import ReminderKind, ReminderOutbox
from bot.reminders.occurrence import AppointmentOccurrence, DoseOccurrence, parse_occurrence
from tests.reminder_helpers import add_patient, add_plan

START = datetime(2027, 6, 10, 18, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (DoseOccurrence(datetime(2027, 3, 14, 8, 0)), "2027-03-14T08:00"),
        (DoseOccurrence(datetime(2027, 3, 14, 8, 0), snooze=2), "2027-03-14T08:00+snooze2"),
        (AppointmentOccurrence(4320, START), "4320m@2027-06-10T18:30Z"),
    ],
)
def test_each_occurrence_has_one_text_and_reads_back_as_itself(value, text: str) -> None:
    assert str(value) == text
    assert parse_occurrence(text) == value


@pytest.mark.parametrize("text", ["", "a", "3d", "2027-03-14", "2027-03-14T08:00+snooze", "120m@2027-06-10T18:30"])
def test_text_that_is_no_occurrence_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_occurrence(text)


def test_a_snooze_keeps_its_dose_and_time() -> None:
    snooze = DoseOccurrence(datetime(2027, 6, 2, 20, 50)).snoozed(1)
    assert snooze.dose == DoseOccurrence(datetime(2027, 6, 2, 20, 50)) and snooze.clock == time(20, 50)


def test_an_appointment_reminder_is_for_the_start_it_was_planned_for_in_any_zone() -> None:
    reminder = AppointmentOccurrence(120, START)
    assert reminder.is_for(START.astimezone(timezone.utc).astimezone())
    assert not reminder.is_for(datetime(2027, 6, 10, 19, 0, tzinfo=timezone.utc))


def test_the_outbox_stores_and_returns_typed_occurrences(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100301")
    add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    with transaction(db_url) as s:
        expand_medication(s, datetime(2027, 6, 2, tzinfo=timezone.utc), datetime(2027, 6, 3, tzinfo=timezone.utc))
    with transaction(db_url) as s:
        assert s.execute(select(ReminderOutbox.occurrence)).scalars().all() == [DoseOccurrence(datetime(2027, 6, 2, 8))]
    with pytest.raises(StatementError), transaction(db_url) as s:
        s.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION, patient_id=patient, occurrence="2027-06-02T08:00", due_at=START
            )
        )
        s.flush()


def test_a_dose_is_a_local_wall_time_to_the_minute() -> None:
    with pytest.raises(ValueError):
        DoseOccurrence(datetime(2027, 6, 2, 8, tzinfo=timezone.utc))
    with pytest.raises(ValueError):
        DoseOccurrence(datetime(2027, 6, 2, 8, 0, 30))
