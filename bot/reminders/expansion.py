"""Expanding plans and appointments into outbox rows: one row per occurrence, inserted idempotently.

Running an expansion twice, or in two processes at once, inserts nothing new: the unique keys
(plan, occurrence) and (appointment, occurrence) make the database drop the repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import ACTIVE_STATUSES, Appointment
from bot.reminders.models import MedicationPlan, OutboxStatus, PlanStatus, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import AppointmentOccurrence, DoseOccurrence
from bot.reminders.timing import parse_hhmm, to_utc

CHUNK = 2000


@lru_cache(maxsize=4096)
def _rule(text: str, start: date) -> rrule:
    return rrulestr(text, dtstart=datetime.combine(start, time()))  # type: ignore[return-value]


def _anchor(text: str, start: date, first: date) -> date:
    """A start date as close before `first` as keeps the rule's days unchanged, so iterating the rule
    does not walk every day since the plan began. Daily and weekly rules repeat every INTERVAL days or
    weeks; rules with COUNT (counted from the real start) or other frequencies keep their start."""
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    period = {"DAILY": 1, "WEEKLY": 7}.get(parts.get("FREQ", ""))
    if period is None or "COUNT" in parts or first <= start:
        return start
    period *= int(parts.get("INTERVAL", "1"))
    return start + timedelta(days=(first - start).days // period * period)


@lru_cache(maxsize=4096)
def _times(text: str) -> tuple[time, ...]:
    return tuple(parse_hhmm(t) for t in text.split(",") if t)


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def medication_occurrences(
    rule: str, times: str, zone_name: str, start_date: date, end_date: date | None, start: datetime, end: datetime
) -> Iterator[tuple[DoseOccurrence, datetime]]:
    """(the dose at its planned local wall time, UTC due instant) for every dose due in [start, end)."""
    zone = _zone(zone_name)
    first = max(start_date, start.astimezone(zone).date() - timedelta(days=1))
    last = end.astimezone(zone).date()
    if end_date is not None:
        last = min(last, end_date)
    if first > last:
        return
    for day in _days(rule, _anchor(rule, start_date, first), first, last):
        for clock in _times(times):
            local = datetime.combine(day, clock)
            due = _due(local, zone_name)
            if start <= due < end:
                yield DoseOccurrence(local), due


# Plans share schedules (daily at 8:00 in one zone is common): each distinct rule window and wall time
# is computed once per process.
@lru_cache(maxsize=16384)
def _days(rule: str, anchor: date, first: date, last: date) -> tuple[date, ...]:
    span = _rule(rule, anchor).between(datetime.combine(first, time()), datetime.combine(last, time()), inc=True)
    return tuple(day.date() for day in span)


@lru_cache(maxsize=65536)
def _due(local: datetime, zone_name: str) -> datetime:
    return to_utc(local, _zone(zone_name))


def _insert_ignoring_repeats(session: Session, rows: Sequence[dict]) -> int:
    """Insert rows, letting the unique keys drop repeats; returns how many were new (a figure for logs:
    approximate while another process expands at the same time).

    One single-row statement executed for many rows (SQLite executemany, psycopg2 execute_values):
    a multi-row VALUES statement would be compiled afresh for every chunk."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    before = _outbox_size(session)
    session.execute(insert(ReminderOutbox.__table__).on_conflict_do_nothing(), list(rows))
    return _outbox_size(session) - before


def _outbox_size(session: Session) -> int:
    return session.execute(select(func.max(ReminderOutbox.id))).scalar() or 0


def _chunked(rows: Iterable[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def expand_medication(session: Session, start: datetime, end: datetime, plan_ids: Sequence[int] | None = None) -> int:
    """Outbox rows for every active plan's doses due in [start, end); returns how many were new."""
    last_day = (end + timedelta(days=1)).date()
    first_day = (start - timedelta(days=1)).date()
    query = select(
        MedicationPlan.id,
        MedicationPlan.patient_id,
        MedicationPlan.rrule,
        MedicationPlan.times,
        MedicationPlan.time_zone,
        MedicationPlan.start_date,
        MedicationPlan.end_date,
    ).where(
        MedicationPlan.status == PlanStatus.ACTIVE,
        MedicationPlan.start_date <= last_day,
        or_(MedicationPlan.end_date.is_(None), MedicationPlan.end_date >= first_day),
    )
    if plan_ids is not None:
        query = query.where(MedicationPlan.id.in_(list(plan_ids)))
    now_rows = _defaults()

    def rows() -> Iterator[dict]:
        for plan_id, patient_id, rule, times, zone, start_date, end_date in session.execute(query):
            for occurrence, due in medication_occurrences(rule, times, zone, start_date, end_date, start, end):
                yield {
                    **now_rows,
                    "kind": ReminderKind.MEDICATION,
                    "patient_id": patient_id,
                    "plan_id": plan_id,
                    "occurrence": occurrence,
                    "due_at": due,
                }

    return sum(_insert_ignoring_repeats(session, batch) for batch in _chunked(list(rows())))


def expand_appointments(session: Session, now: datetime, offsets: Sequence[int], horizon: timedelta) -> int:
    """Outbox rows for the clinic's reminder policy (`offsets`, minutes before the start) of every active
    appointment whose reminder falls before now + horizon. A reminder time that passed before the
    appointment was booked gets no row (a visit booked for tomorrow gets no "in 3 days" text)."""
    if not offsets:
        return 0
    latest_start = now + horizon + timedelta(minutes=max(offsets))
    query = select(Appointment.id, Appointment.patient_id, Appointment.starts_at, Appointment.created_at).where(
        Appointment.status.in_(ACTIVE_STATUSES),
        and_(Appointment.starts_at > now, Appointment.starts_at <= latest_start),
    )
    defaults = _defaults()
    rows = []
    for appointment_id, patient_id, starts_at, created_at in session.execute(query):
        for offset in offsets:
            due = starts_at - timedelta(minutes=offset)
            if due <= created_at or due >= now + horizon:
                continue
            rows.append(
                {
                    **defaults,
                    "kind": ReminderKind.APPOINTMENT,
                    "patient_id": patient_id,
                    "appointment_id": appointment_id,
                    "occurrence": AppointmentOccurrence(offset, starts_at),
                    "due_at": due,
                }
            )
    return sum(_insert_ignoring_repeats(session, batch) for batch in _chunked(rows))


def _defaults() -> dict:
    now = utcnow()
    return {"status": OutboxStatus.PENDING, "attempts": 0, "created_at": now, "updated_at": now}
