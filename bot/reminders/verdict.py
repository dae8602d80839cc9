"""Whether a claimed reminder goes out now, later (out of quiet hours) or not at all, and why: the rules the
dispatcher applies to each due outbox row under the clinic's reminder policy. The reason is what staff read
on the deliveries page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import ACTIVE_STATUSES
from bot.reminders.models import OutboxStatus, PlanStatus, ReminderKind, ReminderOutbox
from bot.reminders.policy import Policy
from bot.reminders.timing import in_quiet_hours, quiet_end_after


def decide(
    session: Session,
    row: ReminderOutbox,
    now: datetime,
    policy: Policy,
    too_late: timedelta,
    opted_out: set[str],
    sent_today: dict[int, int],
) -> str | datetime | None:
    """None to send now, a later instant to defer to, or the reason it will not be sent."""
    patient = row.patient
    if not patient.mobile:
        return "no mobile number"
    if patient.mobile in opted_out:
        return "opted out"
    zone = ZoneInfo(patient.time_zone)
    quiet = in_quiet_hours(now.astimezone(zone).time(), policy.quiet_hours)
    if row.kind is ReminderKind.MEDICATION:
        if row.plan.status is not PlanStatus.ACTIVE:
            return f"cancelled: plan {row.plan.status.value}"
        if now - row.due_at > too_late:
            return "too late: the dose time passed while reminders were delayed"
        if quiet and not in_quiet_hours(row.occurrence.clock, policy.quiet_hours):
            return "quiet hours"
        return None
    appointment = row.appointment
    if appointment.status not in ACTIVE_STATUSES:
        return f"cancelled: appointment {appointment.status.value}"
    if not row.occurrence.is_for(appointment.starts_at):
        return "cancelled: appointment moved"
    if appointment.starts_at <= now:
        return "too late: the appointment has started"
    if row.occurrence.minutes_before not in policy.offsets:  # queued before an admin changed the policy
        return "cancelled: reminder policy changed"
    if quiet:
        later = quiet_end_after(now, zone, policy.quiet_hours)
        return later if later < appointment.starts_at else "quiet hours"
    if _appointment_texts_today(session, row.patient_id, now, zone) + sent_today.get(row.patient_id, 0) >= (
        policy.per_day
    ):
        return "daily limit reached"
    return None


def _appointment_texts_today(session: Session, patient_id: int, now: datetime, zone: ZoneInfo) -> int:
    local = now.astimezone(zone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)
    return session.execute(
        select(func.count())
        .select_from(ReminderOutbox)
        .where(
            ReminderOutbox.patient_id == patient_id,
            ReminderOutbox.kind == ReminderKind.APPOINTMENT,
            ReminderOutbox.status == OutboxStatus.SENT,
            ReminderOutbox.sent_at >= day_start,
        )
    ).scalar_one()
