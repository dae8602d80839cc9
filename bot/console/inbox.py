"""The staff inbox: hand-off requests, refill requests and crisis events as one queue.

Staff claim an item (the assistant pauses in that conversation and the patient is told a person is
answering), reply (by SMS, or into the web chat's conversation), add internal notes, and close it (the
assistant resumes). A refill request is closed by marking it done or declined, which texts the patient.
Every change checks the thread's `version`, so two staff acting on one item cannot overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import null, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.clinic import load_profile
from bot.console import audit, rasa_api, wording
from bot.console.models import InboxEntry, InboxThread
from bot.db import utcnow
from bot.messaging import consent
from bot.messaging.gateway import SendStatus, SmsGateway
from bot.messaging.inbound import record_outbound
from bot.models import HandoffRequest, IdentityCheck, Patient, SafetyEvent
from bot.reminders.models import RefillRequest
from bot.settings import Settings

KINDS = ("handoff", "refill", "safety")
MAX_TEXT = 1000
HANDOFF_REASONS = {
    "asked": "asked for a person",
    "fallback": "the assistant did not understand",
    "medical_advice": "medical question",
    "refill": "refill",
}
CONFLICT = "Someone else changed this item meanwhile; it now shows their change. Try again."


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


def _threads(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], InboxThread]:
    if not keys:
        return {}
    rows = session.execute(select(InboxThread).where(tuple_(InboxThread.kind, InboxThread.source_id).in_(keys)))
    return {(t.kind, t.source_id): t for t in rows.scalars()}


def items(session: Session, open_only: bool = True) -> list[Item]:
    """Open items oldest first (longest wait on top), or the latest closed ones."""
    rows = [(kind, row, patient) for kind in KINDS for row, patient in _rows(session, kind, open_only)]
    threads = _threads(session, [(kind, row.id) for kind, row, _ in rows])
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
        session, [_item(kind, row, patient, _threads(session, [(kind, source_id)]).get((kind, source_id)))]
    )[0]


def entries(session: Session, item: Item) -> list[InboxEntry]:
    thread = _threads(session, [(item.kind, item.source_id)]).get((item.kind, item.source_id))
    if thread is None:
        return []
    return list(
        session.execute(select(InboxEntry).where(InboxEntry.thread_id == thread.id).order_by(InboxEntry.id)).scalars()
    )


def _thread_for_change(session: Session, item: Item, version: int) -> InboxThread:
    """The item's thread, once the form's version is still the current one."""
    if not item.open:
        raise InboxError("This item is already closed.")
    if item.version != version:
        raise InboxError(CONFLICT)
    thread = _threads(session, [(item.kind, item.source_id)]).get((item.kind, item.source_id))
    if thread is None:
        thread = InboxThread(kind=item.kind, source_id=item.source_id, conversation_id=item.conversation_id)
        session.add(thread)
        session.flush()
    return thread


def _flush(session: Session) -> None:
    """Write now, so a concurrent change by someone else shows as a conflict here (version check)."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise InboxError(CONFLICT) from error


def tell(settings: Settings, gateway: SmsGateway, session: Session, item: Item, text: str, staff: str | None) -> str:
    """Say `text` to the patient on the item's channel; returns how it went out. Raises InboxError if not."""
    number = item.sms_number
    if number:
        if consent.is_opted_out(session, number):
            raise InboxError("This number has opted out of texts: call the patient instead.")
        result = gateway.send(number, text)
        if result.status is SendStatus.ACCEPTED:
            record_outbound(session, result.sid or "", number)
        elif result.status is not SendStatus.UNKNOWN:
            raise InboxError(f"The text was not sent ({result.detail or result.status.value}); try again later.")
        delivery = f"sms {result.sid}" if result.sid else "sms: unknown outcome, may have gone out"
    elif item.conversation_id:
        delivery = item.channel
    else:
        raise InboxError("This patient can only be reached by phone: no conversation and no mobile number.")
    if item.conversation_id:
        try:
            rasa_api.say(settings, item.conversation_id, text, staff)
        except rasa_api.AssistantUnavailable:
            if not number:
                raise
    return delivery


