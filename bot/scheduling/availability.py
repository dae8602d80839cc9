"""Open times: working hours and clinic hours (local wall time) minus breaks, time off, holidays and bookings.

Candidates step through each working block on the 15-minute grain. The day is scanned in growing
chunks, each loaded with three indexed range queries, so finding the next few openings touches only
the first days that have them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile
from bot.models import BookedInterval, ClinicHoliday, Provider, TimeOff, WorkingHours
from bot.scheduling.catalog import Visit
from bot.scheduling.policies import GRAIN, MIN_NOTICE
from bot.scheduling.timeparse import When

_GRAIN_MIN = int(GRAIN.total_seconds() // 60)
# How far around a request the nearest alternatives are looked for when nothing fits it.
_NEAREST_BEFORE, _NEAREST_AFTER = timedelta(days=7), timedelta(days=21)
_SPREAD = timedelta(hours=1)


@dataclass(frozen=True)
class SlotOption:
    provider_id: int
    provider_name: str
    location: str
    type_id: int
    starts_at: datetime  # UTC
    ends_at: datetime

    @property
    def token(self) -> str:
        """A compact, self-contained reference kept in the conversation and sent back by a button."""
        return f"{self.provider_id}|{self.type_id}|{self.starts_at:%Y%m%dT%H%M}"


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
        nearest = [o for o in _nearest(session, profile, providers, visit, when, now, exclude_appointment)
                   if o.starts_at not in seen]
        found = sorted(found + nearest[: limit - len(found)], key=lambda o: o.starts_at)
        return SlotSearch(found, exact_fit=any(o.starts_at in seen for o in found))
    return SlotSearch(found, exact_fit=True)


def is_open(
    session: Session, profile: ClinicProfile, visit: Visit, starts_at: datetime, now: datetime,
    exclude_appointment: int | None = None,
) -> bool:
    """Whether `visit` (with its provider) can start at `starts_at` under today's schedule."""
    local = starts_at.astimezone(profile.zone)
    when = When(local.date(), local.date(), exact=local.time().replace(second=0, microsecond=0))
    providers = _providers(session, visit)
    return any(o.starts_at == starts_at for o in _scan(session, profile, providers, visit, when, now, exclude_appointment))


def option_from_token(token: str) -> tuple[int, int, datetime] | None:
    parts = token.split("|")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    try:
        starts_at = datetime.strptime(parts[2], "%Y%m%dT%H%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(parts[0]), int(parts[1]), starts_at


def _providers(session: Session, visit: Visit) -> list[Provider]:
    query = select(Provider).where(Provider.active.is_(True)).order_by(Provider.id)
    if visit.provider_id is not None:
        query = query.where(Provider.id == visit.provider_id)
    else:
        query = query.where(Provider.specialty.in_(visit.specialties))
    return list(session.execute(query).scalars())


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
    session: Session, profile: ClinicProfile, providers: list[Provider], visit: Visit, when: When,
    now: datetime, exclude: int | None,
) -> Iterator[SlotOption]:
    """Open times in order, one per start time (the first provider free then), chunk by chunk."""
    if not providers:
        return
    chunk = timedelta(days=7)
    first = when.first_day
    while first <= when.last_day:
        last = min(first + chunk - timedelta(days=1), when.last_day)
        schedule = _Schedule(session, profile.zone, providers, first, last, exclude)
        for day in replace(when, first_day=first, last_day=last).days():
            yield from _open_on(day, schedule, profile, providers, visit, when, now)
        first, chunk = last + timedelta(days=1), chunk * 2


def _nearest(
    session: Session, profile: ClinicProfile, providers: list[Provider], visit: Visit, when: When,
    now: datetime, exclude: int | None,
) -> list[SlotOption]:
    zone = profile.zone
    opens = profile.opening_hours(when.first_day)
    anchor_time = when.exact or when.earliest or (opens[0] if opens else time(9))
    anchor = datetime.combine(when.first_day, anchor_time, tzinfo=zone)
    today = now.astimezone(zone).date()
    around = When(max(today, when.first_day - _NEAREST_BEFORE), when.first_day + _NEAREST_AFTER)
    options = list(_scan(session, profile, providers, visit, around, now, exclude))
    return sorted(options, key=lambda o: abs(o.starts_at - anchor))


