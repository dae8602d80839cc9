"""Open times: working hours and clinic hours (local wall time) minus breaks, time off, holidays and bookings.

Candidates step through each working block on the 15-minute grain. The day is scanned in growing
chunks, each loaded with three indexed range queries, so finding the next few openings touches only
the first days that have them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.scheduling.audience import sees
from bot.scheduling.catalog import Visit
from bot.scheduling.grain_sql import (
    EPOCH,
    GRAIN_MINUTES,
    HOLIDAYS,
    HOURS,
    PROVIDER,
    SPECIALISTS,
    TIME_OFF,
    as_kind,
    booked_query,
    ceil_grain,
    day_to_epoch,
    epoch_minute,
    minute_of_day,
    stored_clock,
)
from bot.scheduling.policies import MIN_NOTICE
from bot.scheduling.slots import SlotOption
from bot.scheduling.timeparse import When

# How far around a request the nearest alternatives are looked for when nothing fits it.
_NEAREST_WINDOWS = ((timedelta(days=1), timedelta(days=1)), (timedelta(days=7), timedelta(days=21)))
_SPREAD = timedelta(hours=1)
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
    patient_age: int | None = None,
) -> SlotSearch:
    """Up to `limit` open times that fit `when`, else (or to fill up an exact-time request) the nearest ones.
    `patient_age`: only providers who see a patient that old (bot.scheduling.audience); None, any."""
    providers = _providers(session, visit, patient_age)
    found = list(_take(_scan(session, profile, providers, visit, when, now, exclude_appointment), limit))
    if len(found) < limit and (when.exact is not None or not found):
        seen = {o.starts_at for o in found}
        nearest = [
            o
            for o in _nearest(session, profile, providers, visit, when, now, exclude_appointment, limit + len(seen))
            if o.starts_at not in seen
        ]
        # The time asked for first, then the nearest: later ones before earlier ones. A list in time order put
        # 2:30 PM above the 3:00 PM asked for, and patients who trusted the list replied "1".
        asked = _asked(profile, when)
        others = sorted(nearest[: limit - len(found)], key=lambda o: (o.starts_at < asked, abs(o.starts_at - asked)))
        return SlotSearch(found + others, exact_fit=bool(found))
    return SlotSearch(found, exact_fit=True)


def is_open(
    session: Session,
    profile: ClinicProfile,
    visit: Visit,
    starts_at: datetime,
    now: datetime,
    exclude_appointment: int | None = None,
    patient_age: int | None = None,
) -> bool:
    """Whether `visit` (with its provider, who sees a patient of `patient_age`) can start at `starts_at` under
    today's schedule."""
    local = starts_at.astimezone(profile.zone)
    when = When(local.date(), local.date(), exact=local.time().replace(second=0, microsecond=0))
    providers = _providers(session, visit, patient_age)
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


def _providers(session: Session, visit: Visit, patient_age: int | None = None) -> list[_Provider]:
    db = session.connection()  # Core execution: the ORM's per-statement work is not needed for plain rows
    specialties = [specialty for specialty in visit.specialties if sees(specialty, patient_age)]
    if not specialties:  # a named provider's visit has that provider's specialty alone
        return []
    if visit.provider_id is not None:
        rows = db.execute(PROVIDER, {"provider": visit.provider_id})
    else:
        rows = db.execute(SPECIALISTS, {"specialties": specialties})
    return [_Provider(*row) for row in rows if row[0] != visit.excluded_provider_id]


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
    holidays = set(session.connection().execute(HOLIDAYS, {"first": when.first_day, "last": when.last_day}).scalars())
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
    anchor = _asked(profile, when)
    today = now.astimezone(profile.zone).date()
    for before, after in _NEAREST_WINDOWS:
        around = When(max(today, when.first_day - before), when.first_day + after)
        # Equally near, the later one: it is not before what was asked for.
        options = sorted(
            _scan(session, profile, providers, visit, around, now, exclude),
            key=lambda o: (abs(o.starts_at - anchor), o.starts_at < anchor),
        )
        if len(options) >= limit:
            break
    return options


def _asked(profile: ClinicProfile, when: When) -> datetime:
    """The moment a request points at: its exact time or its earliest on its first day, else that day's opening."""
    opens = profile.opening_hours(when.first_day)
    asked = when.exact or when.earliest or (opens[0] if opens else time(9))
    return datetime.combine(when.first_day, asked, tzinfo=profile.zone)


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
            HOURS, {"ids": ids, "weekdays": list(weekdays), "first": first, "last": last}
        ):
            self.blocks.setdefault((provider_id, weekday), []).append(
                (
                    minute_of_day(stored_clock(start)),
                    minute_of_day(stored_clock(end)),
                    as_kind(date, valid_from),
                    as_kind(date, valid_until),
                )
            )
        start_at = datetime.combine(first, time(0), tzinfo=zone)
        end_at = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        self.time_off: dict[int, list[tuple[int, int]]] = {}
        for provider_id, off_start, off_end in db.execute(TIME_OFF, {"ids": ids, "start": start_at, "end": end_at}):
            self.time_off.setdefault(provider_id, []).append((epoch_minute(off_start), epoch_minute(off_end)))
        # One row per provider with its booked grains as a comma list: a busy day has thousands of grains,
        # and per-row overhead, not the database, was most of the search time.
        booked = db.execute(
            booked_query(db.dialect.name, exclude is not None),
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
        if busy and any(grain in busy for grain in range(start, start + minutes, GRAIN_MINUTES)):
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
    window_start = max(minute_of_day(hours[0]), minute_of_day(when.earliest) if when.earliest else 0)
    window_end = minute_of_day(when.latest) if when.latest else 24 * 60
    closing = minute_of_day(hours[1])
    exact = minute_of_day(when.exact) if when.exact is not None else None
    earliest = epoch_minute(now + MIN_NOTICE)
    to_epoch = day_to_epoch(day, hours, profile.zone)
    duration = visit.duration_minutes
    # Providers mostly share their blocks, so each block's possible starts are worked out once a day.
    starts: dict[tuple[int, int], frozenset[int]] = {}
    chosen: dict[int, int] = {}  # UTC epoch minute -> the first provider (by id) free then
    for provider in providers:
        busy: Collection[int] = schedule.busy.get(provider.id, frozenset())
        for block in schedule.hours_on(provider.id, day):
            if block not in starts:
                end = min(block[1], closing)
                minute, candidates = ceil_grain(max(block[0], window_start)), set()
                while minute + duration <= end and minute < window_end:
                    start = to_epoch(minute) if exact is None or minute == exact else None
                    if start is not None and start >= earliest:
                        candidates.add(start)
                    minute += GRAIN_MINUTES
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
        starts_at = EPOCH + timedelta(minutes=start)
        yield SlotOption(provider.id, provider.name, provider.location, visit.type_id, starts_at, starts_at + length)
