"""What a patient's answer to a reminder acts on: 1/2/3 on the appointment, TAKEN/SKIP/snooze on the dose."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import ACTIVE_STATUSES, Appointment, Patient
from bot.reminders.conditions import conditions_of, treats
from bot.reminders.models import (
    AdherenceAction,
    AdherenceEntry,
    MedicationPlan,
    OutboxStatus,
    RefillRequest,
    ReminderKind,
    ReminderOutbox,
)
from bot.reminders.occurrence import DoseOccurrence, snoozes_of
from bot.reminders.plans import plans_of
from bot.reminders.reply_words import (
    more_than_a_dose,
    pills_at_once,
    pills_per_dose,
    refill_medications,
    says_out_of_pills,
    taken_names_another_drug,
)

# A reply refers to a reminder only while the reminder is fresh.
APPOINTMENT_REPLY_WINDOW = timedelta(days=4)
MEDICATION_REPLY_WINDOW = timedelta(hours=12)
SNOOZE = timedelta(minutes=15)


def patient_by_mobile(session: Session, phone: str) -> int | None:
    return session.execute(select(Patient.id).where(Patient.mobile == phone)).scalar()


def _latest_sent(session: Session, patient_id: int, kind: ReminderKind, window: timedelta) -> ReminderOutbox | None:
    return session.execute(
        select(ReminderOutbox)
        .where(
            ReminderOutbox.patient_id == patient_id,
            ReminderOutbox.kind == kind,
            ReminderOutbox.status == OutboxStatus.SENT,
            ReminderOutbox.sent_at >= utcnow() - window,
        )
        .order_by(ReminderOutbox.sent_at.desc(), ReminderOutbox.id.desc())
        .limit(1)
    ).scalar()


def latest_reminded_appointment(session: Session, patient_id: int) -> int | None:
    """The appointment of the patient's most recent reminder, if it is still upcoming and active."""
    row = _latest_sent(session, patient_id, ReminderKind.APPOINTMENT, APPOINTMENT_REPLY_WINDOW)
    if row is None:
        return None
    appointment = session.get(Appointment, row.appointment_id)
    if appointment is None or appointment.status not in ACTIVE_STATUSES or appointment.starts_at <= utcnow():
        return None
    return appointment.id


@dataclass(frozen=True)
class AdherenceResult:
    action: AdherenceAction
    planned: DoseOccurrence  # the dose answered (never a snooze of it)
    medication: str
    snoozed_until: datetime | None = None


def record_adherence(
    session: Session, patient_id: int, action: AdherenceAction, snooze: timedelta = SNOOZE
) -> AdherenceResult | None:
    """Log the answer against the latest medication reminder; a snooze also queues one more reminder, `snooze`
    from now. None when no medication reminder went out recently (nothing to answer)."""
    row = _latest_sent(session, patient_id, ReminderKind.MEDICATION, MEDICATION_REPLY_WINDOW)
    if row is None:
        return None
    session.add(AdherenceEntry(outbox_id=row.id, plan_id=row.plan_id, patient_id=patient_id, action=action))
    snoozed_until = None
    if action is AdherenceAction.SNOOZED:
        snoozed_until = utcnow() + snooze
        dose = row.occurrence.dose
        count = session.execute(
            select(ReminderOutbox.id).where(
                ReminderOutbox.plan_id == row.plan_id, snoozes_of(ReminderOutbox.occurrence, dose)
            )
        ).all()
        session.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION,
                patient_id=patient_id,
                plan_id=row.plan_id,
                occurrence=dose.snoozed(len(count) + 1),
                due_at=snoozed_until,
                status=OutboxStatus.PENDING,
                attempts=0,
            )
        )
    session.flush()
    plan = session.get(MedicationPlan, row.plan_id)
    return AdherenceResult(action, row.occurrence.dose, plan.medication if plan else "", snoozed_until)


def reminded_pills_per_dose(session: Session, patient_id: int) -> int | None:
    """How many pills one dose of the reminded plan is, when its dose text counts them ("2 tablets"); else None."""
    row = _latest_sent(session, patient_id, ReminderKind.MEDICATION, MEDICATION_REPLY_WINDOW)
    plan = session.get(MedicationPlan, row.plan_id) if row is not None and row.plan_id else None
    return pills_per_dose(plan.dose) if plan is not None else None


def reminded_medication(session: Session, patient_id: int) -> str | None:
    """The drug of the medication reminder the patient may be answering (sent within the reply window)."""
    row = _latest_sent(session, patient_id, ReminderKind.MEDICATION, MEDICATION_REPLY_WINDOW)
    plan = session.get(MedicationPlan, row.plan_id) if row is not None and row.plan_id else None
    return plan.medication if plan is not None else None


@dataclass(frozen=True)
class NotTaken:
    """Why a "taken" reply is not noted: another drug said taken than the one reminded about (`reminded`), or
    more pills at once than a dose (`too_many`), which gets the dose-mistake answer."""

    reminded: str | None = None
    too_many: bool = False


def not_taken(session: Session, patient_id: int | None, text: str) -> NotTaken | None:
    """ "took the metformin but not the lisinopril yet" to a lisinopril reminder, or "took 3 of them" to a one-pill
    dose: not noted as taken; None when the reply may be noted."""
    reminded = reminded_medication(session, patient_id) if patient_id is not None else None
    if reminded and taken_names_another_drug(text, reminded):
        return NotTaken(reminded=reminded)
    taken = pills_at_once(text)
    per_dose = reminded_pills_per_dose(session, patient_id) if patient_id is not None else None
    if taken is not None and more_than_a_dose(taken, per_dose):
        return NotTaken(too_many=True)
    return None


