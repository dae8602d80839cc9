"""The schedule as staff read it: one provider's day or week, with working hours, closures and bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bot.clinic import ClinicProfile
from bot.clock import clock_text
from bot.models import Appointment, AppointmentStatus, Provider, TimeOff, WorkingHours
from bot.scheduling import holidays

CANCELLED = (AppointmentStatus.CANCELLED, AppointmentStatus.ENTERED_IN_ERROR)


@dataclass(frozen=True)
class Booking:
    starts: str
    ends: str
    patient: str
    patient_id: int
    visit: str
    status: str


@dataclass(frozen=True)
class Day:
    day: date
    hours: list[str]  # "8:00 AM-12:00 PM"; empty when closed
    closed: str  # why it is closed ("Christmas Day", "time off"), or ""
    bookings: list[Booking]


def providers(session: Session) -> list[Provider]:
    """Active providers first; inactive ones stay viewable, as their remaining bookings must be taken up."""
    return list(session.execute(select(Provider).order_by(Provider.active.desc(), Provider.name)).scalars())


def days(session: Session, profile: ClinicProfile, provider_id: int, first: date, count: int) -> list[Day]:
    zone = profile.zone
    start = datetime.combine(first, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(first + timedelta(days=count), time(0), zone).astimezone(timezone.utc)
    blocks = list(
        session.execute(
            select(WorkingHours).where(WorkingHours.provider_id == provider_id).order_by(WorkingHours.start_time)
        ).scalars()
    )
    closures = holidays.between(session, first, first + timedelta(days=count - 1))
    time_off = list(
        session.execute(
            select(TimeOff).where(TimeOff.provider_id == provider_id, TimeOff.starts_at < end, TimeOff.ends_at > start)
        ).scalars()
    )
    appointments = list(
        session.execute(
            select(Appointment)
            .options(joinedload(Appointment.patient), joinedload(Appointment.appointment_type))
            .where(
                Appointment.provider_id == provider_id,
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
                Appointment.status.not_in(CANCELLED),
            )
            .order_by(Appointment.starts_at)
        ).scalars()
    )
    result = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        day_start = datetime.combine(day, time(0), zone)
        day_end = day_start + timedelta(days=1)
        hours = [
            f"{clock_text(b.start_time)}-{clock_text(b.end_time)}"
            for b in blocks
            if b.weekday == day.weekday()
            and (b.valid_from is None or b.valid_from <= day)
            and (b.valid_until is None or b.valid_until >= day)
        ]
        closed = closures.get(day, "")
        if not closed and any(t.starts_at <= day_start and t.ends_at >= day_end for t in time_off):
            closed = "time off"
        bookings = [
            Booking(
                clock_text(a.starts_at.astimezone(zone).time()),
                clock_text(a.ends_at.astimezone(zone).time()),
                a.patient.full_name,
                a.patient_id,
                a.appointment_type.name,
                a.status.value,
            )
            for a in appointments
            if a.starts_at.astimezone(zone).date() == day
        ]
        result.append(Day(day, [] if closed else hours, closed or ("" if hours else "not working"), bookings))
    return result


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


__all__ = ["Booking", "Day", "days", "providers", "week_start"]
