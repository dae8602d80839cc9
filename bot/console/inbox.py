"""The staff inbox: what staff do with an item of the queue (`bot.console.queue`).

Staff claim an item (the assistant pauses in that conversation and the patient is told a person is
answering), reply (by SMS, or into the web chat's conversation), add internal notes, and close it (the
assistant resumes). A refill request is closed by marking it done or declined, which texts the patient.
Every change checks the thread's `version`, so two staff acting on one item cannot overwrite each other.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.clinic import load_profile
from bot.console import audit, rasa_api, wording
from bot.console.models import InboxEntry, InboxThread
from bot.console.queue import SOURCES, InboxError, Item, entries, get_item, items, oldest_wait, threads_of
from bot.db import utcnow
from bot.messaging import consent
from bot.messaging.gateway import SendStatus, SmsGateway
from bot.messaging.inbound import record_outbound
from bot.settings import Settings

# The queue's readers are used through this module too: one name for the inbox in views and tests.
__all__ = [
    "InboxError",
    "Item",
    "claim",
    "close",
    "entries",
    "get_item",
    "items",
    "note",
    "oldest_wait",
    "reply",
    "tell",
]

MAX_TEXT = 1000
CONFLICT = "Someone else changed this item meanwhile; it now shows their change. Try again."


def _thread_for_change(session: Session, item: Item, version: int) -> InboxThread:
    """The item's thread, once the form's version is still the current one."""
    if not item.open:
        raise InboxError("This item is already closed.")
    if item.version != version:
        raise InboxError(CONFLICT)
    thread = threads_of(session, [(item.kind, item.source_id)]).get((item.kind, item.source_id))
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
