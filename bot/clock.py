"""How patients write times of day and how times and spans of time are said to them, one rule each.

Reading: the same words mean the same time whether a patient is booking a visit or setting a medication
reminder. Saying: every time a patient sees is "8:30 AM" or "8:00 AM" (never "8am" or "8 AM"), and every
moment staff see in the console reads "Thu Dec 3, 8:30 AM EST" in the zone it happens in.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# A bare hour up to this one, with no am/pm, is in the afternoon: "3" is 3:00 PM. Visits at 3 AM do not
# exist and doses at 3 AM are rare enough to be written "3am"; "7" stays 7:00 AM, a common morning dose.
LAST_AFTERNOON_HOUR = 6


def read_clock(hour_text: str, minute_text: str | None = None, meridiem: str | None = None) -> time:
    """The time of day meant by an hour, optional minutes and an optional am/pm ("am", "p", "p.m.").

    With am/pm: a 12-hour clock, hours 1-12. Without: hours 0 and 13-23, and an hour written with a
    leading zero ("08:00", "03:30"), read as a 24-hour clock; a bare 1-6 is the afternoon ("3" is 3:00 PM,
    "5:30" is 5:30 PM); 7-12 as written ("9" is 9:00 AM, "12" is noon).
    ValueError for what cannot be a time ("25", "13pm", "8:75").
    """
    hour, minute = int(hour_text), int(minute_text or 0)
    if not 0 <= minute <= 59:
        raise ValueError(f"no minute {minute}")
    half = (meridiem or "").strip().lower()[:1]
    if half in ("a", "p"):
        if not 1 <= hour <= 12:
            raise ValueError(f"no hour {hour} on a 12-hour clock")
        return time(hour % 12 + (12 if half == "p" else 0), minute)
    if not 0 <= hour <= 23:
        raise ValueError(f"no hour {hour}")
    if 1 <= hour <= LAST_AFTERNOON_HOUR and not hour_text.startswith("0"):
        hour += 12
    return time(hour, minute)


def clock_text(value: time) -> str:
    """'8:00 AM', '12:30 PM': the one way a time of day is shown to patients."""
    return f"{value.hour % 12 or 12}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def moment_text(instant: datetime, zone: ZoneInfo, year: bool = False) -> str:
    """'Thu Dec 3, 8:30 AM EST' ('Thu Dec 3 2026, 8:30 AM EST' with `year`): an instant as read in `zone`;
    lists that reach back or ahead more than a few weeks (deliveries, appointments) name the year."""
    local = instant.astimezone(zone)
    day = f"{local:%a %b} {local.day}" + (f" {local.year}" if year else "")
    return f"{day}, {clock_text(local.time())} {local.tzname()}"


def duration_text(span: timedelta) -> str:
    """'15 minutes', '1 hour', '1 hour 30 minutes': whole minutes, as a sentence names a limit."""
    hours, minutes = divmod(int(span.total_seconds() // 60), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
