"""Today at a glance, for the console's home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clinic import load_profile
from bot.console import inbox
from bot.messaging.models import ConsentAction, ConsentEvent, SmsMessage
from bot.models import AppointmentAudit
from bot.reminders.models import OutboxStatus, ReminderOutbox
from bot.settings import Settings


@dataclass(frozen=True)
class Overview:
    day: date
    sent: int
    delivered: int
    failed: int
    not_sent: int
    confirmed: int
    cancelled: int
    open_items: int
    oldest_wait: timedelta | None
    opt_outs_week: int
    daily_sent: list[tuple[date, int]]  # last 30 days, oldest first

    @property
    def chart_max(self) -> int:
        return max([count for _, count in self.daily_sent] + [1])


def _local_day_start(day: date, settings: Settings) -> datetime:
    zone = load_profile(settings.clinic_profile).zone
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc)


def today(session: Session, settings: Settings, now: datetime | None = None) -> Overview:
    now = now or datetime.now(timezone.utc)
    day = now.astimezone(load_profile(settings.clinic_profile).zone).date()
    start, end = _local_day_start(day, settings), _local_day_start(day + timedelta(days=1), settings)
    statuses = dict(
        session.execute(
            select(ReminderOutbox.status, func.count())
            .where(
                ReminderOutbox.status.in_(list(OutboxStatus)),
                ReminderOutbox.due_at >= start,
                ReminderOutbox.due_at < end,
            )
            .group_by(ReminderOutbox.status)
        ).all()
    )
    delivery = dict(
        session.execute(
            select(SmsMessage.status, func.count())
            .where(SmsMessage.created_at >= start, SmsMessage.created_at < end)
            .group_by(SmsMessage.status)
        ).all()
    )
    replies = dict(
        session.execute(
            select(AppointmentAudit.action, func.count())
            .where(
                AppointmentAudit.created_at >= start,
                AppointmentAudit.created_at < end,
                AppointmentAudit.actor.like("patient:%"),
                AppointmentAudit.action.in_(("confirmed", "cancelled")),
            )
            .group_by(AppointmentAudit.action)
        ).all()
    )
    opt_outs = session.execute(
        select(func.count())
        .select_from(ConsentEvent)
        .where(ConsentEvent.action == ConsentAction.OPT_OUT, ConsentEvent.created_at >= now - timedelta(days=7))
    ).scalar_one()
    open_items, oldest = inbox.oldest_wait(session, now)
    return Overview(
        day=day,
        sent=statuses.get(OutboxStatus.SENT, 0),
        delivered=delivery.get("delivered", 0),
        failed=statuses.get(OutboxStatus.FAILED, 0) + delivery.get("failed", 0) + delivery.get("undelivered", 0),
        not_sent=statuses.get(OutboxStatus.SKIPPED, 0),
        confirmed=replies.get("confirmed", 0),
        cancelled=replies.get("cancelled", 0),
        open_items=open_items,
        oldest_wait=oldest,
        opt_outs_week=opt_outs,
        daily_sent=_daily_sent(session, settings, day),
    )


def _daily_sent(session: Session, settings: Settings, day: date) -> list[tuple[date, int]]:
    """Reminders sent per day over the last 30 days, by the UTC day they were due (an index range)."""
    first = day - timedelta(days=29)
    counts = {first + timedelta(days=i): 0 for i in range(30)}
    utc_day = func.date(ReminderOutbox.due_at)
    rows = session.execute(
        select(utc_day, func.count())
        .where(ReminderOutbox.status == OutboxStatus.SENT, ReminderOutbox.due_at >= _local_day_start(first, settings))
        .group_by(utc_day)
    ).all()
    for sent_day, count in rows:
        sent_day = date.fromisoformat(str(sent_day)[:10])
        if sent_day in counts:
            counts[sent_day] += count
    return sorted(counts.items())