def claim(session: Session, settings: Settings, gateway: SmsGateway, key: str, staff: str, version: int) -> Item:
    item = get_item(session, key)
    if item.claimed_by and item.claimed_by != staff:
        raise InboxError(f"{item.claimed_by} is already answering this conversation.")
    thread = _thread_for_change(session, item, version)
    thread.claimed_by, thread.claimed_at = staff, utcnow()
    _flush(session)
    if item.conversation_id:
        rasa_api.pause(settings, item.conversation_id)
        try:
            tell(
                settings, gateway, session, item, wording.person_answering(load_profile(settings.clinic_profile)), None
            )
        except InboxError:
            pass  # an opted-out number gets no notice; staff can still hold the conversation and call
    audit.record(session, staff, "inbox.claim", key, {"claimed_by": item.claimed_by}, {"claimed_by": staff})
    return get_item(session, key)


def _held(session: Session, key: str, staff: str, version: int) -> tuple[Item, InboxThread]:
    item = get_item(session, key)
    if item.open and item.claimed_by != staff:
        raise InboxError("Claim this conversation before answering it.")
    return item, _thread_for_change(session, item, version)


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InboxError("Write something first.")
    if len(text) > MAX_TEXT:
        raise InboxError(f"Keep it under {MAX_TEXT} characters.")
    return text


def reply(
    session: Session, settings: Settings, gateway: SmsGateway, key: str, staff: str, version: int, text: str
) -> InboxEntry:
    text = _text(text)
    item, thread = _held(session, key, staff, version)
    delivery = tell(settings, gateway, session, item, text, staff)
    entry = InboxEntry(thread_id=thread.id, author=staff, kind="reply", body=text, delivery=delivery)
    session.add(entry)
    audit.record(session, staff, "inbox.reply", key, None, {"delivery": delivery, "length": len(text)})
    return entry


def note(session: Session, key: str, staff: str, version: int, text: str) -> InboxEntry:
    text = _text(text)
    item = get_item(session, key)
    thread = _thread_for_change(session, item, version)
    entry = InboxEntry(thread_id=thread.id, author=staff, kind="note", body=text)
    session.add(entry)
    audit.record(session, staff, "inbox.note", key, None, {"length": len(text)})
    return entry


def close(
    session: Session,
    settings: Settings,
    gateway: SmsGateway,
    key: str,
    staff: str,
    version: int,
    outcome: str = "closed",
) -> Item:
    """Close an item; a refill's `outcome` (done / declined) is texted to the patient."""
    item = get_item(session, key)
    if item.claimed_by and item.claimed_by != staff:
        raise InboxError(f"{item.claimed_by} is answering this conversation; only they can close it.")
    if (item.kind == "refill") != (outcome in ("done", "declined")):
        raise InboxError("Mark a refill request done or declined; close other items.")
    thread = _thread_for_change(session, item, version)
    thread.closed_by, thread.closed_at = staff, utcnow()
    source = session.get(SOURCES[item.kind], item.source_id)
    if item.kind == "safety":
        source.acknowledged = True
    else:
        source.status = outcome
    _flush(session)
    profile = load_profile(settings.clinic_profile)
    texted = None
    if (
        outcome in ("done", "declined")
        and item.patient_mobile
        and not consent.is_opted_out(session, item.patient_mobile)
    ):
        text = wording.refill_done(profile) if outcome == "done" else wording.refill_declined(profile)
        texted = tell(
            settings, gateway, session, Item(**{**item.__dict__, "channel": "sms", "conversation_id": None}), text, None
        )
    if item.claimed_by and item.conversation_id:
        rasa_api.resume(settings, item.conversation_id)
        try:
            tell(settings, gateway, session, item, wording.assistant_back(profile), None)
        except InboxError:
            pass  # the conversation is resumed; an opted-out number simply gets no notice
    audit.record(
        session,
        staff,
        f"inbox.{outcome}",
        key,
        {"status": "open"},
        {"status": outcome, **({"texted": texted} if texted else {})},
    )
    return item


def oldest_wait(session: Session, now: datetime | None = None) -> tuple[int, timedelta | None]:
    """How many items are open and how long the oldest has waited (for the overview)."""
    now = now or utcnow()
    open_items = items(session)
    return len(open_items), (open_items[0].waiting(now) if open_items else None)
