"""Deliveries and opt-outs over real HTTP: staff read times on the clinic's clock, a date filter means the
clinic's day, and the CSV keeps the same rows with their instants in UTC."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

from bot.db import transaction
from bot.messaging.models import ConsentAction, ConsentEvent
from bot.models import Patient
from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from tests.test_console_http import Console, console  # noqa: F401 (console: the shared fixture)

# 8:30 PM on Dec 3 in New York (the demo clinic's zone) is already Dec 4 in UTC.
EVENING = datetime(2027, 12, 4, 1, 30, tzinfo=timezone.utc)
MORNING = datetime(2027, 12, 3, 13, 30, tzinfo=timezone.utc)
MOBILE = "+15550191234"


def _evening_reminder_and_morning_opt_out(url: str) -> None:
    with transaction(url) as session:
        patient = Patient(
            first_name="Liz", last_name="Local", date_of_birth=date(1980, 5, 6), mobile=MOBILE, time_zone="UTC"
        )
        session.add(patient)
        session.flush()
        session.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION,
                patient_id=patient.id,
                occurrence=DoseOccurrence(datetime(2027, 12, 4, 1, 30)),
                due_at=EVENING,
                status=OutboxStatus.SKIPPED,
                reason="opted out",
            )
        )
        session.add(ConsentEvent(phone=MOBILE, action=ConsentAction.OPT_OUT, source="keyword", created_at=MORNING))


def test_times_read_on_the_clinics_clock_and_days_are_the_clinics(console: Console) -> None:  # noqa: F811
    _evening_reminder_and_morning_opt_out(console.database_url)
    fran = console.signed_in("fran")

    page = fran.get(f"{console.url}/deliveries?patient=local").text
    assert "<td>Fri Dec 3 2027, 8:30 PM EST</td>" in page and "2027-12-04" not in page
    on_the_3rd = fran.get(f"{console.url}/deliveries?patient=local&start=2027-12-03&end=2027-12-03").text
    assert "Fri Dec 3 2027, 8:30 PM EST" in on_the_3rd
    on_the_4th = fran.get(f"{console.url}/deliveries?patient=local&start=2027-12-04&end=2027-12-04").text
    assert "8:30 PM" not in on_the_4th and "No texts match." in on_the_4th

    exported = fran.get(f"{console.url}/deliveries.csv?patient=local&start=2027-12-03&end=2027-12-03").text
    header, *rows = csv.reader(io.StringIO(exported))
    assert header[0] == "time_utc" and [row[0] for row in rows] == ["2027-12-04 01:30"]

    opt_outs = fran.get(f"{console.url}/optouts").text
    assert "<td>Fri Dec 3 2027, 8:30 AM EST</td>" in opt_outs and "2027-12-03 13:30" not in opt_outs
