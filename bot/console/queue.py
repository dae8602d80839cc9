"""The staff inbox's queue: hand-off requests, refill requests and crisis events read as one list of items.

The items are the existing rows of `handoff_requests`, `refill_requests` and `safety_events`; what staff did
with one (held by whom, closed) is its `InboxThread`. Changes are in `bot.console.inbox`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import null, select, tuple_
from sqlalchemy.orm import Session

from bot.console.models import InboxEntry, InboxThread
from bot.db import utcnow
from bot.models import HandoffRequest, IdentityCheck, Patient, SafetyEvent
from bot.reminders.models import RefillRequest

KINDS = ("handoff", "refill", "safety")
HANDOFF_REASONS = {
    "asked": "asked for a person",
    "fallback": "the assistant did not understand",
    "medical_advice": "medical question",
    "refill": "refill",
    "running_late": "running late for their visit",
    "spanish": "wrote in Spanish",
    "someone_elses_texts": "asked about someone else's texts",
}


class InboxError(ValueError):
    """Shown to the staff member next to the form; nothing was changed."""


@dataclass(frozen=True)
class Item:
    kind: str
    source_id: int
    conversation_id: str | None
    channel: str
    reason: str
    created_at: datetime
    open: bool
    patient_id: int | None = None
    patient_name: str | None = None
    patient_mobile: str | None = None
    claimed_by: str | None = None
    version: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.source_id}"

    def waiting(self, now: datetime) -> timedelta:
        return now - self.created_at

    @property
    def sms_number(self) -> str | None:
        """Where a text reaches this patient: the SMS conversation itself, else a refill's patient's mobile."""
        if self.channel == "sms" and self.conversation_id and self.conversation_id.startswith("+"):
            return self.conversation_id
        return self.patient_mobile if self.kind == "refill" else None


def parse_key(key: str) -> tuple[str, int]:
    kind, _, number = key.partition("-")
    if kind not in KINDS or not number.isdigit() or len(number) > 12:
        raise InboxError("There is no such inbox item.")
    return kind, int(number)


SOURCES: dict[str, Any] = {"handoff": HandoffRequest, "refill": RefillRequest, "safety": SafetyEvent}


def _rows(session: Session, kind: str, open_only: bool, source_id: int | None = None, limit: int = 200) -> list:
    """(source row, patient or None) pairs."""
    model = SOURCES[kind]
    if kind == "safety":  # a crisis event names no patient; a verified conversation may (below)
        query = select(model, null())
        is_open = model.acknowledged.is_(False)
    else:
        query = select(model, Patient).outerjoin(Patient, Patient.id == model.patient_id)
        is_open = model.status == "open"
    if source_id is not None:
        query = query.where(model.id == source_id)
    else:
        query = query.where(is_open if open_only else ~is_open)
    order = model.created_at.asc() if open_only else model.created_at.desc()
    return session.execute(query.order_by(order).limit(limit)).all()


def _item(kind: str, row: Any, patient: Patient | None, thread: InboxThread | None) -> Item:
    if kind == "refill":
        conversation = patient.mobile if patient is not None and row.channel == "sms" else None
        reason, is_open = f"refill: {row.medication or 'medication not named'}", row.status == "open"
    elif kind == "safety":
        conversation, reason, is_open = row.conversation_id, f"crisis: {row.category}", not row.acknowledged
    else:
        conversation, is_open = row.conversation_id, row.status == "open"
        reason = HANDOFF_REASONS.get(row.reason, row.reason)
    return Item(
        kind=kind,
        source_id=row.id,
        conversation_id=conversation,
        channel=row.channel,
        reason=reason,
        created_at=row.created_at,
        open=is_open,
        patient_id=patient.id if patient else None,
        patient_name=patient.full_name if patient else None,
        patient_mobile=patient.mobile if patient else None,
        claimed_by=thread.claimed_by if thread and is_open else None,
        version=thread.version if thread else 0,
    )


def _with_verified_patients(session: Session, items: list[Item]) -> list[Item]:
    """Conversations that proved who they are name the patient, though the request itself did not."""
    unknown = {i.conversation_id for i in items if i.patient_id is None and i.conversation_id}
    if not unknown:
        return items
    found = dict(
        session.execute(
            select(IdentityCheck.conversation_id, Patient)
            .join(Patient, Patient.id == IdentityCheck.patient_id)
            .where(IdentityCheck.conversation_id.in_(unknown), IdentityCheck.verified_until.is_not(None))
        ).all()
    )
    result = []
    for item in items:
        patient = found.get(item.conversation_id) if item.patient_id is None else None
        if patient is not None:
            item = Item(
                **{
                    **item.__dict__,
                    "patient_id": patient.id,
                    "patient_name": patient.full_name,
                    "patient_mobile": patient.mobile,
                }
            )
        result.append(item)
    return result


def threads_of(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], InboxThread]:
    if not keys:
        return {}
    rows = session.execute(select(InboxThread).where(tuple_(InboxThread.kind, InboxThread.source_id).in_(keys)))
    return {(t.kind, t.source_id): t for t in rows.scalars()}


def items(session: Session, open_only: bool = True) -> list[Item]:
    """Open items oldest first (longest wait on top), or the latest closed ones."""
    rows = [(kind, row, patient) for kind in KINDS for row, patient in _rows(session, kind, open_only)]
    threads = threads_of(session, [(kind, row.id) for kind, row, _ in rows])
    found = [_item(kind, row, patient, threads.get((kind, row.id))) for kind, row, patient in rows]
    found.sort(key=lambda i: i.created_at, reverse=not open_only)
    return _with_verified_patients(session, found)


def get_item(session: Session, key: str) -> Item:
    kind, source_id = parse_key(key)
    rows = _rows(session, kind, True, source_id=source_id)
    if not rows:
        raise InboxError("There is no such inbox item.")
    row, patient = rows[0]
    return _with_verified_patients(
        session, [_item(kind, row, patient, threads_of(session, [(kind, source_id)]).get((kind, source_id)))]
    )[0]


def entries(session: Session, item: Item) -> list[InboxEntry]:
    thread = threads_of(session, [(item.kind, item.source_id)]).get((item.kind, item.source_id))
    if thread is None:
        return []
    return list(
        session.execute(select(InboxEntry).where(InboxEntry.thread_id == thread.id).order_by(InboxEntry.id)).scalars()
    )


def oldest_wait(session: Session, now: datetime | None = None) -> tuple[int, timedelta | None]:
    """How many items are open and how long the oldest has waited (for the overview)."""
    now = now or utcnow()
    open_items = items(session)
    return len(open_items), (open_items[0].waiting(now) if open_items else None)
