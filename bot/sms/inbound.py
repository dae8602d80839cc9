"""Plain-Python support for the SMS channel: replay protection, delivery status, reply splitting."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import consent
from bot.models import ConsentAction
from bot.reminders.models import InboundMessage, SmsMessage
from bot.sms.gateway import OPTED_OUT_CODE

# Two GSM-7 segments: long enough for an answer, short enough to arrive as one readable text.
SMS_PART_LIMIT = 320

# Twilio's message statuses in the order they happen; a callback never moves a message backwards.
STATUS_RANK = {
    "accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2,
    "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3, "read": 4,
}  # fmt: skip


def first_time_seen(session: Session, message_sid: str, phone: str) -> bool:
    """Record an inbound MessageSid; False when it was already processed (a Twilio retry or a replay)."""
    try:
        with session.begin_nested():
            session.add(InboundMessage(message_sid=message_sid, from_number=phone))
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


def split_text(text: str, limit: int = SMS_PART_LIMIT) -> list[str]:
    """Split a long reply into texts of at most `limit` characters, preferring paragraph, then line,
    then sentence, then word boundaries; a word longer than a text is cut only as a last resort."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "):
        pieces = text.split(separator)
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
