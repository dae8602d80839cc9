"""Booking, moving and cancelling a patient's appointments from the console, through the same scheduling
services the conversation uses (`bot.scheduling`): the same open times and the same double-booking guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.console import audit
from bot.db import utcnow
from bot.models import Appointment, AppointmentType, Provider
from bot.scheduling import booking
from bot.scheduling.availability import SlotOption, find_slots, option_from_token
from bot.scheduling.catalog import Visit, visit_from_key
from bot.scheduling.errors import SchedulingError
from bot.scheduling.timeparse import When

SEARCH_DAYS = 7
OPENINGS = 8


class BookingError(ValueError):
    """Shown next to the booking form; nothing was changed."""


@dataclass(frozen=True)
class Choices:
    types: list[AppointmentType]
    providers: list[Provider]


def choices(session: Session) -> Choices:
    offered = select(AppointmentType).where(AppointmentType.active.is_(True)).order_by(AppointmentType.name)
    return Choices(
        list(session.execute(offered).scalars()),
        list(session.execute(select(Provider).where(Provider.active.is_(True)).order_by(Provider.name)).scalars()),
    )


def _visit(session: Session, type_id: str, provider_id: str, moving: bool = False) -> Visit:
    visit = visit_from_key(session, f"{type_id}:{provider_id}", moving) if type_id.isdigit() else None
    if visit is None:
        raise BookingError("Pick a visit type from the list.")
    if provider_id and visit.provider_id is None:
        raise BookingError("Pick a provider from the list.")
    return visit


def openings(
    session: Session,
    profile: ClinicProfile,
    type_id: str,
    provider_id: str,
    first: date,
    exclude_appointment: int | None = None,
) -> list[SlotOption]:
    """Open times in the week from `first` for the visit (any provider offering it unless one is chosen)."""
    visit = _visit(session, type_id, provider_id, moving=exclude_appointment is not None)
    when = When(first_day=first, last_day=first + timedelta(days=SEARCH_DAYS - 1))
    return find_slots(
        session, profile, visit, when, utcnow(), limit=OPENINGS, exclude_appointment=exclude_appointment
    ).options


def _chosen(session: Session, token: str, moving: bool = False) -> tuple[Visit, datetime]:
    """The visit and start time a button offered (`SlotOption.token`)."""
    parsed = option_from_token(token)
    if parsed is None:
        raise BookingError("That time is not on offer any more; search again.")
    provider_id, type_id, starts_at = parsed
    return _visit(session, str(type_id), str(provider_id), moving), starts_at


def book(session: Session, profile: ClinicProfile, patient_id: int, token: str, staff: str) -> booking.Booked:
    visit, starts_at = _chosen(session, token)
    try:
        booked = booking.book(session, profile, patient_id, visit, starts_at, actor=f"staff:{staff}")
    except SchedulingError as error:
        raise BookingError(str(error)) from error
    audit.record(
        session,
        staff,
        "appointment.book",
        f"appointment:{booked.appointment_id}",
        None,
        {"patient_id": patient_id, "starts_at": starts_at, "provider": booked.provider_name},
    )
    return booked


def move(
    session: Session, profile: ClinicProfile, patient_id: int, appointment_id: int, token: str, staff: str
) -> booking.Booked:
    visit, starts_at = _chosen(session, token, moving=True)
    before = session.get(Appointment, appointment_id)
    was = before.starts_at if before is not None else None
    try:
        moved = booking.reschedule(
            session, profile, patient_id, appointment_id, visit, starts_at, actor=f"staff:{staff}"
        )
    except SchedulingError as error:
        raise BookingError(str(error)) from error
    audit.record(
        session,
        staff,
        "appointment.move",
        f"appointment:{appointment_id}",
        {"starts_at": was},
        {"starts_at": starts_at, "provider": moved.provider_name},
    )
    return moved


def cancel(session: Session, patient_id: int, appointment_id: int, staff: str) -> None:
    try:
        booking.cancel(session, patient_id, appointment_id, actor=f"staff:{staff}")
    except SchedulingError as error:
        raise BookingError(str(error)) from error
    audit.record(
        session,
        staff,
        "appointment.cancel",
        f"appointment:{appointment_id}",
        {"status": "booked"},
        {"status": "cancelled"},
    )


def of_patient(session: Session, patient_id: int, appointment_id: int) -> Appointment | None:
    appointment = session.get(Appointment, appointment_id)
    return appointment if appointment is not None and appointment.patient_id == patient_id else None
