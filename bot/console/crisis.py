"""Emergencies in conversations that staff hold.

A held conversation is paused, so Rasa runs no action in it: an emergency text would get no crisis reply.
The console watches held conversations instead: each new patient message that Rasa's NLU (with its
deterministic emergency layer) read as `emergency` gets the same fixed crisis reply at once, and is
recorded as a safety event, which puts it at the top of every staff member's inbox.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import audit, inbox, transcripts
from bot.console.models import CrisisCheck, InboxEntry, InboxThread
from bot.messaging.gateway import SmsGateway
from bot.safety import CRISIS_REPLY, record_event
from bot.settings import Settings

EMERGENCY = "emergency"


def answer_emergencies(session: Session, settings: Settings, gateway: SmsGateway) -> int:
    """Reply to every unanswered emergency in a held conversation; returns how many were answered."""
    found = transcripts.events_table(settings.tracker_store_url)
    if found is None:
        transcripts.events_table.cache_clear()  # look again next time: Rasa may have started since
        return 0
    engine, events = found
    held = session.execute(
        select(InboxThread, CrisisCheck)
        .outerjoin(CrisisCheck, CrisisCheck.thread_id == InboxThread.id)
        .where(
            InboxThread.claimed_by.is_not(None),
            InboxThread.closed_at.is_(None),
            InboxThread.conversation_id.is_not(None),
        )
    ).all()
    answered = 0
    for thread, check in held:
        with engine.connect() as connection:
            if check is None:  # from the claim on: what came before was the assistant's to answer
                check = CrisisCheck(
                    thread_id=thread.id,
                    last_event_id=connection.execute(
                        select(func.coalesce(func.max(events.c.id), 0)).where(
                            events.c.sender_id == thread.conversation_id,
                            events.c.timestamp < thread.claimed_at.timestamp(),
                        )
                    ).scalar_one(),
                )
                session.add(check)
            rows = connection.execute(
                select(events.c.id, events.c.intent_name)
                .where(
                    events.c.sender_id == thread.conversation_id,
                    events.c.type_name == "user",
                    events.c.id > check.last_event_id,
                )
                .order_by(events.c.id)
            ).all()
        if not rows:
            continue
        if any(intent == EMERGENCY for _, intent in rows):
            item = inbox.get_item(session, f"{thread.kind}-{thread.source_id}")
            delivery = inbox.tell(settings, gateway, session, item, CRISIS_REPLY, None)
            record_event(session, thread.conversation_id, item.channel, EMERGENCY, "held")
            session.add(
                InboxEntry(
                    thread_id=thread.id,
                    author="system",
                    kind="note",
                    delivery=delivery,
                    body="Emergency message while held: the crisis reply was sent automatically.",
                )
            )
            audit.record(session, "system", "inbox.crisis_reply", item.key, None, {"delivery": delivery})
            answered += 1
        check.last_event_id = rows[-1][0]
    return answered
