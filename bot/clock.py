"""How patients write times of day and how times and spans of time are said to them, one rule each.

Reading: the same words mean the same time whether a patient is booking a visit or setting a medication
reminder. Saying: every time a patient sees is "8:30 AM" or "8:00 AM" (never "8am" or "8 AM"), and every
moment staff see in the console reads "Thu Dec 3, 8:30 AM EST" in the zone it happens in.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from functools import partial
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


_HOURS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_HOUR = r"(" + "|".join(_HOURS) + r"|\d{1,2})"
_MINUTES = {"oh five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty five": 45,
            "forty-five": 45, "fifty": 50}
# Spoken forms with their minutes: "half past six", "a quarter past 8", "a quarter to eight" (an hour earlier).
_SPOKEN = (
    (re.compile(rf"\bhalf (?:past|after) {_HOUR}\b"), 0, 30),
    (re.compile(rf"\b(?:a )?quarter (?:past|after) {_HOUR}\b"), 0, 15),
    (re.compile(rf"\b(?:a )?quarter (?:to|till|til|of) {_HOUR}\b"), -1, 45),
)
_MINUTE_WORDS = "|".join(sorted(_MINUTES, key=len, reverse=True))
_HOUR_MINUTES = re.compile(rf"\b{_HOUR} ({_MINUTE_WORDS})\b(?! (?:minutes|mins|pills))")
_HOUR_WORD = re.compile(
    rf"\b(at|around|about|by|after|before|till|until) ({'|'.join(_HOURS)})\b"
    r"(?! (?:pills?|tablets?|times|days|weeks|of))"
    rf"|\b({'|'.join(_HOURS)})(?= ?(?:o'?clock|am|pm|a\.m\.|p\.m\.)\b)"
)


# "Good afternoon" greets; it names no time to come in or to take a dose.
GREETING = re.compile(r"\b(?:good|gd)\s+(?:morning|afternoon|evening)\b")


def _hour(word: str) -> int:
    return int(word) if word.isdigit() else _HOURS.index(word) + 1


def _said_time(match: re.Match[str], shift: int, minutes: int) -> str:
    return f"{(_hour(match[1]) + shift - 1) % 12 + 1}:{minutes}"


def spoken_clock(text: str) -> str:
    """Lower-case text with clock times said in words written in digits, so one reader reads them all: "half
    past six" -> "6:30", "a quarter to eight" -> "7:45", "seven thirty" -> "7:30", "at nine" -> "at 9".
    Counts stay words ("two pills", "three times a day")."""
    for pattern, shift, minutes in _SPOKEN:
        text = pattern.sub(partial(_said_time, shift=shift, minutes=minutes), text)
    text = _HOUR_MINUTES.sub(lambda m: f"{_hour(m[1])}:{_MINUTES[m[2]]:02d}", text)
    return _HOUR_WORD.sub(lambda m: f"{m[1]} {_hour(m[2])}" if m[1] else str(_hour(m[3])), text)


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
