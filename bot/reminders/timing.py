"""Local wall time -> UTC instant under daylight saving, and quiet hours.

A reminder is planned as a wall time in the patient's zone. On the spring-forward day a time inside
the gap does not exist: it goes out at the next valid minute (the end of the gap). On the fall-back
day a repeated time is taken at its first occurrence; the outbox key is the wall time, so it is
sent once either way.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    aware = local.replace(tzinfo=zone, fold=0)
    return aware.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) == local


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant of the naive wall time `local` in `zone` (see module docstring for DST days)."""
    candidate = local
    # Gaps are at most a few hours; walk minute by minute only on the rare nonexistent time.
    while not _exists(candidate, zone):
        candidate = (candidate + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return candidate.replace(tzinfo=zone, fold=0).astimezone(timezone.utc)


def parse_hhmm(value: str) -> time:
    return time.fromisoformat(value.strip())


def in_quiet_hours(local_time: time, quiet: tuple[str, str]) -> bool:
    """Whether a local time of day falls in the quiet window [start, end), which may span midnight."""
    start, end = parse_hhmm(quiet[0]), parse_hhmm(quiet[1])
    if start <= end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def quiet_end_after(instant: datetime, zone: ZoneInfo, quiet: tuple[str, str]) -> datetime:
    """The first instant at or after `instant` outside quiet hours, in UTC."""
    local = instant.astimezone(zone)
    if not in_quiet_hours(local.time(), quiet):
        return instant
    end = parse_hhmm(quiet[1])
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return to_utc(datetime.combine(day, end), zone)
