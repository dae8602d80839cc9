"""When a provider works: weekly hours (local wall time, breaks are the gaps between blocks) and time off.

A saved week applies from today on: blocks that were in force end yesterday (the past schedule stays as it
was), and the new blocks have no end. Time off is whole local days in the clinic's zone, stored as the UTC
instants of their first and last midnight. Appointments already booked are never moved or cancelled by an
edit; the time-off list counts those that fall inside it, for staff to take up with the patients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.clinic import WEEKDAYS
from bot.clock import clock_text
from bot.models import ACTIVE_STATUSES, Appointment, Provider, TimeOff, WorkingHours
from bot.scheduling.editing import Change, Invalid, check_version, version_of
from bot.scheduling.policies import GRAIN

MAX_TIME_OFF_DAYS = 366
_GRAIN_MINUTES = int(GRAIN.total_seconds() // 60)
_BLOCK = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _in_force(session: Session, provider_id: int, today: date) -> list[WorkingHours]:
    """Blocks valid today or later, in weekday and time order."""
    return list(session.execute(
        select(WorkingHours)
        .where(WorkingHours.provider_id == provider_id,
               or_(WorkingHours.valid_until.is_(None), WorkingHours.valid_until >= today))
        .order_by(WorkingHours.weekday, WorkingHours.start_time)
    ).scalars())


def week_form(session: Session, provider_id: int, today: date) -> tuple[dict[str, str], str]:
    """The form for the week in force today ("08:00-12:00, 13:00-17:00" per weekday) and its version."""
    blocks = _in_force(session, provider_id, today)
    current = [b for b in blocks if b.valid_from is None or b.valid_from <= today]
    form = {f"hours_{day}": ", ".join(f"{b.start_time:%H:%M}-{b.end_time:%H:%M}" for b in current if b.weekday == n)
            for n, day in enumerate(WEEKDAYS)}
    return form, _version(blocks)


def _version(blocks: list[WorkingHours]) -> str:
    return version_of([(b.weekday, b.start_time, b.end_time, b.valid_from, b.valid_until) for b in blocks])


def _parse_day(spec: str) -> list[tuple[time, time]] | str:
    """The day's blocks, or the message to show next to the field."""
    blocks = []
    for part in (p.strip() for p in spec.replace(";", ",").split(",") if p.strip()):
        found = _BLOCK.match(part.replace(" ", ""))
        try:
            if found is None:
                raise ValueError(part)
            start, end = time(int(found[1]), int(found[2])), time(int(found[3]), int(found[4]))
        except ValueError:  # not two clocks, or a clock like 25:00
            return f"'{part[:20]}': write blocks like 08:00-12:00, separated by commas; leave empty for a day off."
        if not start < end:
            return f"'{part[:20]}' ends before it starts."
        if (start.minute % _GRAIN_MINUTES) or (end.minute % _GRAIN_MINUTES):
            return f"'{part[:20]}': times go in quarter hours (:00, :15, :30, :45)."
        blocks.append((start, end))
    blocks.sort()
    if any(a[1] > b[0] for a, b in zip(blocks, blocks[1:], strict=False)):
        return "Blocks overlap; a break is the gap between two blocks."
    return blocks


def save_week(session: Session, provider_id: int, form: dict[str, str], today: date) -> Change:
    if session.get(Provider, provider_id) is None:
        raise Invalid({"provider": "There is no such provider."})
    blocks = _in_force(session, provider_id, today)
    check_version(form.get("version", ""), _version(blocks))
    week: dict[int, list[tuple[time, time]]] = {}
    errors: dict[str, str] = {}
    for n, day in enumerate(WEEKDAYS):
        parsed = _parse_day(form.get(f"hours_{day}", "")[:200])
        if isinstance(parsed, str):
            errors[f"hours_{day}"] = parsed
        else:
            week[n] = parsed
    if errors:
        raise Invalid(errors)
    before, _ = week_form(session, provider_id, today)
    for block in blocks:
        if block.valid_from is not None and block.valid_from >= today:
            session.delete(block)
        else:
            block.valid_until = today - timedelta(days=1)
    session.add_all(WorkingHours(provider_id=provider_id, weekday=n, start_time=a, end_time=b, valid_from=today)
                    for n, spans in week.items() for a, b in spans)
    session.flush()
    after, _ = week_form(session, provider_id, today)
    return Change("hours.edit", f"provider:{provider_id}", before, after)


