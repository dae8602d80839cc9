"""Medication plans: create, list, pause, resume, stop (patients in conversation, staff from the CLI)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import clock_text
from bot.db import utcnow
from bot.models import Patient
from bot.reminders.models import MedicationPlan, OutboxStatus, PlanStatus, ReminderOutbox
from bot.reminders.timing import parse_hhmm

WEEKDAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}


class PlanError(ValueError):
    """A plan that cannot be saved; the message is fit to show to the person who asked."""


def check_rule(rule: str) -> str:
    """The RFC 5545 rule normalised, or PlanError. Rules pick days; the wall times come from `times`."""
    rule = rule.strip().upper().removeprefix("RRULE:")
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise PlanError(f"I could not understand the days ({exc}).") from exc
    if any(part in rule for part in ("BYHOUR", "BYMINUTE", "BYSECOND", "HOURLY", "MINUTELY", "SECONDLY")):
        raise PlanError("The days rule must not set times of day; give the times separately.")
    return rule


def create_plan(
    session: Session,
    patient_id: int,
    medication: str,
    times: Sequence[time],
    rule: str = "FREQ=DAILY",
    start: date | None = None,
    end: date | None = None,
    dose: str | None = None,
    include_name: bool = False,
    created_by: str = "system",
) -> MedicationPlan:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise PlanError("No such patient.")
    if not medication.strip():
        raise PlanError("Which medication is the reminder for?")
    if not times:
        raise PlanError("At what time of day should I remind you?")
    start = start or utcnow().astimezone(ZoneInfo(patient.time_zone)).date()
    if end is not None and end < start:
        raise PlanError("The end date is before the start date.")
    plan = MedicationPlan(
        patient_id=patient_id,
        medication=medication.strip()[:120],
        dose=(dose or "").strip()[:120] or None,
        times=",".join(sorted({t.strftime("%H:%M") for t in times})),
        rrule=check_rule(rule),
        time_zone=patient.time_zone,
        start_date=start,
        end_date=end,
        include_name=include_name,
        status=PlanStatus.ACTIVE,
        created_by=created_by,
    )
    session.add(plan)
    session.flush()
    return plan


def plans_of(session: Session, patient_id: int, include_stopped: bool = False) -> list[MedicationPlan]:
    query = select(MedicationPlan).where(MedicationPlan.patient_id == patient_id).order_by(MedicationPlan.id)
    if not include_stopped:
        query = query.where(MedicationPlan.status != PlanStatus.STOPPED)
    return list(session.execute(query).scalars())


def plans_for_drug(session: Session, patient_id: int, medication: str) -> list[MedicationPlan]:
    """The patient's plans, not stopped, for the same medicine ("metformin" and "metformin er 500" are one):
    a new plan for it replaces them rather than reminding twice."""
    drug = medication.lower().strip()
    return [
        p for p in plans_of(session, patient_id)
        if drug and (drug in p.medication.lower() or p.medication.lower() in drug)
    ]


def set_status(
    session: Session, plan_id: int, status: PlanStatus, patient_id: int | None = None
) -> MedicationPlan | None:
    """Pause, resume or stop a plan (only the patient's own when `patient_id` is given).

    Pausing or stopping withdraws the plan's pending reminders with a reason staff can read.
    """
    plan = session.get(MedicationPlan, plan_id)
    if plan is None or (patient_id is not None and plan.patient_id != patient_id):
        return None
    plan.status = status
    if status is not PlanStatus.ACTIVE:
        session.execute(
            update(ReminderOutbox)
            .where(ReminderOutbox.plan_id == plan_id, ReminderOutbox.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SKIPPED, reason=f"cancelled: plan {status.value}", updated_at=utcnow())
        )
    session.flush()
    return plan


def plan_times(plan: MedicationPlan) -> list[time]:
    return [parse_hhmm(t) for t in plan.times.split(",") if t]


def describe_days(rule: str) -> str:
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    byday = parts.get("BYDAY")
    interval = int(parts.get("INTERVAL", "1"))
    if parts.get("FREQ") == "DAILY" and not byday:
        return "every day" if interval == 1 else f"every {interval} days"
    if byday:
        days = [WEEKDAY_NAMES.get(d[-2:], d) for d in byday.split(",")]
        if days == ["Mon", "Tue", "Wed", "Thu", "Fri"]:
            return "on weekdays"
        return "on " + ", ".join(days)
    return rule.lower()


def describe(plan: MedicationPlan, with_status: bool = True) -> str:
    """'metformin 500 mg at 8:00 AM and 8:00 PM every day until Jun 30 2027 (paused)'. `with_status=False` leaves
    the status out, for a reply that already says it ("Paused: ..." said "(paused)" twice)."""
    times = [clock_text(t) for t in plan_times(plan)]
    when = " and ".join(times) if len(times) <= 2 else ", ".join(times[:-1]) + " and " + times[-1]
    text = f"{plan.medication}{' ' + plan.dose if plan.dose else ''} at {when} {describe_days(plan.rrule)}"
    if plan.end_date:
        text += f" until {plan.end_date:%b} {plan.end_date.day} {plan.end_date.year}"
    if with_status and plan.status is not PlanStatus.ACTIVE:
        text += f" ({plan.status.value})"
    return text


def set_times(session: Session, plan_id: int, times: Sequence[time], patient_id: int) -> MedicationPlan | None:
    """New times of day for the patient's own plan. Its pending reminders at the old times are withdrawn; the
    dispatcher queues the new ones, as for any plan."""
    plan = session.get(MedicationPlan, plan_id)
    if plan is None or plan.patient_id != patient_id or not times:
        return None
    plan.times = ",".join(t.strftime("%H:%M") for t in sorted(times))
    session.execute(
        update(ReminderOutbox)
        .where(ReminderOutbox.plan_id == plan_id, ReminderOutbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, reason="cancelled: plan retimed", updated_at=utcnow())
    )
    session.flush()
    return plan