class _Schedule:
    """Working hours, time off, holidays and booked grains of some providers over a few days."""

    def __init__(self, session: Session, zone: ZoneInfo, providers: list[Provider], first: date, last: date,
                 exclude: int | None) -> None:
        ids = [p.id for p in providers]
        start = datetime.combine(first, time(0), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        self.hours: dict[tuple[int, int], list[WorkingHours]] = {}
        for block in session.execute(select(WorkingHours).where(WorkingHours.provider_id.in_(ids))).scalars():
            self.hours.setdefault((block.provider_id, block.weekday), []).append(block)
        self.time_off: dict[int, list[tuple[datetime, datetime]]] = {}
        for off in session.execute(
            select(TimeOff).where(TimeOff.provider_id.in_(ids), TimeOff.starts_at < end, TimeOff.ends_at > start)
        ).scalars():
            self.time_off.setdefault(off.provider_id, []).append((off.starts_at, off.ends_at))
        booked = select(BookedInterval.provider_id, BookedInterval.starts_at).where(
            BookedInterval.provider_id.in_(ids), BookedInterval.starts_at >= start, BookedInterval.starts_at < end
        )
        if exclude is not None:
            booked = booked.where(BookedInterval.appointment_id != exclude)
        self.booked = {(row[0], row[1]) for row in session.execute(booked)}
        self.holidays = set(
            session.execute(select(ClinicHoliday.day).where(ClinicHoliday.day.between(first, last))).scalars()
        )

    def blocks(self, provider_id: int, day: date) -> Iterator[tuple[int, int]]:
        for block in self.hours.get((provider_id, day.weekday()), ()):
            if (block.valid_from is None or block.valid_from <= day) and (block.valid_until is None or day <= block.valid_until):
                yield _minutes(block.start_time), _minutes(block.end_time)

    def free(self, provider_id: int, start: datetime, duration: timedelta) -> bool:
        end = start + duration
        grain = start
        while grain < end:
            if (provider_id, grain) in self.booked:
                return False
            grain += GRAIN
        return not any(off_start < end and start < off_end for off_start, off_end in self.time_off.get(provider_id, ()))


def _open_on(
    day: date, schedule: _Schedule, profile: ClinicProfile, providers: list[Provider], visit: Visit,
    when: When, now: datetime,
) -> Iterator[SlotOption]:
    hours = profile.opening_hours(day)
    if hours is None or day in schedule.holidays:
        return
    zone = profile.zone
    duration = timedelta(minutes=visit.duration_minutes)
    window_start = max(_minutes(hours[0]), _minutes(when.earliest) if when.earliest else 0)
    window_end = _minutes(when.latest) if when.latest else 24 * 60
    exact = _minutes(when.exact) if when.exact is not None else None
    earliest_start = now + MIN_NOTICE
    by_start: dict[int, SlotOption] = {}
    for provider in providers:
        for block_start, block_end in schedule.blocks(provider.id, day):
            end = min(block_end, _minutes(hours[1]))
            minute = _ceil_grain(max(block_start, window_start))
            while minute + visit.duration_minutes <= end and minute < window_end:
                if minute not in by_start and (exact is None or minute == exact):
                    starts_at = _instant(day, minute, zone)
                    if starts_at is not None and starts_at >= earliest_start and schedule.free(provider.id, starts_at, duration):
                        by_start[minute] = SlotOption(
                            provider.id, provider.name, provider.location, visit.type_id, starts_at, starts_at + duration
                        )
                minute += _GRAIN_MIN
    for minute in sorted(by_start):
        yield by_start[minute]


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall time, None when the wall time does not exist (spring-forward gap)."""
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _ceil_grain(minute: int) -> int:
    return -(-minute // _GRAIN_MIN) * _GRAIN_MIN
