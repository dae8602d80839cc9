"""SMS consent: the carrier keywords and the append-only ledger (latest event per number wins).

Keywords are exact single words in any case with surrounding spaces (CTIA); free-text revocations
("please stop texting me") arrive through the `opt_out` intent and land in the same ledger.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.messaging.models import ConsentAction, ConsentEvent

OPT_OUT_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})
# "stop." and "STOP ALL" are the keyword too: an opt-out is honoured in any reasonable form (FCC 24-24), and
# reading these as STOP can only stop texts sooner.
_STOP_SAID_SO = re.compile(r"\W*stop\W*(all)?[\s.!]*", re.I)


class Keyword(str, enum.Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


def keyword_of(text: str) -> Keyword | None:
    word = text.strip().upper()
    if _STOP_SAID_SO.fullmatch(text):
        word = "STOP"
    if word in OPT_OUT_KEYWORDS:
        return Keyword.OPT_OUT
    if word in OPT_IN_KEYWORDS:
        return Keyword.OPT_IN
    if word in HELP_KEYWORDS:
        return Keyword.HELP
    return None


def is_opted_out(session: Session, phone: str) -> bool:
    latest = session.execute(
        select(ConsentEvent.action).where(ConsentEvent.phone == phone).order_by(ConsentEvent.id.desc()).limit(1)
    ).scalar()
    return latest is ConsentAction.OPT_OUT


def opted_out_among(session: Session, phones: Iterable[str]) -> set[str]:
    """The numbers among `phones` whose latest consent event is an opt-out (one query for a batch)."""
    phones = list(set(phones))
    if not phones:
        return set()
    latest = (
        select(func.max(ConsentEvent.id)).where(ConsentEvent.phone.in_(phones)).group_by(ConsentEvent.phone)
    ).scalar_subquery()
    rows = session.execute(
        select(ConsentEvent.phone).where(ConsentEvent.id.in_(latest), ConsentEvent.action == ConsentAction.OPT_OUT)
    )
    return {phone for (phone,) in rows}


def record(session: Session, phone: str, action: ConsentAction, source: str) -> bool:
    """Append an event when it changes the number's state; True when it did."""
    if is_opted_out(session, phone) == (action is ConsentAction.OPT_OUT):
        return False
    session.add(ConsentEvent(phone=phone, action=action, source=source))
    session.flush()
    return True


def opt_out_text(profile: ClinicProfile, keyword: str = "STOP") -> str:
    said = (
        f"{profile.short_name}: You are unsubscribed and will receive no more texts from us. "
        "Reply START to resubscribe."
    )
    if keyword.strip().upper() == "CANCEL":
        # CANCEL is a carrier opt-out word, yet a patient answering an appointment reminder means the visit.
        return f"{said} This did not cancel any appointment: to cancel one, call us at {profile.phone}."
    return f"{said} Questions: {profile.phone}"


def opt_in_text(profile: ClinicProfile) -> str:
    return (
        f"{profile.short_name}: You are subscribed to appointment and medication reminders again. "
        f"Reply HELP for help, STOP to opt out."
    )


def help_text(profile: ClinicProfile) -> str:
    return (
        f"{profile.short_name} reminders and assistant. Call {profile.phone} or email {profile.email}. "
        f"Reply STOP to opt out. Msg&data rates may apply."
    )


def handle_keyword(session: Session, phone: str, text: str, profile: ClinicProfile) -> tuple[bool, str | None]:
    """Apply a carrier keyword. Returns (was it a keyword, the one reply to send or None).

    YES opts back in only from an opted-out number; otherwise it is an ordinary "yes" for the conversation.
    A repeated STOP changes nothing and sends nothing: an opted-out number gets one confirmation, no more.
    """
    keyword = keyword_of(text)
    if keyword is Keyword.HELP:
        return True, help_text(profile)
    if keyword is Keyword.OPT_OUT:
        recorded = record(session, phone, ConsentAction.OPT_OUT, "keyword")
        return True, opt_out_text(profile, text) if recorded else None
    if keyword is Keyword.OPT_IN:
        if text.strip().upper() == "YES" and not is_opted_out(session, phone):
            return False, None
        record(session, phone, ConsentAction.OPT_IN, "keyword")
        return True, opt_in_text(profile)
    return False, None


def current_opt_outs(session: Session) -> list[ConsentEvent]:
    """Each number whose latest consent event is an opt-out, with that event (for staff)."""
    latest = select(func.max(ConsentEvent.id)).group_by(ConsentEvent.phone).scalar_subquery()
    return list(
        session.execute(
            select(ConsentEvent)
            .where(ConsentEvent.id.in_(latest), ConsentEvent.action == ConsentAction.OPT_OUT)
            .order_by(ConsentEvent.created_at.desc())
        ).scalars()
    )
