"""Who is on the other end, before any appointment detail is shown or changed.

SMS: the sending number must be a patient's mobile and the date of birth must match; remembered for
`settings.verification_days`. Web chat: full name and date of birth, then a 6-digit code texted to the
mobile on file (stored only as an HMAC, valid 10 minutes).

Three failures within 15 minutes lock for 15 minutes. Over SMS they count per number (only a signed text
speaks for it); on the web they count twice: per conversation, and per patient claimed (a wrong code), from
whatever browser session, so nobody can guess codes session after session. At most three codes are texted
to a patient in 15 minutes, however many sessions ask. Every answer reads the same whether or not the person
exists, so only the conversation's own count is ever shown: while the patient is locked, nothing is texted
and every attempt for them fails like a wrong answer, exactly as it would for a claim that matches nobody.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clinic import load_profile
from bot.clock import duration_text
from bot.context import Context
from bot.conversations import Channel, channel_of, sms_number
from bot.db import utcnow
from bot.models import IdentityCheck, IdentityLockout, Patient
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_FAILURES = 3
LOCK_FOR = timedelta(minutes=15)
# Failures older than this are forgiven, so a patient's occasional typo never adds up to a lock-out.
FAILURE_WINDOW = timedelta(minutes=15)
CODE_VALID_FOR = timedelta(minutes=10)
# Asking for a code needs only a name and a birth date: without a limit, anyone knowing them could have the
# patient texted over and over.
MAX_CODES = 3
CODE_WINDOW = timedelta(minutes=15)
# A browser may be shared, so a web verification lasts one sitting rather than the SMS number's 30 days.
WEB_VERIFIED_FOR = timedelta(hours=1)


# Both keep `failures`, `first_failure_at` and `locked_until`, counted the same way.
Counter = IdentityCheck | IdentityLockout
T = TypeVar("T", IdentityCheck, IdentityLockout)


class Outcome(str, enum.Enum):
    VERIFIED = "verified"
    RETRY = "retry"
    LOCKED = "locked"
    CODE_SENT = "code_sent"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    message: str
    patient_id: int | None = None
    # (mobile, code): a code to text once the transaction that stored its hash has committed.
    code_to_send: tuple[str, str] | None = None


def verified_patient(session: Session, conversation_id: str, now: datetime | None = None) -> int | None:
    """The patient this conversation has proven to be, if the proof is still valid.

    A proof is kept per conversation id, and ids never cross channels (`bot.conversations`): a proof made
    over SMS, in a web chat session or by an integration holds only there."""
    check = session.get(IdentityCheck, conversation_id)
    now = now or utcnow()
    if check is None or check.patient_id is None or check.verified_until is None or check.verified_until <= now:
        return None
    if channel_of(conversation_id) is Channel.SMS:
        # A number can change hands: the proof holds only while it is still this patient's mobile.
        patient = session.get(Patient, check.patient_id)
        if patient is None or patient.mobile != conversation_id:
            return None
    return check.patient_id


def verify_sms(
    session: Session, settings: Settings, conversation_id: str, dob: date, now: datetime | None = None
) -> Result:
    """The sender of a signed text proves who they are with their date of birth.

    Only the SMS conversation (the number itself, reachable only with Twilio's signature) counts failures
    against the number: no web chat or integration caller can lock a patient out of their texts."""
    phone = sms_number(conversation_id)
    if phone is None:
        raise ValueError("verify_sms needs an SMS conversation")
    now = now or utcnow()
    check = _check(session, phone)
    if _is_locked(check, now):
        return _lock_result(settings)
    patient = session.execute(select(Patient).where(Patient.mobile == phone)).scalars().first()
    if patient is None or patient.date_of_birth != dob:
        return _fail(
            check, None, now, settings, "Sorry, I couldn't verify that. Please check the date of birth and try again."
        )
    check.patient_id = patient.id
    _forgive(check)
    check.verified_until = now + timedelta(days=settings.verification_days)
    return Result(Outcome.VERIFIED, "Thanks, you're verified.", patient.id)


def start_web(
    session: Session, settings: Settings, conversation_id: str, full_name: str, dob: date, now: datetime | None = None
) -> Result:
    """Text a one-time code to the matching patient's mobile; the answer is the same when nobody matches."""
    now = now or utcnow()
    check = _check(session, conversation_id)
    if _is_locked(check, now):
        return _lock_result(settings)
    patient = _find_by_name(session, full_name, dob)
    claimed = patient if patient is not None and patient.mobile else None
    # A locked patient, or one texted enough codes for now, is not texted: the claim then goes on exactly
    # like one that matches nobody.
    guard = _lockout(session, claimed.id) if claimed else None
    texting = guard is not None and not _is_locked(guard, now) and _take_code(guard, now)
    code = f"{secrets.randbelow(10**6):06d}"
    check.patient_id = claimed.id if claimed else None
    check.code_hash = _hash(settings, conversation_id, code) if texting else None
    check.code_expires_at = now + CODE_VALID_FOR
    check.verified_until = None
    return Result(
        Outcome.CODE_SENT,
        # The form's own question asks for the code next (utter_ask_verify_code); asked here too, it came twice.
        "Thanks. If those details match our records, we've just texted a 6-digit code to the mobile number we "
        "have on file.",
        code_to_send=(claimed.mobile, code) if claimed is not None and texting else None,
    )


def check_code(
    session: Session, settings: Settings, conversation_id: str, code: str, now: datetime | None = None
) -> Result:
    now = now or utcnow()
    check = _check(session, conversation_id)
    if _is_locked(check, now):
        return _lock_result(settings)
    if check.code_expires_at is None or check.code_expires_at <= now:
        check.code_hash = None
        return Result(Outcome.EXPIRED, "That code has expired. Let's start again.")
    guard = _lockout(session, check.patient_id) if check.patient_id else None
    digits = re.sub(r"\D", "", code)
    matches = bool(check.code_hash) and hmac.compare_digest(check.code_hash, _hash(settings, conversation_id, digits))
    if matches and not _is_locked(guard, now):
        check.code_hash = None
        _forgive(check, guard)
        check.verified_until = now + WEB_VERIFIED_FOR
        return Result(Outcome.VERIFIED, "Thanks, you're verified.", check.patient_id)
    # Said to everyone, matched or not: a mistyped birth date sends no text, and this is the way back.
    return _fail(check, guard, now, settings, "That code didn't work. Please check the text message and type the 6 "
                 "digits again. If no text came, type your date of birth again.")


def give_up_code(session: Session, settings: Settings, conversation_id: str, now: datetime | None = None) -> Result:
    """A web patient at the code step goes back to the birth date (it was mistyped, or no code came).

    The code is given up and that counts as a failed attempt of the conversation, so going back is bounded like
    wrong codes; RETRY means the birth date may be given again. The answer is the same whoever was claimed."""
    now = now or utcnow()
    check = _check(session, conversation_id)
    if _is_locked(check, now):
        return _lock_result(settings)
    check.code_hash, check.code_expires_at = None, None
    return _fail(check, None, now, settings, "No problem, let's go back to your date of birth.")


def lock_message(session: Session, settings: Settings, conversation_id: str, now: datetime | None = None) -> str | None:
    """What the conversation is told at the start while its own check is locked (a patient's lock is never told)."""
    check = session.get(IdentityCheck, conversation_id)
    return _lock_result(settings).message if _is_locked(check, now or utcnow()) else None


def _check(session: Session, conversation_id: str) -> IdentityCheck:
    return _for_update(session, IdentityCheck(conversation_id=conversation_id, failures=0))


def _lockout(session: Session, patient_id: int) -> IdentityLockout:
    return _for_update(session, IdentityLockout(patient_id=patient_id, failures=0))


def _for_update(session: Session, fresh: T) -> T:
    """The stored row with `fresh`'s key, locked until the transaction ends; `fresh` is stored when there is none.

    The row lock makes attempts from concurrent conversations take turns, so none of their failures is lost.
    """
    model = type(fresh)
    key = tuple(inspect(model).primary_key_from_instance(fresh))
    stored = session.get(model, key, with_for_update=True, populate_existing=True)
    if stored is not None:
        return stored
    try:
        with session.begin_nested():
            session.add(fresh)
    except IntegrityError:  # another transaction stored it first: wait for its lock and use its row
        return session.get(model, key, with_for_update=True, populate_existing=True)
    return fresh


def _is_locked(counter: Counter | None, now: datetime) -> bool:
    return counter is not None and counter.locked_until is not None and counter.locked_until > now


def _lock_result(settings: Settings) -> Result:
    phone = load_profile(settings.clinic_profile).phone
    return Result(
        Outcome.LOCKED,
        f"For your security, verification is paused for {duration_text(LOCK_FOR)} after too many attempts. "
        f"You can also call us at {phone}.",
    )


def _fail(
    check: IdentityCheck, guard: IdentityLockout | None, now: datetime, settings: Settings, message: str
) -> Result:
    """Count a failure against the conversation and the patient claimed; the answer depends on the conversation alone.

    A patient already locked is not counted again: someone else's guesses must not keep them locked for ever.
    """
    if guard is not None and not _is_locked(guard, now):
        _count_failure(guard, now)
    if _count_failure(check, now):
        check.code_hash = None
        return _lock_result(settings)
    return Result(Outcome.RETRY, message)


def _count_failure(counter: Counter, now: datetime) -> bool:
    """One more failure within the window; True when it is the one that locks."""
    if counter.first_failure_at is None or now - counter.first_failure_at >= FAILURE_WINDOW:
        counter.failures, counter.first_failure_at = 0, now
    counter.failures += 1
    if counter.failures < MAX_FAILURES:
        return False
    counter.failures, counter.first_failure_at, counter.locked_until = 0, None, now + LOCK_FOR
    return True


def _take_code(guard: IdentityLockout, now: datetime) -> bool:
    """Whether one more code may be texted to the patient in this window, counting it when it may."""
    if guard.first_code_at is None or now - guard.first_code_at >= CODE_WINDOW:
        guard.codes_sent, guard.first_code_at = 0, now
    if guard.codes_sent >= MAX_CODES:
        return False
    guard.codes_sent += 1
    return True


def _forgive(*counters: Counter | None) -> None:
    for counter in counters:
        if counter is not None:
            counter.failures, counter.first_failure_at = 0, None


def _find_by_name(session: Session, full_name: str, dob: date) -> Patient | None:
    words = re.sub(r"[^a-z' \-]", " ", full_name.lower()).split()
    if len(words) < 2:
        return None
    return (
        session.execute(
            select(Patient).where(
                func.lower(Patient.first_name) == words[0],
                func.lower(Patient.last_name) == words[-1],
                Patient.date_of_birth == dob,
            )
        )
        .scalars()
        .first()
    )


def _hash(settings: Settings, conversation_id: str, code: str) -> str:
    return hmac.new(settings.secret_key.encode(), f"{conversation_id}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(context: Context, result: Result) -> None:
    """Text the code `start_web` produced; called after its transaction commits, so no lock is held
    during the network call and a code is never sent whose hash was rolled back."""
    if result.code_to_send is None:
        return
    mobile, code = result.code_to_send
    name = context.profile.short_name
    body = (
        f"{name}: your verification code is {code}. It expires in {duration_text(CODE_VALID_FOR)}. "
        "If you didn't ask for it, ignore this text."
    )
    sent = context.gateway.send(mobile, body)
    if not sent.accepted:
        log.warning("identity code not accepted by the SMS gateway: %s %s", sent.status.value, sent.error_code)
