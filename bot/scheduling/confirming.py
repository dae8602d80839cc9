"""Confirming an appointment: only on an explicit yes to a question that named it.

A reply to a fresh appointment reminder names it (the reminder did); otherwise the patient is first asked
about the appointment meant (the one their words describe: "my appointment with Dr Bennett"), and only a
yes to that question confirms. Words that describe none of their appointments, or several, are answered
with the list, never with a guess. Words about not making it ("I won't be able to come") never confirm:
the patient is asked whether to move or cancel instead.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.scheduling import booking
from bot.scheduling.choices import described_appointments

# "I can't make it", "won't be coming": never a confirmation, whatever the classifier says.
CANNOT = re.compile(
    r"\b(can ?not|can'?t|cant|won'?t|wont|will not|shan'?t|shall not|unable|not able|couldn'?t"
    r"|not (be )?coming|not gonna|not going to|"
    r"no longer|not make it|not be there|wo n't)\b",
    re.I,
)


# "I'll be there", "yes, but I'll be late", "see you then": the patient will come, in so many words. Said to a fresh
# reminder that asked "Reply 1 to confirm", that is their yes to it (the reminder named the appointment).
_COMING = re.compile(
    r"^\W*(yes|yeah|yep|yup)\b"
    r"|\b(i'?ll|ill|i will|we'?ll|we will|will|i'?m|im|i am|we'?re|we are)\s+(still |definitely |def )?"
    r"(be there|be coming|coming|come|make it)\b"
    r"|\bstill coming\b|\bsee (you|u|ya) (then|there)\b",
    re.I,
)
# ... unless hedged before it in its clause ("maybe I'll make it", "I'll try to be there") or made conditional
# ("I'll be there if the bus comes"): no yes, only the late note.
_HEDGE = re.compile(r"\b(maybe|might|may|hope|hopefully|try|trying|probably|possibly|perhaps|not sure|unsure)\b", re.I)
_CONDITION = re.compile(r"\b(if|unless|as long as|depending)\b", re.I)
_CLAUSE = re.compile(r"[,;.!?]|\b(but|and|though|although)\b", re.I)


def says_coming(text: str) -> bool:
    """Whether the words say the patient will come to the appointment, with no "can't", hedge or condition."""
    words = text or ""
    said = _COMING.search(words)
    if said is None or CANNOT.search(words) or words.rstrip().endswith("?"):
        return False
    breaks = [m.end() for m in _CLAUSE.finditer(words, 0, said.start())]
    clause_end = _CLAUSE.search(words, said.end())
    before = words[breaks[-1] if breaks else 0: said.start()]
    after = words[said.end(): clause_end.start() if clause_end else len(words)]
    return not (_HEDGE.search(before) or _CONDITION.search(before + after))


class Confirmation(str, enum.Enum):
    ASK = "ask"  # name the appointment and ask for a yes
    CONFIRMED = "confirmed"
    CANNOT_MAKE_IT = "cannot_make_it"  # ask whether to move or cancel it
    NOT_FOUND = "not_found"  # the words describe none of the patient's appointments: say so, list them
    WHICH = "which"  # the words fit several: list those and ask which


@dataclass(frozen=True)
class ConfirmResult:
    outcome: Confirmation
    appointment: booking.Booked
    listed: tuple[booking.Booked, ...] = ()  # NOT_FOUND and WHICH: the appointments to choose among
    unmatched: bool = False  # ASK: the words described another appointment, and this is the only one


def confirm_request(session: Session, patient_id: int, request: str, asked_id: int | None, answers_reminder: bool,
                    actor: str, zone: ZoneInfo, now: datetime | None = None) -> ConfirmResult:
    """What a request to confirm does. `asked_id`: the appointment the patient was just asked to confirm (their
    request is the yes to it); `answers_reminder`: the request answers a fresh reminder. NoAppointment when
    nothing is upcoming."""
    appointment = booking.upcoming_appointment(session, patient_id, asked_id) if asked_id is not None else None
    # A yes counts only for the appointment it answered: one cancelled or past meanwhile is asked about anew.
    answers_question = appointment is not None
    unmatched = False
    if appointment is None and not answers_reminder:
        coming = booking.upcoming(session, patient_id, now)
        fitting = described_appointments(request, coming, zone, (now or utcnow()).astimezone(zone).date())
        unmatched = fitting == [] and len(coming) == 1  # the only one is named and asked about, not listed
        # "not coming wed", "cant make it tomorrow": never a list of what to confirm. The one described (the
        # soonest of several), else the reminded or next one, is named and asked about: move or cancel it?
        if fitting is not None and len(fitting) != 1 and not unmatched and coming and not CANNOT.search(request):
            outcome = Confirmation.NOT_FOUND if not fitting else Confirmation.WHICH
            return ConfirmResult(outcome, coming[0], tuple(fitting or coming))
        appointment = fitting[0] if fitting else None
    appointment = appointment or booking.target_appointment(session, patient_id, now)
    if CANNOT.search(request):
        return ConfirmResult(Confirmation.CANNOT_MAKE_IT, appointment)
    if not (answers_reminder or answers_question):
        return ConfirmResult(Confirmation.ASK, appointment, unmatched=unmatched)
    confirmed = booking.confirm(session, patient_id, appointment.appointment_id, actor)
    return ConfirmResult(Confirmation.CONFIRMED, confirmed)
