"""The clinic's booking rules: how far ahead, how soon, when it is open, and how times are said to patients."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clinic import WEEKDAYS, ClinicProfile
from bot.clock import clock_text
from bot.models import ClinicHoliday
from bot.scheduling.errors import BeyondHorizon, OutsideOpeningHours, PastTime
from bot.scheduling.relative import relative_when
from bot.scheduling.timeparse import When, parse_when

# The front desk needs a little time to prepare a visit; nothing is offered sooner than this.
MIN_NOTICE = timedelta(hours=1)
GRAIN = timedelta(minutes=15)


def closed_reason(profile: ClinicProfile, day: date, holidays: dict[date, str]) -> str | None:
    """Why the clinic is closed on `day` ("Christmas Day", "Sundays"), or None when it is open."""
    name = holidays.get(day)
    if name:
        return name
    if profile.opening_hours(day) is None:
        return f"{WEEKDAYS[day.weekday()].capitalize()}s"
    return None


def read_request(
    session: Session, text: str, profile: ClinicProfile, now: datetime, horizon_days: int,
    moving_from: datetime | None = None,
) -> When | None:
    """A patient's words as a bookable request: None when they name no time, SchedulingError when unbookable.
    `moving_from`: the local start of the appointment being moved ("push it back a week" is read against it)."""
    said = parse_when(text, now, horizon_days)
    relative = relative_when(text, moving_from, now, said) if moving_from else None
    when = relative or said
    if when is None:
        return None
    if moving_from is not None and relative is None and when.first_day < when.last_day:
        # "Can we do next week instead?" when the appointment is in that week: any day but its own. One named
        # day ("later on monday") or a time relative to it ("an hour later") may still be that day.
        when = replace(when, except_day=moving_from.date())
    holidays = {h.day: h.name for h in session.execute(select(ClinicHoliday)).scalars()}
    return check_when(when, profile, now, horizon_days, holidays)


def check_when(
    when: When, profile: ClinicProfile, now: datetime, horizon_days: int, holidays: dict[date, str]
) -> When:
    """The request clipped to what can be booked, or the reason it cannot be (past, too far, closed)."""
    today = now.date()
    horizon = today + timedelta(days=horizon_days)
    if when.last_day < today:
        raise PastTime("That date has already passed. Which day would you like instead?")
    if when.first_day == when.last_day == today and (when.exact or when.latest or time.max) <= now.time():
        raise PastTime("That time has already passed today. Would another time or day work?")
    if when.first_day > horizon:
        raise BeyondHorizon(
            f"We book up to {horizon_days} days ahead, so the latest day I can offer is {say_day(horizon)}. "
            "Which day would you like?"
        )
    when = replace(when, first_day=max(when.first_day, today), last_day=min(when.last_day, horizon))
    open_days = [d for d in when.days() if closed_reason(profile, d, holidays) is None]
    if not open_days:
        if when.first_day == when.last_day:
            reason = closed_reason(profile, when.first_day, holidays) or "that day"
            nearest = " and ".join(say_day(d) for d in _open_around(when.first_day, profile, holidays, today, horizon))
            raise OutsideOpeningHours(
                f"The clinic is closed on {reason}. We're open {profile.weekly_hours()}."
                + (f" The nearest days we're open are {nearest}." if nearest else "")
                + " Which other day works?"
            )
        raise OutsideOpeningHours(f"The clinic is closed then. We're open {profile.weekly_hours()}.")
    if not any(_window_fits(when, profile.opening_hours(d)) for d in open_days):
        raise OutsideOpeningHours(
            f"That's outside our opening hours. We're open {profile.weekly_hours()}. What time would work?"
        )
    return when


def _open_around(
    day: date, profile: ClinicProfile, holidays: dict[date, str], today: date, horizon: date
) -> list[date]:
    """The open days nearest `day` before and after it (within a week, today to the horizon)."""
    around = []
    for step in (-1, 1):
        near = (day + timedelta(days=step * n) for n in range(1, 8))
        open_day = (d for d in near if today <= d <= horizon and not closed_reason(profile, d, holidays))
        around.append(next(open_day, None))
    return [d for d in around if d is not None]


def _window_fits(when: When, hours: tuple[time, time] | None) -> bool:
    if hours is None:
        return False
    opens, closes = hours
    if when.exact is not None:
        return opens <= when.exact < closes
    return (when.earliest or time.min) < closes and (when.latest or time.max) > opens


def say_day(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def say_when(instant: datetime, zone: ZoneInfo) -> str:
    """'Tuesday, November 24 at 2:30 PM' in the clinic's zone."""
    local = instant.astimezone(zone)
    return f"{say_day(local.date())} at {clock_text(local.time())}"
