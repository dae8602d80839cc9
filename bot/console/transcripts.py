"""Conversation transcripts read from Rasa's SQL tracker store, read-only.

The console never writes there: changes to a conversation go through Rasa's HTTP API (`rasa_api`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import MetaData, Table, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

SPOKEN = ("user", "bot", "pause", "resume")


@dataclass(frozen=True)
class Line:
    speaker: str  # patient, assistant, staff, or "" for a marker (paused / resumed)
    text: str
    at: datetime
    staff: str | None = None


@lru_cache(maxsize=4)
def events_table(url: str) -> tuple[Engine, Table] | None:
    """Rasa's `events` table, reflected once; None until Rasa has created it."""
    engine = create_engine(url, future=True)
    try:
        return engine, Table("events", MetaData(), autoload_with=engine)
    except SQLAlchemyError:
        engine.dispose()  # Rasa has not created its store yet: no conversation to show
        return None


def transcript(tracker_store_url: str, conversation_id: str, limit: int = 200) -> list[Line]:
    """The last `limit` things said in the conversation, oldest first; [] when there is no store yet."""
    found = events_table(tracker_store_url)
    if found is None:
        events_table.cache_clear()
        return []
    engine, events = found
    query = (
        select(events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == conversation_id, events.c.type_name.in_(SPOKEN))
        .order_by(events.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [line for line in (_line(*row) for row in reversed(rows)) if line is not None]


def _line(type_name: str, timestamp: float, data: str | None) -> Line | None:
    at = datetime.fromtimestamp(float(timestamp or 0), timezone.utc)
    payload = json.loads(data or "{}")
    if type_name == "pause":
        return Line("", "assistant paused: staff hold the conversation", at)
    if type_name == "resume":
        return Line("", "assistant resumed", at)
    text = payload.get("text") or ""
    if not text:
        return None
    if type_name == "user":
        return Line("patient", text, at)
    staff = (payload.get("metadata") or {}).get("staff")
    return Line("staff" if staff else "assistant", text, at, staff)
