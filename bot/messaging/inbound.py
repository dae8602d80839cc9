"""Plain-Python support for the SMS channel: the durable inbound store, replay protection, delivery
status, reply splitting.

An inbound text is stored (`receive`) in the same transaction that decides what it is, before Twilio gets its
200. Keywords and picture-only messages are settled there and then; a text for the assistant is leased to the
receiving process, handled, and `finish`ed. If that process dies, the lease runs out and `claim_stale` hands
the text to a live one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.messaging import consent
from bot.messaging.gateway import OPTED_OUT_CODE
from bot.messaging.models import ConsentAction, InboundMessage, SmsMessage, SmsReply

# Two GSM-7 segments: long enough for an answer, short enough to arrive as one readable text.
SMS_PART_LIMIT = 320

# Twilio's message statuses in the order they happen; a callback never moves a message backwards.
STATUS_RANK = {
    "accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2,
    "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3, "read": 4,
}  # fmt: skip


class Disposition(str, enum.Enum):
    DUPLICATE = "duplicate"  # a Twilio retry or a replay: already stored, nothing more to do
    SETTLED = "settled"  # a keyword or a picture-only message: answered here, if at all
    FOR_ASSISTANT = "for_assistant"  # stored and leased: hand it to the assistant


@dataclass(frozen=True)
class Receipt:
    disposition: Disposition
    reply: str | None = None
    # A carrier STOP (first or repeated): the conversation's half-done request ends too.
    opted_out: bool = False


@dataclass(frozen=True)
class Inbound:
    sid: str
    phone: str
    body: str


def media_only_text(profile: ClinicProfile) -> str:
    return (
        f"{profile.short_name}: Sorry, I can only read text, not pictures or files. Please type your message, "
        f"or call us at {profile.phone}."
    )


def receive(
    session: Session, sid: str, phone: str, body: str, profile: ClinicProfile, now: datetime, lease_until: datetime
) -> Receipt:
    """Store one inbound text and decide what it is; the caller acknowledges Twilio only after this commits."""
    try:
        with session.begin_nested():
            session.add(InboundMessage(message_sid=sid, from_number=phone, received_at=now))
            session.flush()
    except IntegrityError:
        return Receipt(Disposition.DUPLICATE)
    row = session.get(InboundMessage, sid)
    handled, reply = consent.handle_keyword(session, phone, body, profile)
    if handled or not body.strip():
        row.handled_at = now
        opted_out = consent.keyword_of(body) is consent.Keyword.OPT_OUT
        return Receipt(Disposition.SETTLED, reply if handled else media_only_text(profile), opted_out)
    row.body, row.lease_until = body, lease_until
    return Receipt(Disposition.FOR_ASSISTANT)


def claim_stale(session: Session, now: datetime, lease_until: datetime, limit: int = 20) -> list[Inbound]:
    """Texts whose handler's lease ran out, oldest first, each now leased to the caller.

    The compare-and-set on the old lease lets only one of several processes take a text over."""
    rows = session.execute(
        select(InboundMessage.message_sid, InboundMessage.from_number, InboundMessage.body, InboundMessage.lease_until)
        .where(InboundMessage.handled_at.is_(None), InboundMessage.lease_until < now)
        .order_by(InboundMessage.received_at)
        .limit(limit)
    ).all()
    claimed = []
    for sid, phone, body, old_lease in rows:
        taken = session.execute(
            update(InboundMessage)
            .where(
                InboundMessage.message_sid == sid,
                InboundMessage.handled_at.is_(None),
                InboundMessage.lease_until == old_lease,
            )
            .values(lease_until=lease_until)
        ).rowcount
        if taken == 1:
            claimed.append(Inbound(sid, phone, body or ""))
    return claimed


def renew(session: Session, sid: str, lease_until: datetime) -> None:
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_sid == sid, InboundMessage.handled_at.is_(None))
        .values(lease_until=lease_until)
    )


def finish(session: Session, sid: str, now: datetime) -> None:
    """The text is handled: it leaves the queue and its body is dropped (the conversation holds it)."""
    session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_sid == sid)
        .values(handled_at=now, body=None, lease_until=None)
    )


def reserve_reply(session: Session, inbound_sid: str, seq: int) -> bool:
    """Claim the `seq`th reply to a text before sending it; False when it was claimed before (sent, or perhaps
    sent, by a process that then died): such a reply is not sent again."""
    try:
        with session.begin_nested():
            session.add(SmsReply(inbound_sid=inbound_sid, seq=seq))
            session.flush()
    except IntegrityError:
        return False
    return True


def record_outbound(session: Session, sid: str, to: str) -> None:
    if session.execute(select(SmsMessage.id).where(SmsMessage.sid == sid)).scalar() is None:
        session.add(SmsMessage(sid=sid, to_number=to, status="queued"))


def apply_status(session: Session, sid: str, to: str, status: str, error_code: int | None) -> bool:
    """Apply a delivery-status callback; True when it moved the message forward."""
    status = status.lower()
    message = session.execute(select(SmsMessage).where(SmsMessage.sid == sid)).scalar()
    if message is None:
        message = SmsMessage(sid=sid, to_number=to, status=status, error_code=error_code)
        session.add(message)
    elif STATUS_RANK.get(status, -1) > STATUS_RANK.get(message.status, -1):
        message.status, message.error_code = status, error_code or message.error_code
    else:
        return False
    if error_code == OPTED_OUT_CODE:
        consent.record(session, to, ConsentAction.OPT_OUT, "carrier_21610")
    session.flush()
    return True


_CHOICE_LINE = re.compile(r"\s*\d\)\s")


def _choices_kept_together(lines: list[str]) -> list[str]:
    """A numbered list ("1) ...", "2) ...") as one piece: a "2) Book a visit" arriving alone answers nothing."""
    pieces: list[str] = []
    for line in lines:
        if pieces and _CHOICE_LINE.match(line) and _CHOICE_LINE.match(pieces[-1].rsplit("\n", 1)[-1]):
            pieces[-1] += "\n" + line
        else:
            pieces.append(line)
    return pieces


def split_text(text: str, limit: int = SMS_PART_LIMIT) -> list[str]:
    """Split a long reply into texts of at most `limit` characters, preferring paragraph, then line,
    then sentence, then word boundaries; a word longer than a text is cut only as a last resort."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "):
        pieces = _choices_kept_together(text.split(separator)) if separator == "\n" else text.split(separator)
        if len(pieces) == 1:
            continue
        suffix, joiner = separator.strip(), (separator if not separator.strip() else " ")
        pieces = [p + suffix for p in pieces[:-1]] + [pieces[-1]]
        parts: list[str] = []
        current = ""
        for piece in (p.strip() for p in pieces):
            if not piece:
                continue
            if len(piece) > limit:
                parts += [current] if current else []
                parts += split_text(piece, limit)
                current = ""
            elif current and len(current) + len(joiner) + len(piece) > limit:
                parts.append(current)
                current = piece
            else:
                current = f"{current}{joiner}{piece}" if current else piece
        return parts + ([current] if current else [])
    return [text[i : i + limit] for i in range(0, len(text), limit)]