def request_refill(session: Session, patient_id: int, medication: str | None, channel: str) -> RefillRequest:
    """Record a refill request for staff; tie it to the patient's matching plan when there is one."""
    plan_id = None
    if medication:
        plan_id = session.execute(
            select(MedicationPlan.id)
            .where(MedicationPlan.patient_id == patient_id, MedicationPlan.medication.ilike(medication.strip()))
            .limit(1)
        ).scalar()
    request = RefillRequest(patient_id=patient_id, plan_id=plan_id, medication=(medication or None), channel=channel)
    session.add(request)
    session.flush()
    return request


@dataclass(frozen=True)
class RefillsFiled:
    filed: list[str]  # the drugs a request was filed for (empty: none, and which is asked)
    ask_which: list[str]  # the plans asked about (none: the name is asked for); filed for no condition unplaced
    skipped: bool  # "couldn't, I'm out of pills" to a dose reminder: that dose is noted as skipped
    condition: str | None = None  # "my cholesterol pill" with no plan surely for it: which one is asked

    @property
    def asks(self) -> bool:
        """Whether which medicine is still asked: none filed, or a condition said that no plan surely fits."""
        return not self.filed or self.condition is not None


def file_refills(
    session: Session, patient_id: int, text: str, channel: str, setting_up: str | None = None
) -> RefillsFiled:
    """File a refill request for each drug the words name ("refill my metformin and lisinopril"). With none
    named: the drug just reminded about, else the one being set up (`setting_up`: "refill it" inside the
    reminder form), else the only plan; with several plans or none, which one is asked (one filed with no drug
    left staff to guess). A misspelt name is read as the drug it misspells; a word describing the medicine
    ("my heart pills") is no drug's name, and the plan for what it treats is filed or asked about."""
    words = text.lower()
    on_file = [p.medication for p in plans_of(session, patient_id)]
    plans = [m for m in on_file if m.lower() in words]
    read = refill_medications(words, tuple(on_file))
    named = list(dict.fromkeys(plans + [d for d in read if not _in_any(d, on_file)]))
    reminded = reminded_medication(session, patient_id)
    skipped = bool(
        says_out_of_pills(words) and reminded and record_adherence(session, patient_id, AdherenceAction.SKIPPED)
    )
    conditions = conditions_of(words)
    if not named and conditions:
        return _for_conditions(session, patient_id, on_file, conditions, channel, skipped)
    if not named:
        named = [reminded] if reminded else [setting_up] if setting_up else on_file if len(on_file) == 1 else []
        if not named:  # which is asked: one filed with no drug left staff to guess
            return RefillsFiled([], on_file, skipped)
    for medication in named:
        request_refill(session, patient_id, medication, channel)
    return RefillsFiled(named, [], skipped)


def _for_conditions(
    session: Session, patient_id: int, on_file: list[str], conditions: list[str], channel: str, skipped: bool
) -> RefillsFiled:
    """ "refill my blood pressure medicine": the one plan for each condition, or the only plan when its drug is
    one this service cannot place (the condition was once filed as the drug, "blood"). Those placed are filed;
    which is asked for the first condition not placed, so that none is dropped unsaid."""
    filed: list[str] = []
    for condition in conditions:
        fits = [m for m in on_file if treats(m, condition)]
        unplaced = [m for m in on_file if treats(m, condition) is None]
        chosen = fits if len(fits) == 1 else unplaced if not fits and len(on_file) == 1 else []
        if not chosen:
            return RefillsFiled(_request(session, patient_id, filed, channel), fits, skipped, condition)
        filed.append(chosen[0])
    return RefillsFiled(_request(session, patient_id, filed, channel), [], skipped)


def _request(session: Session, patient_id: int, medications: list[str], channel: str) -> list[str]:
    """File a refill for each medicine once ("my heart pills and my bp pills" may both be metoprolol)."""
    unique = list(dict.fromkeys(medications))
    for medication in unique:
        request_refill(session, patient_id, medication, channel)
    return unique


def _in_any(drug: str, plans: list[str]) -> bool:
    """Whether a drug read from the words is already one of the plans named ("metformin" in "metformin er")."""
    return any(drug.lower() in plan.lower() for plan in plans)


def appointment_reminder_sent_at(session: Session, phone: str) -> datetime | None:
    """When the fresh appointment reminder this number last got went out (None: no fresh one), so that a
    reply can be read against whichever came last, the reminder or the conversation's own offer."""
    patient_id = patient_by_mobile(session, phone)
    if patient_id is None:
        return None
    row = _latest_sent(session, patient_id, ReminderKind.APPOINTMENT, APPOINTMENT_REPLY_WINDOW)
    return row.sent_at if row is not None and latest_reminded_appointment(session, patient_id) else None


def dose_reminder_unanswered_at(session: Session, phone: str) -> datetime | None:
    """When the medication reminder this number last got went out, if it is fresh and not yet answered: a bare
    "yes" or "ok" after it says neither TAKEN nor SKIP, so it is asked about rather than guessed."""
    patient_id = patient_by_mobile(session, phone)
    if patient_id is None:
        return None
    row = _latest_sent(session, patient_id, ReminderKind.MEDICATION, MEDICATION_REPLY_WINDOW)
    if row is None or session.execute(select(AdherenceEntry.id).where(AdherenceEntry.outbox_id == row.id)).first():
        return None
    return row.sent_at
