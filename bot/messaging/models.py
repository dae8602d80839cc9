"""Tables of messaging: every text sent and received, and the SMS consent ledger."""

from __future__ import annotations

import enum

from sqlalchemy import Column, Index, Integer, String, Text

from bot.db import Base, UTCDateTime, utcnow, value_enum


class ConsentAction(str, enum.Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"


class ConsentEvent(Base):
    """Append-only SMS consent ledger, keyed by phone number (a STOP counts even from a stranger).

    The current state of a number is its latest event; no event means the patient's enrolment consent.
    """

    __tablename__ = "consent_events"

    id = Column(Integer, primary_key=True)
    phone = Column(String(20), nullable=False)
    action = Column(value_enum(ConsentAction, "consent_action"), nullable=False)
    source = Column(String(40), nullable=False)  # keyword, conversation, carrier_21610, staff
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("ix_consent_events_phone_id", "phone", "id"),)


class SmsMessage(Base):
    """Every text the provider accepted, with its delivery status (from status callbacks)."""

    __tablename__ = "sms_messages"

    id = Column(Integer, primary_key=True)
    sid = Column(String(64), nullable=False, unique=True)
    to_number = Column(String(20), nullable=False)
    # The reminder this text delivered, if any. The database holds the foreign key (migration 0002); the model
    # names no reminder table, so messaging loads without the reminder engine (the Rasa process never imports it).
    outbox_id = Column(Integer)
    status = Column(String(20), nullable=False, default="queued")
    error_code = Column(Integer)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class InboundMessage(Base):
    """Every inbound text, stored before Twilio is answered, so an acknowledged text is never lost.

    The MessageSid key makes a Twilio retry or a replay act once. Until `handled_at` the body is kept and the
    Rasa process handling it holds `lease_until`; a text whose lease ran out (its process died) is taken
    over by another. Once handled, the body is dropped: the conversation keeps what it needs."""

    __tablename__ = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_pending", "handled_at", "lease_until"),)

    message_sid = Column(String(64), primary_key=True)
    from_number = Column(String(20), nullable=False)
    received_at = Column(UTCDateTime, nullable=False, default=utcnow)
    body = Column(Text)
    lease_until = Column(UTCDateTime)
    handled_at = Column(UTCDateTime)


class SmsReply(Base):
    """One row per reply text to an inbound message, written before it is sent: a text handled again after
    a crash never sends the same reply twice (a send that may have gone out is not repeated)."""

    __tablename__ = "sms_replies"

    inbound_sid = Column(String(64), primary_key=True)
    seq = Column(Integer, primary_key=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
