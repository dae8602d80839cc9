"""What the open-times search (bot.scheduling.availability) runs on: minutes since the epoch on the booking
grain, and its statements, built once (constructing a statement and its cache key cost more than running it
on a small day)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer, String, bindparam, cast, func, or_, select, type_coerce
from sqlalchemy.sql import Select

from bot.models import BookedInterval, ClinicHoliday, Provider, TimeOff, WorkingHours
from bot.scheduling.policies import GRAIN

GRAIN_MINUTES = int(GRAIN.total_seconds() // 60)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
T = TypeVar("T")


def day_to_epoch(day: date, hours: tuple[time, time], zone: ZoneInfo) -> Callable[[int], int | None]:
    """Local minute of `day` -> UTC epoch minute (None in a spring-forward gap).

    Clinic hours never straddle a daylight-saving change (they happen at night), so one offset
    usually serves the whole day; on a day where they would, each minute is converted on its own.
    """
    opening = datetime.combine(day, hours[0], tzinfo=zone).utcoffset()
    closing = datetime.combine(day, hours[1], tzinfo=zone).utcoffset()
    if opening == closing and opening is not None:
        base = (day - EPOCH.date()).days * 24 * 60 - int(opening.total_seconds() // 60)
        return lambda minute: base + minute
    return lambda minute: local_epoch_minute(day, minute, zone)


def local_epoch_minute(day: date, minute: int, zone: ZoneInfo) -> int | None:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return epoch_minute(instant)


@cache
def booked_query(dialect: str, excluding: bool) -> Select:
    minute = epoch_minutes(BookedInterval.starts_at, dialect)
    query = (
        select(BookedInterval.provider_id, joined(minute, dialect))
        .where(
            BookedInterval.provider_id.in_(bindparam("ids", expanding=True)),
            BookedInterval.starts_at >= bindparam("start"),
            BookedInterval.starts_at < bindparam("end"),
        )
        .group_by(BookedInterval.provider_id)
    )
    return query.where(BookedInterval.appointment_id != bindparam("exclude")) if excluding else query


def raw(column: Any) -> Any:
    # SQLAlchemy reads SQLite's date/time text with regular expressions, which dominated the search time;
    # the raw value (text on SQLite, already a date/time from psycopg2) is converted by `as_kind` in C instead.
    return type_coerce(column, String)


def stored_clock(value: Any) -> time:
    """A working-hours bound, never empty in the table (NOT NULL), as some drivers return it: time or text."""
    return value if isinstance(value, time) else time.fromisoformat(value)


def as_kind(kind: type[T], value: Any) -> T | None:
    if value is None or isinstance(value, kind):
        return value
    return kind.fromisoformat(value)  # type: ignore[attr-defined]


def joined(values: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return func.group_concat(values, ",")
    return func.string_agg(cast(values, String), ",")


def epoch_minutes(column: Any, dialect: str) -> Any:
    """The UTC epoch minute of a stored instant, computed by the database (a booked day has many grains)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", column), Integer) / 60
    return cast(func.extract("epoch", column), BigInteger) / 60


def epoch_minute(instant: datetime) -> int:
    return int((instant - EPOCH).total_seconds() // 60)


def minute_of_day(value: time) -> int:
    return value.hour * 60 + value.minute


def ceil_grain(minute: int) -> int:
    return -(-minute // GRAIN_MINUTES) * GRAIN_MINUTES


ACTIVE = select(Provider.id, Provider.name, Provider.location).where(Provider.active.is_(True)).order_by(Provider.id)
PROVIDER = ACTIVE.where(Provider.id == bindparam("provider"))
SPECIALISTS = ACTIVE.where(Provider.specialty.in_(bindparam("specialties", expanding=True)))
HOLIDAYS = select(ClinicHoliday.day).where(ClinicHoliday.day.between(bindparam("first"), bindparam("last")))
HOURS = select(
    WorkingHours.provider_id,
    WorkingHours.weekday,
    raw(WorkingHours.start_time),
    raw(WorkingHours.end_time),
    raw(WorkingHours.valid_from),
    raw(WorkingHours.valid_until),
).where(
    WorkingHours.provider_id.in_(bindparam("ids", expanding=True)),
    WorkingHours.weekday.in_(bindparam("weekdays", expanding=True)),
    or_(WorkingHours.valid_from.is_(None), WorkingHours.valid_from <= bindparam("last")),
    or_(WorkingHours.valid_until.is_(None), WorkingHours.valid_until >= bindparam("first")),
)
TIME_OFF = select(TimeOff.provider_id, TimeOff.starts_at, TimeOff.ends_at).where(
    TimeOff.provider_id.in_(bindparam("ids", expanding=True)),
    TimeOff.starts_at < bindparam("end"),
    TimeOff.ends_at > bindparam("start"),
)
