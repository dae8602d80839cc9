"""Open times: working hours and clinic hours (local wall time) minus breaks, time off, holidays and bookings.

Candidates step through each working block on the 15-minute grain. The day is scanned in growing
chunks, each loaded with three indexed range queries, so finding the next few openings touches only
the first days that have them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer, String, bindparam, cast, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.clinic import ClinicProfile
from bot.models import BookedInterval, ClinicHoliday, Provider, TimeOff, WorkingHours
from bot.scheduling.catalog import Visit
from bot.scheduling.policies import GRAIN, MIN_NOTICE
from bot.scheduling.slots import SlotOption
from bot.scheduling.timeparse import When

_GRAIN_MIN = int(GRAIN.total_seconds() // 60)
# How far around a request the nearest alternatives are looked for when nothing fits it.
_NEAREST_WINDOWS = ((timedelta(days=1), timedelta(days=1)), (timedelta(days=7), timedelta(days=21)))
_SPREAD = timedelta(hours=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
T = TypeVar("T")


@dataclass(frozen=True)
class SlotSearch:
    options: list[SlotOption]
    exact_fit: bool  # False: nothing matched the request, these are the nearest alternatives


def find_slots(
    session: Session,
    profile: ClinicProfile,
    visit: Visit,
    when: When,
    now: datetime,
    limit: int = 3,
    exclude_appointment: int | None = None,
) -> SlotSearch:
    """Up to `limit` open times that fit `when`, else (or to fill up an exact-time request) the nearest ones."""
    providers = _providers(session, visit)
    found = list(_take(_scan(session, profile, providers, visit, when, now, exclude_appointment), limit))
    if len(found) < limit and (when.exact is not None or not found):
        seen = {o.starts_at for o in found}
        nearest = [
            o
            for o in _nearest(session, profile, providers, visit, when, now, exclude_appointment, limit + len(seen))
            if o.starts_at not in seen
        ]
        found = sorted(found + nearest[: limit - len(found)], key=lambda o: o.starts_at)
        return SlotSearch(found, exact_fit=any(o.starts_at in seen for o in found))
    return SlotSearch(found, exact_fit=True)


def is_open(
    session: Session,
    profile: ClinicProfile,
    visit: Visit,
    starts_at: datetime,
    now: datetime,
    exclude_appointment: int | None = None,
) -> bool:
    """Whether `visit` (with its provider) can start at `starts_at` under today's schedule."""
    local = starts_at.astimezone(profile.zone)
    when = When(local.date(), local.date(), exact=local.time().replace(second=0, microsecond=0))
    providers = _providers(session, visit)
    return any(
        o.starts_at == starts_at for o in _scan(session, profile, providers, visit, when, now, exclude_appointment)
    )