def summary(session: Session, provider_id: int, today: date) -> list[tuple[str, str]]:
    """(weekday, "8:00 AM-12:00 PM, 1:00 PM-5:00 PM") for the week in force today."""
    form, _ = week_form(session, provider_id, today)
    shown = []
    for day in WEEKDAYS:
        spans = [part.split("-") for part in form[f"hours_{day}"].split(", ") if part]
        text = ", ".join(f"{clock_text(time.fromisoformat(a))}-{clock_text(time.fromisoformat(b))}" for a, b in spans)
        shown.append((day.capitalize(), text or "not working"))
    return shown


@dataclass(frozen=True)
class Absence:
    id: int
    first: date
    last: date
    reason: str
    booked: int  # appointments still booked inside it, for staff to move or cancel with the patients


def time_off(session: Session, provider_id: int, zone: ZoneInfo, today: date) -> list[Absence]:
    """Time off not yet over, with its local days and the bookings that fall in it."""
    since = datetime.combine(today, time(0), zone)
    rows = session.execute(
        select(TimeOff).where(TimeOff.provider_id == provider_id, TimeOff.ends_at > since).order_by(TimeOff.starts_at)
    ).scalars()
    return [
        Absence(t.id, *_local_days(t, zone), t.reason or "", _booked_within(session, provider_id, t.starts_at,
                                                                          t.ends_at))
        for t in rows
    ]


def _local_days(row: TimeOff, zone: ZoneInfo) -> tuple[date, date]:
    """The first and last local day of whole-day time off (it ends at the midnight after its last day)."""
    return row.starts_at.astimezone(zone).date(), (row.ends_at.astimezone(zone) - timedelta(seconds=1)).date()


def _booked_within(session: Session, provider_id: int, start: datetime, end: datetime) -> int:
    return session.execute(
        select(func.count()).select_from(Appointment).where(
            Appointment.provider_id == provider_id, Appointment.status.in_(ACTIVE_STATUSES),
            Appointment.starts_at < end, Appointment.ends_at > start,
        )
    ).scalar_one()


def add_time_off(session: Session, provider_id: int, form: dict[str, str], zone: ZoneInfo, today: date) -> Change:
    if session.get(Provider, provider_id) is None:
        raise Invalid({"provider": "There is no such provider."})
    errors: dict[str, str] = {}
    first = _day(errors, form, "first")
    last = _day(errors, form, "last") if form.get("last", "").strip() else first
    reason = " ".join(form.get("reason", "").split())
    if len(reason) > 200:
        errors["reason"] = "At most 200 characters."
    if first is not None and last is not None:
        if last < first:
            errors["last"] = "The last day cannot come before the first."
        elif last < today:
            errors["last"] = "That time is already over."
        elif (last - first).days >= MAX_TIME_OFF_DAYS:
            errors["last"] = "Time off can be at most a year; add longer absences in parts."
    if errors or first is None or last is None:
        raise Invalid(errors)
    starts_at = datetime.combine(first, time(0), zone)
    ends_at = datetime.combine(last + timedelta(days=1), time(0), zone)
    row = TimeOff(provider_id=provider_id, starts_at=starts_at, ends_at=ends_at, reason=reason or None)
    session.add(row)
    session.flush()
    after = {"provider_id": provider_id, "first": first, "last": last, "reason": reason}
    return Change("time_off.add", f"time_off:{row.id}", None, after)


def _day(errors: dict[str, str], form: dict[str, str], name: str) -> date | None:
    try:
        return date.fromisoformat(form.get(name, "").strip())
    except ValueError:
        errors[name] = "Use a date like 2027-03-14."
        return None


def remove_time_off(session: Session, provider_id: int, time_off_id: int, zone: ZoneInfo) -> Change:
    row = session.get(TimeOff, time_off_id)
    if row is None or row.provider_id != provider_id:
        raise Invalid({"time_off": "That time off was already removed."})
    first, last = _local_days(row, zone)
    before = {"provider_id": provider_id, "first": first, "last": last, "reason": row.reason or ""}
    session.delete(row)
    session.flush()
    return Change("time_off.remove", f"time_off:{time_off_id}", before, None)
