"""The clinic's persistent records: patients, the schedule, identity checks and staff-facing logs.

Instants are `UTCDateTime` (UTC). Where a person means a local time (working hours), the table keeps
the wall time and the zone is the clinic's (see `bot.clinic`).
Reminder tables live with the reminder engine (`bot.reminders.models`); texts and consent with messaging
(`bot.messaging.models`).
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    true,
)
from sqlalchemy.orm import relationship

from bot.db import Base, UTCDateTime, utcnow, value_enum


class AppointmentStatus(str, enum.Enum):
    """FHIR R4 AppointmentStatus."""

    PROPOSED = "proposed"
    PENDING = "pending"
    BOOKED = "booked"
    ARRIVED = "arrived"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    NOSHOW = "noshow"
    ENTERED_IN_ERROR = "entered-in-error"
    CHECKED_IN = "checked-in"
    WAITLIST = "waitlist"


# An appointment that holds its time: listed to the patient, can be confirmed, moved or cancelled, and is
# reminded of. FHIR's booked, arrived and checked-in, plus pending (booked, awaiting a participant's
# acceptance). Proposed and waitlist hold no time; the rest are over.
ACTIVE_STATUSES = (
    AppointmentStatus.BOOKED, AppointmentStatus.PENDING, AppointmentStatus.ARRIVED, AppointmentStatus.CHECKED_IN
)


class Patient(Base):
    __tablename__ = "patients"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    date_of_birth = Column(Date, nullable=False)
    mobile = Column(String(20), unique=True)  # E.164
    language = Column(String(10), nullable=False, default="en")
    time_zone = Column(String(64), nullable=False)  # IANA
    # Consent given at enrolment; later changes are events in `consent_events`, the latest of which wins.
    sms_consent = Column(Boolean, nullable=False, default=True, server_default=true())
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    appointments = relationship("Appointment", back_populates="patient")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


appointment_type_specialties = Table(
    "appointment_type_specialties",
    Base.metadata,
    Column("appointment_type_id", ForeignKey("appointment_types.id", ondelete="CASCADE"), primary_key=True),
    Column("specialty", String(80), primary_key=True),
)


class Provider(Base):
    __tablename__ = "providers"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    specialty = Column(String(80), nullable=False, index=True)
    location = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)

    working_hours = relationship("WorkingHours", back_populates="provider", cascade="all, delete-orphan")


class AppointmentType(Base):
    __tablename__ = "appointment_types"

    id = Column(Integer, primary_key=True)
    code = Column(String(40), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    duration_minutes = Column(Integer, nullable=False)
    # A retired type is offered for no new booking; appointments already booked with it keep it (and can move).
    active = Column(Boolean, nullable=False, default=True, server_default=true())


class WorkingHours(Base):
    """A weekly block of local wall time in which a provider sees patients (breaks are gaps between blocks)."""

    __tablename__ = "working_hours"

    id = Column(Integer, primary_key=True)
    provider_id = Column(ForeignKey("providers.id", ondelete="CASCADE"), nullable=False, index=True)
    weekday = Column(Integer, nullable=False)  # Monday = 0
    start_time = Column(Time, nullable=False)
    end_time = Column(Time, nullable=False)
    valid_from = Column(Date)
    valid_until = Column(Date)

    provider = relationship("Provider", back_populates="working_hours")


class TimeOff(Base):
    __tablename__ = "time_off"

    id = Column(Integer, primary_key=True)
    provider_id = Column(ForeignKey("providers.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    reason = Column(String(200))


class ClinicHoliday(Base):
    __tablename__ = "clinic_holidays"

    day = Column(Date, primary_key=True)
    name = Column(String(120), nullable=False)


class Appointment(Base):
    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    patient_id = Column(ForeignKey("patients.id"), nullable=False, index=True)
    provider_id = Column(ForeignKey("providers.id"), nullable=False, index=True)
    appointment_type_id = Column(ForeignKey("appointment_types.id"), nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(
        value_enum(AppointmentStatus, "appointment_status"), nullable=False, default=AppointmentStatus.BOOKED
    )
    confirmed_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    patient = relationship("Patient", back_populates="appointments")
    provider = relationship("Provider")
    appointment_type = relationship("AppointmentType")

    __table_args__ = (Index("ix_appointments_provider_start", "provider_id", "starts_at"),)


class BookedInterval(Base):
    """One row per schedule grain an active appointment occupies.

    The primary key (provider, grain start) is what makes double booking impossible: two overlapping
    appointments would need the same grain, and the database lets only one insert win, on SQLite and
    PostgreSQL alike, without a check-then-insert race.
    """

    __tablename__ = "booked_intervals"

    provider_id = Column(ForeignKey("providers.id"), primary_key=True)
    starts_at = Column(UTCDateTime, primary_key=True)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, index=True)


class AppointmentAudit(Base):
    __tablename__ = "appointment_audit"

    id = Column(Integer, primary_key=True)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, index=True)
    actor = Column(String(80), nullable=False)  # "patient:sms", "patient:web", "staff:<name>", "system"
    action = Column(String(40), nullable=False)  # booked, rescheduled, cancelled, confirmed
    detail = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    patient_id = Column(ForeignKey("patients.id"))
    reason = Column(String(40), nullable=False)  # asked, fallback, medical_advice, refill
    status = Column(String(20), nullable=False, default="open")
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class SafetyEvent(Base):
    """An emergency message seen by the assistant. The category is kept, never the message body."""

    __tablename__ = "safety_events"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    category = Column(String(40), nullable=False)
    detected_by = Column(String(20), nullable=False)  # rule or classifier
    acknowledged = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class IdentityCheck(Base):
    """Verification state of one conversation: failures, lock-out, pending one-time code, verified patient."""

    __tablename__ = "identity_checks"

    conversation_id = Column(String(128), primary_key=True)
    patient_id = Column(ForeignKey("patients.id"))
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(UTCDateTime)
    locked_until = Column(UTCDateTime)
    code_hash = Column(String(128))
    code_expires_at = Column(UTCDateTime)
    verified_until = Column(UTCDateTime)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class IdentityLockout(Base):
    """Failed identity checks against one patient, counted across every conversation and session.

    A new browser session starts a fresh `IdentityCheck`, so only a count kept per patient stops someone
    who knows a name and birth date from guessing codes session after session.
    """

    __tablename__ = "identity_lockouts"

    patient_id = Column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(UTCDateTime)
    locked_until = Column(UTCDateTime)
    # Codes texted to the patient in the current window: asking needs no guess, so it is limited on its own.
    codes_sent = Column(Integer, nullable=False, default=0)
    first_code_at = Column(UTCDateTime)


__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentAudit",
    "AppointmentStatus",
    "AppointmentType",
    "BookedInterval",
    "ClinicHoliday",
    "HandoffRequest",
    "IdentityCheck",
    "IdentityLockout",
    "Patient",
    "Provider",
    "SafetyEvent",
    "TimeOff",
    "WorkingHours",
    "appointment_type_specialties",
]
