"""Confirming an appointment: only on an explicit yes to a question that named it.

A reply to a fresh appointment reminder names it (the reminder did); otherwise the patient is first asked
about the appointment meant, and only a yes to that question confirms. Words about not making it ("I won't
be able to come") never confirm: the patient is asked whether to move or cancel instead.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.dialogue.offers import CANNOT
from bot.scheduling import booking


class Confirmation(str, enum.Enum):
    ASK = "ask"  # name the appointment and ask for a yes
    CONFIRMED = "confirmed"
    CANNOT_MAKE_IT = "cannot_make_it"  # ask whether to move or cancel it


@dataclass(frozen=True)
class ConfirmResult:
    outcome: Confirmation
    appointment: booking.Booked


def confirm_request(session: Session, patient_id: int, request: str, asked_id: int | None, answers_reminder: bool,
                    actor: str) -> ConfirmResult:
    """What a request to confirm does. `asked_id`: the appointment the patient was just asked to confirm (their
    request is the yes to it); `answers_reminder`: the request answers a fresh reminder. NoAppointment when
    nothing is upcoming."""
    appointment = booking.upcoming_appointment(session, patient_id, asked_id) if asked_id is not None else None
    appointment = appointment or booking.target_appointment(session, patient_id)
    if CANNOT.search(request):
        return ConfirmResult(Confirmation.CANNOT_MAKE_IT, appointment)
    if not (answers_reminder or asked_id is not None):
        return ConfirmResult(Confirmation.ASK, appointment)
    confirmed = booking.confirm(session, patient_id, appointment.appointment_id, actor)
    return ConfirmResult(Confirmation.CONFIRMED, confirmed)
