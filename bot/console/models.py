"""Tables of the staff console: accounts, their sessions, the audit log and the inbox's own state.

Inbox items are the existing hand-off requests, refill requests and safety events; `inbox_threads` adds
only what staff do with one (who holds it, since when, closed) and `inbox_entries` their replies and notes.
Every table that two staff may edit at once carries a `version` checked on write.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from bot.db import Base, UTCDateTime, utcnow
from bot.reminders.models import ReminderOutbox

ROLES = ("admin", "frontdesk")


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    role = Column(String(20), nullable=False)  # admin, frontdesk
    password_hash = Column(String(200), nullable=False)
    # A password an operator handed over (or the first admin's): the holder must choose their own.
    must_change_password = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    version = Column(Integer, nullable=False, default=1)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)
    staff_id = Column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)


class AuditEntry(Base):
    """One staff action: who, what, on which record, the state before and after (JSON), when."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    actor = Column(String(80), nullable=False, index=True)
    action = Column(String(60), nullable=False)
    target = Column(String(120), nullable=False)
    before = Column(Text)
    after = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class InboxThread(Base):
    __tablename__ = "inbox_threads"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)  # handoff, refill, safety
    source_id = Column(Integer, nullable=False)
    conversation_id = Column(String(128))
    claimed_by = Column(String(80))
    claimed_at = Column(UTCDateTime)
    closed_by = Column(String(80))
    closed_at = Column(UTCDateTime)
    version = Column(Integer, nullable=False)

    __table_args__ = (UniqueConstraint("kind", "source_id", name="uq_inbox_thread_source"),)
    # Every UPDATE says `WHERE version = <the version read>` and bumps it: a concurrent change fails, not wins.
    __mapper_args__ = {"version_id_col": version}


class CrisisCheck(Base):
    """How far a held (paused) conversation was read for emergencies: the last tracker event id checked.
    Its own table, so the watcher never bumps the thread's version under a staff member's open form."""

    __tablename__ = "inbox_crisis_checks"

    thread_id = Column(ForeignKey("inbox_threads.id", ondelete="CASCADE"), primary_key=True)
    last_event_id = Column(Integer, nullable=False)


class InboxEntry(Base):
    """A staff reply to the patient (`reply`, with how it went out) or an internal note (`note`)."""

    __tablename__ = "inbox_entries"

    id = Column(Integer, primary_key=True)
    thread_id = Column(ForeignKey("inbox_threads.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(80), nullable=False)
    kind = Column(String(10), nullable=False)  # reply, note
    body = Column(Text, nullable=False)
    delivery = Column(String(60))  # for replies: "sms SM..." or "webchat" or why it did not go out
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


# The deliveries page lists the outbox newest first and filters it by date: without an index on the due time
# alone, 100,000 rows are sorted for every page. Declared here, next to its only reader.
Index("ix_outbox_due_at", ReminderOutbox.due_at)


__all__ = ["AuditEntry", "CrisisCheck", "InboxEntry", "InboxThread", "ROLES", "StaffAccount", "StaffSession"]
