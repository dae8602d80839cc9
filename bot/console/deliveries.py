"""Every outbound text and what became of it: reminders from the outbox (sent, or why not) and the
conversation texts the SMS gateway accepted, filtered by date, patient and status; CSV export; opt-outs.

A date filter means a day on the clinic's clock (the page shows clinic times), so the page and the CSV of
"Dec 3" hold the same rows; the CSV itself keeps instants in UTC, which stay unambiguous across zones and
daylight-saving changes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from bot.messaging.models import ConsentAction, ConsentEvent, SmsMessage
from bot.models import Patient
from bot.reminders.models import OutboxStatus, ReminderOutbox

PAGE = 100
CSV_CHUNK = 1000
UTC = ZoneInfo("UTC")
STATUSES = tuple(s.value for s in OutboxStatus) + ("queued", "delivered", "undelivered")


class FilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    patient: str = ""
    status: str = ""
    offset: int = 0
    zone: ZoneInfo = UTC  # whose days `start` and `end` are


def parse_filters(
    start: str, end: str, patient: str, status: str, offset: str, zone: ZoneInfo = UTC
) -> Filters:
    """Filters from a query string, the dates read as days in `zone`; FilterError names the field that is wrong."""

    def day(name: str, raw: str) -> date | None:
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise FilterError(name, "Use a date like 2027-03-14.") from None

    first, last = day("start", start.strip()), day("end", end.strip())
    if first and last and last < first:
        raise FilterError("end", "The end date is before the start date.")
    if status and status not in STATUSES:
        raise FilterError("status", "Pick a status from the list.")
    return Filters(first, last, patient.strip()[:100], status, int(offset) if offset.isdigit() else 0, zone)


@dataclass(frozen=True)
class Row:
    at: datetime
    kind: str
    patient: str
    to: str
    status: str
    reason: str


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def _query(filters: Filters, newest: int | None = None):
    name = (Patient.first_name + " " + Patient.last_name).label("patient")
    delivered = select(SmsMessage.status).where(SmsMessage.sid == ReminderOutbox.message_sid).limit(1).scalar_subquery()
    reminders = select(
        ReminderOutbox.due_at.label("at"),
        cast(ReminderOutbox.kind, String).label("kind"),
        name,
        Patient.mobile.label("to"),
        func.coalesce(delivered, cast(ReminderOutbox.status, String)).label("status"),
        func.coalesce(ReminderOutbox.reason, literal("")).label("reason"),
    ).join(Patient, Patient.id == ReminderOutbox.patient_id)
    texts = (
        select(
            SmsMessage.created_at.label("at"),
            literal("reply").label("kind"),
            func.coalesce(name, literal("")).label("patient"),
            SmsMessage.to_number.label("to"),
            SmsMessage.status.label("status"),
            func.coalesce(cast(SmsMessage.error_code, String), literal("")).label("reason"),
        )
        .outerjoin(Patient, Patient.mobile == SmsMessage.to_number)
        .where(SmsMessage.outbox_id.is_(None))
    )
    if filters.start:
        first = _midnight(filters.start, filters.zone)
        reminders = reminders.where(ReminderOutbox.due_at >= first)
        texts = texts.where(SmsMessage.created_at >= first)
    if filters.end:
        after = _midnight(filters.end + timedelta(days=1), filters.zone)
        reminders = reminders.where(ReminderOutbox.due_at < after)
        texts = texts.where(SmsMessage.created_at < after)
    if filters.patient:
        who = _patient_match(filters.patient)
        reminders, texts = reminders.where(who), texts.where(or_(who, SmsMessage.to_number == filters.patient))
    if filters.status:
        reminders = reminders.where(
            or_(cast(ReminderOutbox.status, String) == filters.status, delivered == filters.status)
        )
        texts = texts.where(SmsMessage.status == filters.status)
    if newest is not None:
        # Each side is cut to the page's newest rows first (an index walk), so a page never sorts everything.
        reminders = select(reminders.order_by(ReminderOutbox.due_at.desc()).limit(newest).subquery())
        texts = select(texts.order_by(SmsMessage.created_at.desc()).limit(newest).subquery())
    both = union_all(reminders, texts).subquery()
    return select(both).order_by(both.c.at.desc())


def _patient_match(text: str):
    if text.startswith("+") or text.replace("-", "").replace(" ", "").isdigit():
        digits = "".join(c for c in text if c.isdigit())
        return Patient.mobile.like(f"%{digits}%")
    like = f"%{text.lower()}%"
    return or_(
        func.lower(Patient.first_name + " " + Patient.last_name).like(like), func.lower(Patient.last_name).like(like)
    )


def rows(session: Session, filters: Filters, limit: int = PAGE) -> list[Row]:
    result = session.execute(_query(filters, newest=filters.offset + limit).limit(limit).offset(filters.offset))
    return [Row(*r) for r in result.all()]


def csv_chunks(session: Session, filters: Filters, rows_per_chunk: int = CSV_CHUNK) -> Iterator[str]:
    """Every matching row as CSV, newest first, `rows_per_chunk` rows a chunk: the rows come through a
    server-side cursor (PostgreSQL) or SQLite's own stepping, so an export is never held whole in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "kind", "patient", "to", "status", "reason"])
    everything = Filters(filters.start, filters.end, filters.patient, filters.status, zone=filters.zone)
    result = session.execute(_query(everything), execution_options={"stream_results": True})
    for chunk in result.partitions(rows_per_chunk):
        for row in chunk:
            at = row.at.strftime("%Y-%m-%d %H:%M") if row.at else ""
            writer.writerow([at, row.kind, row.patient or "", row.to or "", row.status, row.reason or ""])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():  # no rows at all: the header alone
        yield out.getvalue()


@dataclass(frozen=True)
class OptOut:
    phone: str
    at: datetime
    how: str
    patient: str | None


HOW = {
    "keyword": "texted a stop keyword",
    "conversation": "asked in words",
    "carrier_21610": "carrier error 21610",
    "staff": "by staff",
}


def opt_outs(session: Session) -> list[OptOut]:
    """Numbers whose latest consent event is an opt-out (as `bot.messaging.consent.current_opt_outs`), newest first,
    with the patient they belong to, in one query of plain rows."""
    latest = select(func.max(ConsentEvent.id)).group_by(ConsentEvent.phone).scalar_subquery()
    rows = session.execute(
        select(
            ConsentEvent.phone,
            ConsentEvent.created_at,
            ConsentEvent.source,
            Patient.first_name + " " + Patient.last_name,
        )
        .outerjoin(Patient, Patient.mobile == ConsentEvent.phone)
        .where(ConsentEvent.id.in_(latest), ConsentEvent.action == ConsentAction.OPT_OUT)
        .order_by(ConsentEvent.created_at.desc())
    ).all()
    return [OptOut(phone, at, HOW.get(source, source), name) for phone, at, source, name in rows]


__all__ = ["FilterError", "Filters", "OptOut", "Row", "csv_chunks", "opt_outs", "parse_filters", "rows"]
