"""The deliveries CSV export streams: every matching row, newest first, in chunks, over real HTTP as over
both databases, without the console building the file first (its memory is measured in bench_console)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import requests
from sqlalchemy import insert, select

from bot.console import deliveries
from bot.db import engine_for, transaction
from bot.models import Patient
from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from tests.test_console_http import Console, console  # noqa: F401 (console: the shared fixture)

START = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)


def add_rows(url: str, count: int) -> int:
    """`count` outbox rows, one a minute from START, every tenth skipped; returns the patient's id."""
    with transaction(url) as session:
        patient = session.execute(select(Patient).where(Patient.last_name == "Export")).scalar()
        if patient is None:
            patient = Patient(
                first_name="Eve",
                last_name="Export",
                date_of_birth=date(1990, 1, 2),
                mobile="+15550190001",
                time_zone="UTC",
            )
            session.add(patient)
            session.flush()
        patient_id = patient.id
    rows = [
        {
            "kind": ReminderKind.MEDICATION,
            "patient_id": patient_id,
            "occurrence": DoseOccurrence(datetime(2027, 3, 1) + timedelta(minutes=i)),
            "due_at": START + timedelta(minutes=i),
            "status": OutboxStatus.SKIPPED if i % 10 == 0 else OutboxStatus.PENDING,
            "reason": "quiet hours" if i % 10 == 0 else None,
            "attempts": 0,
            "created_at": START,
            "updated_at": START,
        }
        for i in range(count)
    ]
    with engine_for(url).begin() as conn:
        conn.execute(insert(ReminderOutbox), rows)
    return patient_id


def test_export_comes_in_chunks_of_rows_newest_first_with_the_filters(db_url: str) -> None:
    add_rows(db_url, 2500)
    with transaction(db_url) as session:
        chunks = list(deliveries.csv_chunks(session, deliveries.Filters(), rows_per_chunk=1000))
        skipped = "".join(deliveries.csv_chunks(session, deliveries.parse_filters("", "", "export", "skipped", "")))
        nothing = list(deliveries.csv_chunks(session, deliveries.parse_filters("2030-01-01", "", "", "", "")))
    assert [chunk.count("\n") for chunk in chunks] == [1001, 1000, 500]  # the header rides with the first rows
    lines = list(csv.reader(io.StringIO("".join(chunks))))
    assert lines[0] == ["time_utc", "kind", "patient", "to", "status", "reason"]
    assert lines[1] == ["2027-03-03 05:39", "medication", "Eve Export", "+15550190001", "pending", ""]
    assert lines[-1] == ["2027-03-01 12:00", "medication", "Eve Export", "+15550190001", "skipped", "quiet hours"]
    assert skipped.count("quiet hours") == 250 and "pending" not in skipped
    assert nothing == ["time_utc,kind,patient,to,status,reason\r\n"]


def test_the_download_streams_every_row_to_staff_and_to_no_one_else(console: Console) -> None:  # noqa: F811
    add_rows(console.database_url, 12_000)
    fran = console.signed_in("fran")
    with fran.get(f"{console.url}/deliveries.csv?patient=export", stream=True) as answer:
        assert answer.status_code == 200
        assert answer.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in answer.headers
        assert answer.headers["Content-Disposition"] == 'attachment; filename="deliveries.csv"'
        assert answer.headers["Cache-Control"] == "no-store"
        body = answer.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 12_001 and rows[1][0] == "2027-03-09 19:59" and rows[-1][0] == "2027-03-01 12:00"
    bad = fran.get(f"{console.url}/deliveries.csv?start=yesterday")
    assert bad.status_code == 400 and "Use a date like 2027-03-14." in bad.text
    stranger = requests.get(f"{console.url}/deliveries.csv", allow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["Location"].startswith("/signin")


def test_a_download_abandoned_half_way_leaves_the_console_serving(console: Console) -> None:  # noqa: F811
    add_rows(console.database_url, 20_000)
    fran = console.signed_in("fran")
    with fran.get(f"{console.url}/deliveries.csv", stream=True) as answer:
        assert next(answer.iter_content(4096)).startswith(b"time_utc,kind,patient,to,status,reason")
    # The reading thread stopped with the browser; the next export and page come whole.
    again = fran.get(f"{console.url}/deliveries.csv?patient=export")
    assert again.status_code == 200 and again.text.count("\n") == 32_001
    assert fran.get(f"{console.url}/deliveries").status_code == 200
