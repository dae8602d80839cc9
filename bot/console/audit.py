"""The audit log: every staff action, who did it, when, and the record before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.console.models import AuditEntry

PAGE = 100


def record(
    session: Session,
    actor: str,
    action: str,
    target: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            target=target,
            before=None if before is None else json.dumps(before, default=str, sort_keys=True),
            after=None if after is None else json.dumps(after, default=str, sort_keys=True),
        )
    )
    session.flush()


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int


def entries(session: Session, actor: str = "", action: str = "", limit: int = PAGE, offset: int = 0) -> AuditPage:
    """Newest first; `action` matches a whole action or its family ("inbox" finds inbox.claim, inbox.reply ...)."""
    query = select(AuditEntry)
    count = select(func.count()).select_from(AuditEntry)
    if actor:
        query, count = query.where(AuditEntry.actor == actor), count.where(AuditEntry.actor == actor)
    if action:
        family = or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".", autoescape=True))
        query, count = query.where(family), count.where(family)
    rows = session.execute(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).scalars()
    return AuditPage(list(rows), session.execute(count).scalar_one())
