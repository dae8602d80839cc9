"""Clinic holidays: the days the whole clinic is closed, kept in one place, the `clinic_holidays` table.

Availability, the booking rules, the staff schedule and the FAQ's "closed on ..." all read them from here,
so a holiday added in the console closes the day everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import ACTIVE_STATUSES, Appointment, ClinicHoliday
from bot.scheduling.editing import Change, Invalid, text

MAX_AHEAD = timedelta(days=3 * 366)


def between(session: Session, first: date, last: date) -> dict[date, str]:
    rows = session.execute(select(ClinicHoliday).where(ClinicHoliday.day >= first, ClinicHoliday.day <= last))
    return {h.day: h.name for h in rows.scalars()}


def upcoming(session: Session, today: date, count: int = 2) -> list[tuple[date, str]]:
    rows = session.execute(
        select(ClinicHoliday).where(ClinicHoliday.day >= today).order_by(ClinicHoliday.day).limit(count)
    )
    return [(h.day, h.name) for h in rows.scalars()]


@dataclass(frozen=True)
class Closure:
    day: date
    name: str
    booked: int  # appointments still booked that day: a holiday never cancels them, staff take them up


def listed(session: Session, today: date, zone: ZoneInfo) -> list[Closure]:
    """Today's and later holidays, soonest first (past ones stay in the table for the record)."""
    rows = session.execute(select(ClinicHoliday).where(ClinicHoliday.day >= today).order_by(ClinicHoliday.day))
    return [Closure(h.day, h.name, _booked_on(session, h.day, zone)) for h in rows.scalars()]


def _booked_on(session: Session, day: date, zone: ZoneInfo) -> int:
    start = datetime.combine(day, time(0), zone)
    return session.execute(
        select(func.count()).select_from(Appointment).where(
            Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1),
            Appointment.status.in_(ACTIVE_STATUSES),
        )
    ).scalar_one()


def add(session: Session, form: dict[str, str], today: date) -> Change:
    errors: dict[str, str] = {}
    name = text(errors, form, "name", 120, "holiday's name")
    day = None
    try:
        day = date.fromisoformat(form.get("day", "").strip())
    except ValueError:
        errors["day"] = "Use a date like 2027-12-25."
    if day is not None:
        if day < today:
            errors["day"] = "Pick today or a later day."
        elif day > today + MAX_AHEAD:
            errors["day"] = "Pick a day within the next three years."
        elif (known := session.get(ClinicHoliday, day)) is not None:
            errors["day"] = f"{day:%b} {day.day} is already a holiday ({known.name})."
    if errors or day is None:
        raise Invalid(errors)
    session.add(ClinicHoliday(day=day, name=name))
    session.flush()
    return Change("holiday.add", f"holiday:{day.isoformat()}", None, {"day": day, "name": name})


def remove(session: Session, raw_day: str) -> Change:
    try:
        holiday = session.get(ClinicHoliday, date.fromisoformat(raw_day))
    except ValueError:
        holiday = None
    if holiday is None:
        raise Invalid({"holiday": "That holiday was already removed."})
    before = {"day": holiday.day, "name": holiday.name}
    session.delete(holiday)
    session.flush()
    return Change("holiday.remove", f"holiday:{holiday.day.isoformat()}", before, None)
