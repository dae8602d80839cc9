"""The clinic's appointment-reminder policy: when reminders go out before a visit, the quiet hours in the
patient's zone, and how many appointment texts a patient gets at most in a day.

Stored in `reminder_policy` once an admin (console) or an operator (`nightingale reminders policy set`)
saves one; until then the environment's settings (APPOINTMENT_REMINDER_OFFSETS, QUIET_HOURS,
APPOINTMENT_REMINDERS_PER_DAY) are the policy. Both writers call `save`, which refuses a stale version.
The dispatcher reads it through `PolicyCache`, so an edit applies within `CACHE_SECONDS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.reminders.models import ReminderPolicyRow
from bot.settings import Settings

CACHE_SECONDS = 30.0
UNITS = {"d": 24 * 60, "h": 60, "m": 1}
OFFSET = re.compile(r"^(\d{1,3})\s*([dhm])$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MIN_OFFSET, MAX_OFFSET, MAX_OFFSETS = 30, 30 * 24 * 60, 4
MAX_PER_DAY = 3  # the TCPA healthcare exemption allows one a day; a clinic may choose up to three, never more


@dataclass(frozen=True)
class Policy:
    offsets: tuple[int, ...]  # minutes before the appointment, largest first
    quiet_hours: tuple[str, str]  # local "HH:MM" start and end; the window may span midnight
    per_day: int
    version: int = 0  # 0: nothing stored yet, the environment's default applies
    updated_by: str = ""
    updated_at: datetime | None = None


class PolicyError(ValueError):
    """Bad input or a stale save; `errors` maps each field (or "policy") to what to do about it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def default(settings: Settings) -> Policy:
    return Policy(
        tuple(settings.appointment_reminder_offsets), settings.quiet_hours, settings.appointment_reminders_per_day
    )


def current(session: Session, settings: Settings) -> Policy:
    row = session.get(ReminderPolicyRow, 1)
    if row is None:
        return default(settings)
    offsets = tuple(int(part) for part in row.offsets.split(",") if part)
    return Policy(offsets, (row.quiet_start, row.quiet_end), row.per_day, row.version, row.updated_by, row.updated_at)


def offsets_text(offsets: tuple[int, ...]) -> str:
    """(10080, 120) -> '7d, 2h': the form and the command line write offsets this way."""
    parts = []
    for minutes in offsets:
        unit = next(u for u, size in UNITS.items() if minutes % size == 0)
        parts.append(f"{minutes // UNITS[unit]}{unit}")
    return ", ".join(parts)


def describe_offset(minutes: int) -> str:
    """'7 days before', '2 hours before', '90 minutes before'."""
    for unit, size in (("day", UNITS["d"]), ("hour", UNITS["h"]), ("minute", 1)):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'} before"
    raise AssertionError("unreachable: every whole minute count is a count of minutes")


def parse(offsets: str, quiet_start: str, quiet_end: str, per_day: str) -> Policy:
    """A policy from text fields (the console form, the command line); PolicyError names each bad field."""
    errors: dict[str, str] = {}
    minutes: list[int] = []
    for part in (p.strip().lower() for p in offsets.split(",") if p.strip()):
        match = OFFSET.match(part)
        if not match:
            errors["offsets"] = f"'{part[:20]}' is not a time before the visit: write 7d, 2d or 2h."
            break
        value = int(match.group(1)) * UNITS[match.group(2)]
        if not MIN_OFFSET <= value <= MAX_OFFSET:
            errors["offsets"] = f"'{part}': each reminder goes out between 30 minutes and 30 days before."
            break
        minutes.append(value)
    if "offsets" not in errors:
        if not minutes:
            errors["offsets"] = "Give at least one, like 7d, 2d."
        elif len(set(minutes)) != len(minutes):
            errors["offsets"] = "Each time appears once."
        elif len(minutes) > MAX_OFFSETS:
            errors["offsets"] = f"At most {MAX_OFFSETS} reminders per appointment."
    start, end = quiet_start.strip(), quiet_end.strip()
    for name, clock in (("quiet_start", start), ("quiet_end", end)):
        if not CLOCK.match(clock):
            errors[name] = "Write a 24-hour time like 21:00."
    if "quiet_start" not in errors and "quiet_end" not in errors and start == end:
        errors["quiet_end"] = "Quiet hours end at a different time than they start."
    count = per_day.strip()
    if not count.isdigit() or not 1 <= int(count) <= MAX_PER_DAY:
        errors["per_day"] = f"A whole number from 1 to {MAX_PER_DAY}."
    if errors:
        raise PolicyError(errors)
    return Policy(tuple(sorted(minutes, reverse=True)), (start, end), int(count))


def save(session: Session, settings: Settings, policy: Policy, version: int, actor: str) -> tuple[Policy, Policy]:
    """Store `policy` if the stored one is still at `version` (the one the editor read); returns
    (before, after). A stale version raises PolicyError and changes nothing."""
    before = current(session, settings)
    values = {
        "offsets": ",".join(str(m) for m in policy.offsets),
        "quiet_start": policy.quiet_hours[0],
        "quiet_end": policy.quiet_hours[1],
        "per_day": policy.per_day,
        "version": version + 1,
        "updated_by": actor[:80],
        "updated_at": utcnow(),
    }
    stale = PolicyError(
        {"policy": "Someone saved the reminder policy meanwhile; the form now shows theirs. " "Make your change again."}
    )
    if before.version != version:
        raise stale
    if version == 0:
        try:
            with session.begin_nested():  # another first save may win the race for the one row
                session.add(ReminderPolicyRow(id=1, **values))
        except IntegrityError:
            raise stale from None
    else:
        done = session.execute(
            update(ReminderPolicyRow)
            .where(ReminderPolicyRow.id == 1, ReminderPolicyRow.version == version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise stale
        session.expire_all()
    return before, current(session, settings)


def as_record(policy: Policy) -> dict[str, object]:
    """The policy as the audit log shows it."""
    return {
        "offsets": offsets_text(policy.offsets),
        "quiet_hours": "-".join(policy.quiet_hours),
        "per_day": policy.per_day,
    }


class PolicyCache:
    """The stored policy, read again at most every `ttl` seconds (the dispatcher asks on every pass), through
    the caller's session: a second connection would wait on SQLite's write lock that session holds."""

    def __init__(self, settings: Settings, ttl: float = CACHE_SECONDS) -> None:
        self.settings, self.ttl = settings, ttl
        self._value: Policy | None = None
        self._read_at = 0.0

    def get(self, session: Session) -> Policy:
        now = monotonic()
        if self._value is None or now - self._read_at >= self.ttl:
            self._value, self._read_at = current(session, self.settings), now
        return self._value
