"""Patients and their medication plans, as staff see and change them in the console.

Creating, pausing, resuming and stopping go through `bot.reminders.plans` (the same services the
conversation and `nightingale reminders` use); the console adds the form reading, the preview (the exact
text and the next five send times in the patient's zone), the opt-out guard, an edit that checks nobody
changed the plan meanwhile, and an immediate outbox expansion so the next doses show at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import islice
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.clock import clock_text, moment_text
from bot.console import audit
from bot.db import utcnow
from bot.messaging import consent
from bot.models import Patient
from bot.reminders import plans
from bot.reminders.expansion import expand_medication, medication_occurrences
from bot.reminders.models import MedicationPlan, OutboxStatus, PlanStatus, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from bot.reminders.templates import medication_text

DAYS = {"daily": "FREQ=DAILY", "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
EXPAND_AHEAD = timedelta(days=2)  # the dispatcher's own horizon


class FormError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class PlanInput:
    medication: str
    dose: str
    times: list[time]
    rule: str
    start: date | None
    end: date | None
    include_name: bool


def parse_clock(text: str) -> time:
    match = CLOCK.match(text.strip())
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    return time(hour, minute)


def read_form(form: dict[str, str], days: list[str]) -> PlanInput:
    """A plan from the form's fields; FormError maps each bad field to its message."""
    errors: dict[str, str] = {}
    medication = form.get("medication", "").strip()
    if not medication:
        errors["medication"] = "Name the medication."
    elif len(medication) > 120:
        errors["medication"] = "At most 120 characters."
    times: list[time] = []
    for part in (p for p in re.split(r"[,;]", form.get("times", "")) if p.strip()):
        try:
            times.append(parse_clock(part))
        except ValueError:
            errors["times"] = f"'{part.strip()[:20]}' is not a time: write 8:00, 20:30 or 8:30 pm."
            break
    if not times and "times" not in errors:
        errors["times"] = "Give at least one time of day."
    schedule = form.get("days", "daily")
    if schedule in DAYS:
        rule = DAYS[schedule]
    elif schedule == "some":
        picked = [d for d in WEEKDAYS if d in days]
        rule = f"FREQ=WEEKLY;BYDAY={','.join(picked)}"
        if not picked:
            errors["days"] = "Tick at least one day."
    else:
        rule, errors["days"] = DAYS["daily"], "Pick when the reminders go out."
    start, end = _day(form, "start", errors), _day(form, "end", errors)
    if start and end and end < start:
        errors["end"] = "The end date is before the start date."
    if errors:
        raise FormError(errors)
    return PlanInput(
        medication, form.get("dose", "").strip()[:120], times, rule, start, end, form.get("include_name") == "yes"
    )


def _day(form: dict[str, str], name: str, errors: dict[str, str]) -> date | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Use a date like 2027-03-14."
        return None


@dataclass(frozen=True)
class Preview:
    text: str
    next_sends: list[str]  # "Mon Mar 15, 8:00 AM EDT", in the patient's zone


def preview(patient: Patient, plan: PlanInput, profile: ClinicProfile, now: datetime | None = None) -> Preview:
    now = now or utcnow()
    zone = ZoneInfo(patient.time_zone)
    start = plan.start or now.astimezone(zone).date()
    times = ",".join(sorted({t.strftime("%H:%M") for t in plan.times}))
    draft = MedicationPlan(medication=plan.medication, dose=plan.dose or None, include_name=plan.include_name)
    upcoming = islice(
        medication_occurrences(plan.rule, times, patient.time_zone, start, plan.end, now, now + timedelta(days=400)), 5
    )
    sends: list[str] = []
    first: DoseOccurrence | None = None
    for dose, due in upcoming:
        first = first or dose
        sends.append(moment_text(due, zone))
    # The text of the first dose to come (or, for a plan already over, of its first planned dose).
    first = first or DoseOccurrence(datetime.combine(start, min(plan.times)))
    return Preview(medication_text(draft, first, profile), sends)


def _guard_texting(session: Session, patient: Patient) -> None:
    if not patient.mobile:
        raise FormError({"plan": "This patient has no mobile number: reminders cannot be texted."})
    if not patient.sms_consent or consent.is_opted_out(session, patient.mobile):
        raise FormError({"plan": "This patient has opted out of texts: nothing can be scheduled to them."})


def snapshot(plan: MedicationPlan) -> dict:
    """What the audit log keeps of a plan, before and after a change."""
    return {
        "medication": plan.medication,
        "dose": plan.dose,
        "times": plan.times,
        "rrule": plan.rrule,
        "start": plan.start_date,
        "end": plan.end_date,
        "include_name": plan.include_name,
        "status": plan.status.value,
    }


