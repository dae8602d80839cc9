"""Patients as staff find and read them: search by name, phone or date of birth; one patient's appointments,
consent state and medication plans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.messaging import consent
from bot.models import Appointment, Patient
from bot.reminders import plans
from bot.reminders.models import MedicationPlan


def search(session: Session, text: str, limit: int = 50) -> list[Patient]:
    """Patients by name, phone digits or date of birth (2027-03-14 or 03/14/2027)."""
    text = text.strip()[:100]
    if not text:
        return []
    query = select(Patient)
    born = _date_of_birth(text)
    digits = re.sub(r"\D", "", text)
    if born is not None:
        query = query.where(Patient.date_of_birth == born)
    elif len(digits) >= 4 and len(digits) >= len(text.replace(" ", "")) - 4:
        query = query.where(Patient.mobile.like(f"%{digits}%"))
    else:
        like = f"%{text.lower()}%"
        query = query.where(
            or_(
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                func.lower(Patient.last_name).like(like),
            )
        )
    return list(session.execute(query.order_by(Patient.last_name, Patient.first_name).limit(limit)).scalars())


def _date_of_birth(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class PatientView:
    patient: Patient
    opted_out: bool
    appointments: list[Appointment]
    plans: list[MedicationPlan]

    @property
    def can_text(self) -> bool:
        return bool(self.patient.mobile) and self.patient.sms_consent and not self.opted_out


def patient_view(session: Session, patient_id: int) -> PatientView | None:
    patient = session.get(Patient, patient_id)
    if patient is None:
        return None
    appointments = list(
        session.execute(
            select(Appointment)
            .where(Appointment.patient_id == patient_id, Appointment.starts_at >= utcnow() - timedelta(days=90))
            .order_by(Appointment.starts_at)
            .limit(30)
        ).scalars()
    )
    opted_out = bool(patient.mobile) and consent.is_opted_out(session, patient.mobile)
    return PatientView(patient, opted_out, appointments, plans.plans_of(session, patient_id, include_stopped=True))