def option_from_token(token: str) -> tuple[int, int, datetime] | None:
    parts = token.split("|")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    try:
        starts_at = datetime.strptime(parts[2], "%Y%m%dT%H%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(parts[0]), int(parts[1]), starts_at


class _Provider(NamedTuple):
    id: int
    name: str
    location: str


def _providers(session: Session, visit: Visit) -> list[_Provider]:
    db = session.connection()  # Core execution: the ORM's per-statement work is not needed for plain rows
    if visit.provider_id is not None:
        rows = db.execute(_PROVIDER, {"provider": visit.provider_id})
    else:
        rows = db.execute(_SPECIALISTS, {"specialties": list(visit.specialties)})
    return [_Provider(*row) for row in rows]


def _take(options: Iterable[SlotOption], limit: int) -> Iterator[SlotOption]:
    """The first `limit` options, spread out: three starts a quarter hour apart are hardly a choice."""
    taken: list[SlotOption] = []
    for option in options:
        if len(taken) == limit:
            return
        if all(abs(option.starts_at - other.starts_at) >= _SPREAD for other in taken):
            taken.append(option)
            yield option


def _scan(
    session: Session,
    profile: ClinicProfile,
    providers: list[_Provider],
    visit: Visit,
    when: When,
    now: datetime,
    exclude: int | None,
) -> Iterator[SlotOption]:
    """Open times in order, one per start time (the first provider free then), in chunks of 1, 2, 4... days."""
    if not providers:
        return
    ids = [p.id for p in providers]
    holidays = set(session.connection().execute(_HOLIDAYS, {"first": when.first_day, "last": when.last_day}).scalars())
    chunk = timedelta(days=1)
    first = when.first_day
    while first <= when.last_day:
        # Days the clinic is closed or the request leaves out need no queries: a search that starts
        # on a Sunday loads Monday's schedule first instead of an empty one.
        if not when.allows(first) or first in holidays or profile.opening_hours(first) is None:
            first += timedelta(days=1)
            continue
        last = min(first + chunk - timedelta(days=1), when.last_day)
        schedule = _Schedule(session, profile.zone, ids, first, last, exclude)
        for day in replace(when, first_day=first, last_day=last).days():
            if day not in holidays:
                yield from _open_on(day, schedule, profile, providers, visit, when, now)
        first, chunk = last + timedelta(days=1), chunk * 2


def _nearest(
    session: Session,
    profile: ClinicProfile,
    providers: list[_Provider],
    visit: Visit,
    when: When,
    now: datetime,
    exclude: int | None,
    limit: int,
) -> list[SlotOption]:
    """Open times closest to the start of the request, looking a day either side first, then wider."""
    zone = profile.zone
    opens = profile.opening_hours(when.first_day)
    anchor_time = when.exact or when.earliest or (opens[0] if opens else time(9))
    anchor = datetime.combine(when.first_day, anchor_time, tzinfo=zone)
    today = now.astimezone(zone).date()
    for before, after in _NEAREST_WINDOWS:
        around = When(max(today, when.first_day - before), when.first_day + after)
        options = sorted(
            _scan(session, profile, providers, visit, around, now, exclude), key=lambda o: abs(o.starts_at - anchor)
        )
        if len(options) >= limit:
            break
    return options


class _Schedule:
    """Working hours, time off and booked grains of some providers over a few days.

    Read with plain Core queries (no ORM objects); instants become UTC epoch minutes.
    """

    def __init__(
        self, session: Session, zone: ZoneInfo, ids: list[int], first: date, last: date, exclude: int | None
    ) -> None:
        db = session.connection()
        weekdays = {(first + timedelta(days=n)).weekday() for n in range(min(7, (last - first).days + 1))}
        self.blocks: dict[tuple[int, int], list[tuple[int, int, date | None, date | None]]] = {}
        for provider_id, weekday, start, end, valid_from, valid_until in db.execute(
            _HOURS, {"ids": ids, "weekdays": list(weekdays), "first": first, "last": last}
        ):
            self.blocks.setdefault((provider_id, weekday), []).append(
                (_minutes(_clock(start)), _minutes(_clock(end)), _as(date, valid_from), _as(date, valid_until))
            )
        start_at = datetime.combine(first, time(0), tzinfo=zone)
        end_at = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        self.time_off: dict[int, list[tuple[int, int]]] = {}
        for provider_id, off_start, off_end in db.execute(_TIME_OFF, {"ids": ids, "start": start_at, "end": end_at}):
            self.time_off.setdefault(provider_id, []).append((_epoch_minute(off_start), _epoch_minute(off_end)))
        # One row per provider with its booked grains as a comma list: a busy day has thousands of grains,
        # and per-row overhead, not the database, was most of the search time.
        booked = db.execute(
            _booked_query(db.dialect.name, exclude is not None),
            {"ids": ids, "start": start_at, "end": end_at, "exclude": exclude},
        )
        self.busy: dict[int, set[int]] = {
            provider_id: set(map(int, grains.split(","))) for provider_id, grains in booked if grains
        }

    def hours_on(self, provider_id: int, day: date) -> Iterator[tuple[int, int]]:
        for start, end, valid_from, valid_until in self.blocks.get((provider_id, day.weekday()), ()):
            if (valid_from is None or valid_from <= day) and (valid_until is None or day <= valid_until):
                yield start, end

    def free(self, provider_id: int, start: int, minutes: int) -> bool:
        busy = self.busy.get(provider_id)
        if busy and any(grain in busy for grain in range(start, start + minutes, _GRAIN_MIN)):
            return False
        end = start + minutes
        return not any(a < end and start < b for a, b in self.time_off.get(provider_id, ()))


def _open_on(
    day: date,
    schedule: _Schedule,
    profile: ClinicProfile,
    providers: list[_Provider],
    visit: Visit,
    when: When,
    now: datetime,
) -> Iterator[SlotOption]:
    hours = profile.opening_hours(day)
    if hours is None:
        return
    window_start = max(_minutes(hours[0]), _minutes(when.earliest) if when.earliest else 0)
    window_end = _minutes(when.latest) if when.latest else 24 * 60
    closing = _minutes(hours[1])
    exact = _minutes(when.exact) if when.exact is not None else None
    earliest = _epoch_minute(now + MIN_NOTICE)
    to_epoch = _day_to_epoch(day, hours, profile.zone)
    duration = visit.duration_minutes
    # Providers mostly share their blocks, so each block's possible starts are worked out once a day.
    starts: dict[tuple[int, int], frozenset[int]] = {}
    chosen: dict[int, int] = {}  # UTC epoch minute -> the first provider (by id) free then
    for provider in providers:
        busy: Collection[int] = schedule.busy.get(provider.id, frozenset())
        for block in schedule.hours_on(provider.id, day):
            if block not in starts:
                end = min(block[1], closing)
                minute, candidates = _ceil_grain(max(block[0], window_start)), set()
                while minute + duration <= end and minute < window_end:
                    start = to_epoch(minute) if exact is None or minute == exact else None
                    if start is not None and start >= earliest:
                        candidates.add(start)
                    minute += _GRAIN_MIN
                starts[block] = frozenset(candidates)
            # Set difference in C drops booked and already offered starts: on a nearly full day only
            # a handful remain to check grain by grain, instead of every start of every provider.
            for start in starts[block].difference(busy, chosen):
                if schedule.free(provider.id, start, duration):
                    chosen[start] = provider.id
    names = {p.id: p for p in providers}
    length = timedelta(minutes=duration)
    for start in sorted(chosen):
        provider = names[chosen[start]]
        starts_at = _EPOCH + timedelta(minutes=start)
        yield SlotOption(provider.id, provider.name, provider.location, visit.type_id, starts_at, starts_at + length)


def _day_to_epoch(day: date, hours: tuple[time, time], zone: ZoneInfo) -> Callable[[int], int | None]:
    """Local minute of `day` -> UTC epoch minute (None in a spring-forward gap).

    Clinic hours never straddle a daylight-saving change (they happen at night), so one offset
    usually serves the whole day; on a day where they would, each minute is converted on its own.
    """
    opening = datetime.combine(day, hours[0], tzinfo=zone).utcoffset()
    closing = datetime.combine(day, hours[1], tzinfo=zone).utcoffset()
    if opening == closing and opening is not None:
        base = (day - _EPOCH.date()).days * 24 * 60 - int(opening.total_seconds() // 60)
        return lambda minute: base + minute
    return lambda minute: _local_epoch_minute(day, minute, zone)


def _local_epoch_minute(day: date, minute: int, zone: ZoneInfo) -> int | None:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return _epoch_minute(instant)


@cache
def _booked_query(dialect: str, excluding: bool) -> Select:
    minute = _epoch_minutes(BookedInterval.starts_at, dialect)
    query = (
        select(BookedInterval.provider_id, _joined(minute, dialect))
        .where(
            BookedInterval.provider_id.in_(bindparam("ids", expanding=True)),
            BookedInterval.starts_at >= bindparam("start"),
            BookedInterval.starts_at < bindparam("end"),
        )
        .group_by(BookedInterval.provider_id)
    )
    return query.where(BookedInterval.appointment_id != bindparam("exclude")) if excluding else query


def _raw(column: Any) -> Any:
    # SQLAlchemy reads SQLite's date/time text with regular expressions, which dominated the search time;
    # the raw value (text on SQLite, already a date/time from psycopg2) is converted by `_as` in C instead.
    return type_coerce(column, String)


def _clock(value: Any) -> time:
    """A working-hours bound, never empty in the table (NOT NULL), as some drivers return it: time or text."""
    return value if isinstance(value, time) else time.fromisoformat(value)


def _as(kind: type[T], value: Any) -> T | None:
    if value is None or isinstance(value, kind):
        return value
    return kind.fromisoformat(value)  # type: ignore[attr-defined]


def _joined(values: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return func.group_concat(values, ",")
    return func.string_agg(cast(values, String), ",")


def _epoch_minutes(column: Any, dialect: str) -> Any:
    """The UTC epoch minute of a stored instant, computed by the database (a booked day has many grains)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", column), Integer) / 60
    return cast(func.extract("epoch", column), BigInteger) / 60


def _epoch_minute(instant: datetime) -> int:
    return int((instant - _EPOCH).total_seconds() // 60)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _ceil_grain(minute: int) -> int:
    return -(-minute // _GRAIN_MIN) * _GRAIN_MIN


# Built once: constructing a statement and its cache key cost more than running it on a small day.
_ACTIVE = select(Provider.id, Provider.name, Provider.location).where(Provider.active.is_(True)).order_by(Provider.id)
_PROVIDER = _ACTIVE.where(Provider.id == bindparam("provider"))
_SPECIALISTS = _ACTIVE.where(Provider.specialty.in_(bindparam("specialties", expanding=True)))
_HOLIDAYS = select(ClinicHoliday.day).where(ClinicHoliday.day.between(bindparam("first"), bindparam("last")))
_HOURS = select(
    WorkingHours.provider_id,
    WorkingHours.weekday,
    _raw(WorkingHours.start_time),
    _raw(WorkingHours.end_time),
    _raw(WorkingHours.valid_from),
    _raw(WorkingHours.valid_until),
).where(
    WorkingHours.provider_id.in_(bindparam("ids", expanding=True)),
    WorkingHours.weekday.in_(bindparam("weekdays", expanding=True)),
    or_(WorkingHours.valid_from.is_(None), WorkingHours.valid_from <= bindparam("last")),
    or_(WorkingHours.valid_until.is_(None), WorkingHours.valid_until >= bindparam("first")),
)
_TIME_OFF = select(TimeOff.provider_id, TimeOff.starts_at, TimeOff.ends_at).where(
    TimeOff.provider_id.in_(bindparam("ids", expanding=True)),
    TimeOff.starts_at < bindparam("end"),
    TimeOff.ends_at > bindparam("start"),
)