def _expand(session: Session, plan_id: int) -> None:
    now = utcnow()
    expand_medication(session, now, now + EXPAND_AHEAD, [plan_id])


def create(session: Session, patient_id: int, plan: PlanInput, staff: str) -> MedicationPlan:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise FormError({"plan": "No such patient."})
    _guard_texting(session, patient)
    try:
        created = plans.create_plan(
            session,
            patient_id,
            plan.medication,
            plan.times,
            plan.rule,
            plan.start,
            plan.end,
            plan.dose,
            plan.include_name,
            created_by=f"staff:{staff}",
        )
    except plans.PlanError as error:
        raise FormError({"plan": str(error)}) from error
    _expand(session, created.id)
    audit.record(session, staff, "plan.create", f"plan:{created.id}", None, snapshot(created))
    return created


def version_of(plan: MedicationPlan) -> str:
    return plan.updated_at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _owned(session: Session, patient_id: int, plan_id: int, version: str) -> MedicationPlan:
    plan = session.get(MedicationPlan, plan_id)
    if plan is None or plan.patient_id != patient_id:
        raise FormError({"plan": "No such plan."})
    if version_of(plan) != version:
        raise FormError({"plan": "Someone changed this plan meanwhile; it now shows their change. Try again."})
    return plan


def _withdraw_future(session: Session, plan_id: int) -> None:
    """Pending and withdrawn doses still to come, so the plan's new shape is expanded afresh."""
    session.execute(
        delete(ReminderOutbox)
        .where(
            ReminderOutbox.plan_id == plan_id,
            ReminderOutbox.due_at > utcnow(),
            or_(
                ReminderOutbox.status == OutboxStatus.PENDING,
                (ReminderOutbox.status == OutboxStatus.SKIPPED) & ReminderOutbox.reason.like("cancelled: plan%"),
            ),
        )
        .execution_options(synchronize_session=False)
    )


def edit(session: Session, patient_id: int, plan_id: int, version: str, change: PlanInput, staff: str) -> None:
    plan = _owned(session, patient_id, plan_id, version)
    _guard_texting(session, plan.patient)
    before = snapshot(plan)
    start = change.start or plan.start_date
    if change.end is not None and change.end < start:
        raise FormError({"end": "The end date is before the start date."})
    plan.medication, plan.dose, plan.include_name = change.medication, change.dose or None, change.include_name
    plan.times = ",".join(sorted({t.strftime("%H:%M") for t in change.times}))
    try:
        plan.rrule = plans.check_rule(change.rule)
    except plans.PlanError as error:
        raise FormError({"days": str(error)}) from error
    plan.start_date, plan.end_date = start, change.end
    plan.updated_at = utcnow()
    session.flush()
    if plan.status is PlanStatus.ACTIVE:
        _withdraw_future(session, plan_id)
        _expand(session, plan_id)
    audit.record(session, staff, "plan.edit", f"plan:{plan_id}", before, snapshot(plan))


def set_status(session: Session, patient_id: int, plan_id: int, version: str, status: PlanStatus, staff: str) -> None:
    plan = _owned(session, patient_id, plan_id, version)
    before = snapshot(plan)
    if status is PlanStatus.ACTIVE:
        if plan.status is PlanStatus.STOPPED:
            raise FormError({"plan": "A stopped plan cannot be resumed; create a new one."})
        _guard_texting(session, plan.patient)
    plans.set_status(session, plan_id, status, patient_id=patient_id)
    plan.updated_at = utcnow()
    if status is PlanStatus.ACTIVE:
        _withdraw_future(session, plan_id)
        _expand(session, plan_id)
    session.flush()
    audit.record(session, staff, f"plan.{status.value}", f"plan:{plan_id}", before, snapshot(plan))


def form_of(plan: MedicationPlan) -> dict[str, str]:
    """The edit form's initial values."""
    rule = plan.rrule
    days = next((name for name, value in DAYS.items() if value == rule), "some")
    return {
        "medication": plan.medication,
        "dose": plan.dose or "",
        "times": ", ".join(clock_text(t) for t in plans.plan_times(plan)),
        "days": days,
        "start": plan.start_date.isoformat(),
        "end": plan.end_date.isoformat() if plan.end_date else "",
        "include_name": "yes" if plan.include_name else "",
    }


def picked_days(plan: MedicationPlan) -> list[str]:
    parts = dict(p.split("=", 1) for p in plan.rrule.split(";") if "=" in p)
    return parts.get("BYDAY", "").split(",")
