"""Booking, rescheduling, cancelling, confirming and listing appointments, with an audit row per change.

Double booking is refused by the database: an appointment claims one `booked_intervals` row per
15-minute grain it covers, keyed (provider, grain start), inside a savepoint. A concurrent claim of
any of the same grains fails at the primary key and becomes `SlotTaken` with fresh options.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.db import utcnow
from bot.models import ACTIVE_STATUSES, Appointment, AppointmentAudit, AppointmentStatus, BookedInterval, Provider
from bot.reminders.replies import latest_reminded_appointment
from bot.scheduling.availability import find_slots, is_open
from bot.scheduling.catalog import Visit, visit_from_key
from bot.scheduling.errors import NoAppointment, NothingUpcoming, SlotTaken, UnknownVisit
from bot.scheduling.policies import GRAIN
from bot.scheduling.slots import SlotOption
from bot.scheduling.timeparse import When

NOTHING_UPCOMING = "I don't see any upcoming appointments for you. Would you like to book one?"
KEEPS_ITS_KIND = "Moving an appointment keeps its kind of visit. To book a different kind, just ask me to book it."


VIDEO_VISIT = "telehealth"  # the appointment type code of a video visit (bot/scheduling/demo.py)


@dataclass(frozen=True)
class Booked:
    appointment_id: int
    starts_at: datetime
    provider_name: str
    location: str
    type_name: str
    specialty: str = ""
    by_video: bool = False  # a telehealth visit: nobody comes to the address


def book(
    session: Session, profile: ClinicProfile, patient_id: int, visit: Visit, starts_at: datetime, actor: str,
    now: datetime | None = None, patient_age: int | None = None,
) -> Booked:
    """Book `visit` (whose provider is set, and sees a patient of `patient_age`) at `starts_at`, or raise
    SlotTaken with fresh options."""
    now = now or utcnow()
    _claimable(session, profile, visit, starts_at, now, None, patient_age)
    appointment = Appointment(
        patient_id=patient_id, provider_id=visit.provider_id, appointment_type_id=visit.type_id,
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=visit.duration_minutes),
        status=AppointmentStatus.BOOKED,
    )
    try:
        with session.begin_nested():
            session.add(appointment)
            session.flush()
            _claim(session, appointment)
    except IntegrityError:
        raise SlotTaken(_fresh_options(session, profile, visit, starts_at, now, None, patient_age)) from None
    _audit(session, appointment.id, actor, "booked", f"{starts_at.isoformat()} provider {visit.provider_id}")
    return _booked(session, appointment)


def reschedule(
    session: Session, profile: ClinicProfile, patient_id: int, appointment_id: int, visit: Visit,
    starts_at: datetime, actor: str, now: datetime | None = None,
) -> Booked:
    """Move the patient's appointment; the old time is released only if the new one is won."""
    now = now or utcnow()
    appointment = _owned_active(session, patient_id, appointment_id)
    if visit.type_id != appointment.appointment_type_id:
        # A move keeps the kind of visit: a new kind is a new booking the patient asks for in those words.
        raise UnknownVisit(KEEPS_ITS_KIND)
    _claimable(session, profile, visit, starts_at, now, appointment.id)
    before = appointment.starts_at
    try:
        with session.begin_nested():
            session.execute(delete(BookedInterval).where(BookedInterval.appointment_id == appointment.id))
            appointment.provider_id = visit.provider_id
            appointment.appointment_type_id = visit.type_id
            appointment.starts_at = starts_at
            appointment.ends_at = starts_at + timedelta(minutes=visit.duration_minutes)
            appointment.confirmed_at = None
            session.flush()
            _claim(session, appointment)
    except IntegrityError:
        session.refresh(appointment)
        raise SlotTaken(_fresh_options(session, profile, visit, starts_at, now, appointment.id)) from None
    _audit(session, appointment.id, actor, "rescheduled", f"{before.isoformat()} -> {starts_at.isoformat()}")
    return _booked(session, appointment)


def cancel(session: Session, patient_id: int, appointment_id: int, actor: str) -> Booked:
    appointment = _owned_active(session, patient_id, appointment_id)
    appointment.status = AppointmentStatus.CANCELLED
    session.execute(delete(BookedInterval).where(BookedInterval.appointment_id == appointment.id))
    _audit(session, appointment.id, actor, "cancelled", None)
    return _booked(session, appointment)


def confirm(session: Session, patient_id: int, appointment_id: int, actor: str) -> Booked:
    appointment = _owned_active(session, patient_id, appointment_id)
    appointment.confirmed_at = utcnow()
    _audit(session, appointment.id, actor, "confirmed", None)
    return _booked(session, appointment)


