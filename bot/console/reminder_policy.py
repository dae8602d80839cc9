"""The appointment-reminder policy as admins edit it: the preview of its effect, and a save that is audit-logged.

Validation and storage are `bot.reminders.policy`; `save` here adds the audit entry, and
`nightingale reminders policy set` saves through it too, so an operator's change is logged like an admin's.
The preview applies a draft policy to the clinic's next booked appointment far enough ahead for every reminder
to be still to come (or, with none booked, to a sample visit at 10:00 AM in the clinic's zone the day after the
earliest reminder): the exact text the patient gets and when each reminder would go out in the patient's zone,
deferred out of quiet hours as the dispatcher defers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bot.clinic import ClinicProfile
from bot.clock import clock_text, moment_text
from bot.console import audit
from bot.db import utcnow
from bot.models import ACTIVE_STATUSES, Appointment, Patient
from bot.reminders import policy as policies
from bot.reminders.templates import appointment_text
from bot.reminders.timing import in_quiet_hours, quiet_end_after
from bot.settings import Settings


@dataclass(frozen=True)
class Send:
    offset: str  # "7 days before"
    at: str  # "Tue Dec 8, 10:00 AM EST", in the patient's zone, or why it would not go out
    note: str = ""  # "moved out of quiet hours (planned 6:00 AM)"


@dataclass(frozen=True)
class Preview:
    who: str  # "Ana Moreno's appointment" or "a sample appointment"
    starts: str
    text: str
    sends: list[Send]


def _sample(
    session: Session, profile: ClinicProfile, now: datetime, lead: timedelta
) -> tuple[Appointment, ZoneInfo, str]:
    upcoming = session.execute(
        select(Appointment)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(Appointment.status.in_(ACTIVE_STATUSES), Appointment.starts_at > now + lead, Patient.mobile.is_not(None))
        .options(joinedload(Appointment.provider), joinedload(Appointment.appointment_type))
        .order_by(Appointment.starts_at)
        .limit(1)
    ).scalar()
    if upcoming is not None:
        patient = session.get(Patient, upcoming.patient_id)
        return upcoming, ZoneInfo(patient.time_zone), f"{patient.full_name}'s next appointment"
    day = (now + lead).astimezone(profile.zone).date() + timedelta(days=1)
    # Never added to the session: a stand-in with only a start, so nothing is booked by previewing.
    stand_in = Appointment(starts_at=datetime.combine(day, time(10), profile.zone))
    return stand_in, profile.zone, "a sample appointment"


def preview(session: Session, draft: policies.Policy, profile: ClinicProfile, now: datetime | None = None) -> Preview:
    now = now or utcnow()
    appointment, zone, who = _sample(session, profile, now, timedelta(minutes=max(draft.offsets)))
    starts = appointment.starts_at
    sends = []
    for minutes in draft.offsets:
        due, label = starts - timedelta(minutes=minutes), policies.describe_offset(minutes)
        if in_quiet_hours(due.astimezone(zone).time(), draft.quiet_hours):
            later = quiet_end_after(due, zone, draft.quiet_hours)
            planned = f"moved out of quiet hours (planned {clock_text(due.astimezone(zone).time())})"
            dropped = Send(label, "not sent: quiet hours")
            sends.append(Send(label, moment_text(later, zone), planned) if later < starts else dropped)
        else:
            sends.append(Send(label, moment_text(due, zone)))
    return Preview(who, moment_text(starts, zone), appointment_text(appointment, zone, profile), sends)


def save(session: Session, settings: Settings, draft: policies.Policy, version: int, staff: str) -> policies.Policy:
    """Store the policy (PolicyError when stale) and record who changed what."""
    before, after = policies.save(session, settings, draft, version, staff)
    audit.record(
        session, staff, "reminders.policy", "reminder_policy", policies.as_record(before), policies.as_record(after)
    )
    return after
