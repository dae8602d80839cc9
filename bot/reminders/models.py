"""Tables of the reminder engine.

`reminder_outbox` is the durable outbox: one row per reminder occurrence, unique per (plan, occurrence)
and per (appointment, occurrence), so expanding a schedule twice or from two processes cannot create a
second text. A row's `status` and `reason` tell staff what became of it.
"""
from __future__ import annotations

import enum

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.db import Base, UTCDateTime, utcnow, value_enum
from bot.reminders.occurrence import OccurrenceKey


class PlanStatus(str, enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class ReminderKind(str, enum.Enum):
    APPOINTMENT = "appointment"
    MEDICATION = "medication"


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for due_at (also after a retryable error)
    SENDING = "sending"  # claimed by a dispatcher; the send may be under way
    SENT = "sent"  # the provider accepted it (delivery is tracked in sms_messages)
    SKIPPED = "skipped"  # deliberately not sent; `reason` says why
    FAILED = "failed"  # final provider error or retries exhausted; `reason` has the code
    UNKNOWN = "unknown"  # the request may have gone out: reconcile with the provider, never resend blindly


class AdherenceAction(str, enum.Enum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


class MedicationPlan(Base):
    """A patient's medication schedule: local wall times on the days of an RFC 5545 rule, in an IANA zone."""

    __tablename__ = "medication_plans"

    id = Column(Integer, primary_key=True)
    patient_id = Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    medication = Column(String(120), nullable=False)
    dose = Column(String(120))
    times = Column(String(200), nullable=False)  # "08:00,20:00" local wall times
    rrule = Column(String(200), nullable=False, default="FREQ=DAILY")  # days the times apply
    time_zone = Column(String(64), nullable=False)  # copied from the patient when created
    start_date = Column(Date, nullable=False)
    end_date = Column(Date)  # inclusive; None = until stopped
    include_name = Column(Boolean, nullable=False, default=False)  # patient chose the drug name in texts
    status = Column(value_enum(PlanStatus, "plan_status"), nullable=False, default=PlanStatus.ACTIVE)
    created_by = Column(String(80), nullable=False)  # "patient:sms", "staff:<name>"
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    patient = relationship("Patient")

    __table_args__ = (Index("ix_medication_plans_status", "status"),)


class ReminderOutbox(Base):
    __tablename__ = "reminder_outbox"

    id = Column(Integer, primary_key=True)
    kind = Column(value_enum(ReminderKind, "reminder_kind"), nullable=False)
    patient_id = Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    plan_id = Column(ForeignKey("medication_plans.id", ondelete="CASCADE"))
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"))
    # Which dose or which reminder of the appointment: see bot.reminders.occurrence.
    occurrence = Column(OccurrenceKey, nullable=False)
    due_at = Column(UTCDateTime, nullable=False)
    status = Column(value_enum(OutboxStatus, "outbox_status"), nullable=False, default=OutboxStatus.PENDING)
    reason = Column(String(200))  # readable by staff for every row that was not sent
    attempts = Column(Integer, nullable=False, default=0)
    error_code = Column(Integer)
    message_sid = Column(String(64), index=True)
    claimed_by = Column(String(80))
    claimed_at = Column(UTCDateTime)
    sent_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    plan = relationship("MedicationPlan")
    appointment = relationship("Appointment")
    patient = relationship("Patient")

    __table_args__ = (
        UniqueConstraint("plan_id", "occurrence", name="uq_outbox_plan_occurrence"),
        UniqueConstraint("appointment_id", "occurrence", name="uq_outbox_appointment_occurrence"),
        Index("ix_outbox_status_due", "status", "due_at"),
    )


class AdherenceEntry(Base):
    """What a patient answered to one medication reminder (TAKEN, SKIP, snooze)."""

    __tablename__ = "adherence_log"

    id = Column(Integer, primary_key=True)
    outbox_id = Column(ForeignKey("reminder_outbox.id", ondelete="CASCADE"), nullable=False, index=True)
    plan_id = Column(ForeignKey("medication_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    patient_id = Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    action = Column(value_enum(AdherenceAction, "adherence_action"), nullable=False)
    recorded_at = Column(UTCDateTime, nullable=False, default=utcnow)


class RefillRequest(Base):
    """A patient's request for a refill, for staff to act on."""

    __tablename__ = "refill_requests"

    id = Column(Integer, primary_key=True)
    patient_id = Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    plan_id = Column(ForeignKey("medication_plans.id", ondelete="SET NULL"))
    medication = Column(String(120))
    channel = Column(String(40), nullable=False)
    status = Column(String(20), nullable=False, default="open")
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


__all__ = [
    "AdherenceAction",
    "AdherenceEntry",
    "MedicationPlan",
    "OutboxStatus",
    "PlanStatus",
    "RefillRequest",
    "ReminderKind",
    "ReminderOutbox",
]


class ReminderPolicyRow(Base):
    """The clinic's appointment-reminder policy, edited by admins (one row; absent until the first edit, when
    the environment's settings are the policy). `version` is checked on every write: two admins cannot
    silently overwrite each other."""

    __tablename__ = "reminder_policy"

    id = Column(Integer, primary_key=True)  # always 1: one clinic per installation
    offsets = Column(String(200), nullable=False)  # minutes before the visit, largest first: "10080,2880"
    quiet_start = Column(String(5), nullable=False)  # local wall time in the patient's zone, "21:00"
    quiet_end = Column(String(5), nullable=False)
    per_day = Column(Integer, nullable=False)  # appointment texts a patient gets at most in a local day
    version = Column(Integer, nullable=False)
    updated_by = Column(String(80), nullable=False)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)