def upcoming(session: Session, patient_id: int, now: datetime | None = None) -> list[Booked]:
    rows = session.execute(
        select(Appointment)
        .where(Appointment.patient_id == patient_id, Appointment.status.in_(ACTIVE_STATUSES),
               Appointment.starts_at >= (now or utcnow()))
        .order_by(Appointment.starts_at)
    ).scalars()
    return [_booked(session, a) for a in rows]


def upcoming_appointment(session: Session, patient_id: int, appointment_id: int) -> Booked | None:
    """The patient's appointment `appointment_id`, None unless it is theirs and still upcoming."""
    return next((b for b in upcoming(session, patient_id) if b.appointment_id == appointment_id), None)


def target_appointment(session: Session, patient_id: int, now: datetime | None = None) -> Booked:
    """The appointment a bare "confirm" means: the latest reminded one, else the next."""
    coming = upcoming(session, patient_id, now)
    if not coming:
        raise NothingUpcoming(NOTHING_UPCOMING)
    return reminded(session, patient_id, coming) or coming[0]


def reminded(session: Session, patient_id: int, coming: list[Booked]) -> Booked | None:
    """The one of `coming` that the patient's latest fresh appointment reminder was about, if any."""
    reminded_id = latest_reminded_appointment(session, patient_id)
    return next((b for b in coming if b.appointment_id == reminded_id), None)


def moved_visit(session: Session, appointment_id: int, asked: Visit | None) -> Visit | None:
    """What a move's words change about the appointment's visit: only its provider, when they ask for another
    who offers its kind ("with Dr. Ross instead"); None when they change nothing. A kind of visit named in
    them ("move my skin check") describes the appointment, never a new kind. UnknownVisit when the provider
    asked for does not offer it."""
    own = visit_of(session, appointment_id)
    if asked is None or asked.provider_id is None or asked.provider_id == own.provider_id:
        return None
    kinds = visit_from_key(session, f"{own.type_id}:", moving=True)
    if kinds is None or asked.specialties[0] not in kinds.specialties:
        raise UnknownVisit(f"{asked.provider_name} doesn't offer a {own.type_name.lower()}. Who would you like to see?")
    return visit_from_key(session, f"{own.type_id}:{asked.provider_id}", moving=True)


def visit_of(session: Session, appointment_id: int) -> Visit:
    """The same kind of visit with the same provider, for rescheduling."""
    appointment = session.get(Appointment, appointment_id)
    visit = visit_from_key(session, f"{appointment.appointment_type_id}:{appointment.provider_id}", moving=True)
    assert visit is not None
    return visit


def _claimable(session: Session, profile: ClinicProfile, visit: Visit, starts_at: datetime, now: datetime,
               exclude: int | None, patient_age: int | None = None) -> None:
    # A stale button or a tampered choice is treated like a time someone else took: fresh options follow.
    if visit.provider_id is None or not is_open(session, profile, visit, starts_at, now, exclude, patient_age):
        raise SlotTaken(_fresh_options(session, profile, visit, starts_at, now, exclude, patient_age))


def _claim(session: Session, appointment: Appointment) -> None:
    grain = appointment.starts_at
    while grain < appointment.ends_at:
        session.add(BookedInterval(provider_id=appointment.provider_id, starts_at=grain, appointment_id=appointment.id))
        grain += GRAIN
    session.flush()


def _fresh_options(session: Session, profile: ClinicProfile, visit: Visit, near: datetime, now: datetime,
                   exclude: int | None, patient_age: int | None = None) -> list[SlotOption]:
    local = near.astimezone(profile.zone)
    when = When(local.date(), local.date(), exact=local.time())
    return find_slots(session, profile, visit, when, now, exclude_appointment=exclude, patient_age=patient_age).options


def _owned_active(session: Session, patient_id: int, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id, with_for_update=True)
    if appointment is None or appointment.patient_id != patient_id or appointment.status not in ACTIVE_STATUSES:
        raise NoAppointment("I couldn't find that appointment. Would you like me to list your upcoming ones?")
    return appointment


def _audit(session: Session, appointment_id: int, actor: str, action: str, detail: str | None) -> None:
    session.add(AppointmentAudit(appointment_id=appointment_id, actor=actor, action=action, detail=detail))


def _booked(session: Session, appointment: Appointment) -> Booked:
    provider = session.get(Provider, appointment.provider_id)
    return Booked(
        appointment_id=appointment.id, starts_at=appointment.starts_at, provider_name=provider.name,
        location=provider.location, type_name=appointment.appointment_type.name, specialty=provider.specialty,
        by_video=appointment.appointment_type.code == VIDEO_VISIT,
    )
