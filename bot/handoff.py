"""Requests for a person: recorded for staff, one open request per conversation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import HandoffRequest


def request_handoff(
    session: Session, conversation_id: str, channel: str, reason: str, patient_id: int | None = None
) -> HandoffRequest:
    """Record that this conversation wants a person; asking twice does not queue the patient twice."""
    existing = session.execute(
        select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id, HandoffRequest.status == "open")
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    request = HandoffRequest(conversation_id=conversation_id, channel=channel, reason=reason, patient_id=patient_id)
    session.add(request)
    session.flush()
    return request


def open_requests(session: Session) -> list[HandoffRequest]:
    return list(
        session.execute(
            select(HandoffRequest).where(HandoffRequest.status == "open").order_by(HandoffRequest.created_at)
        ).scalars()
    )
