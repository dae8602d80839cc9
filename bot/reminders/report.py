"""What staff read about reminders: how each went out, or why it did not."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.reminders.models import RefillRequest, ReminderOutbox


def delivery_summary(session: Session, since: datetime) -> list[tuple[str, str, str, int]]:
    """(kind, status, reason, count) for reminders due since `since`, most frequent first."""
    rows = session.execute(
        select(ReminderOutbox.kind, ReminderOutbox.status, ReminderOutbox.reason, func.count())
        .where(ReminderOutbox.due_at >= since)
        .group_by(ReminderOutbox.kind, ReminderOutbox.status, ReminderOutbox.reason)
        .order_by(func.count().desc())
    ).all()
    return [(kind.value, status.value, reason or "", count) for kind, status, reason, count in rows]


def open_refills(session: Session) -> list[RefillRequest]:
    return list(
        session.execute(
            select(RefillRequest).where(RefillRequest.status == "open").order_by(RefillRequest.created_at)
        ).scalars()
    )
