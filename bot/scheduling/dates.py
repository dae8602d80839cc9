"""Dates written out: "2027-01-04", "1/4", "the 4th of January", "Jan 4", "the 4th" (the next one to come)."""

from __future__ import annotations

import re
from datetime import date

from dateutil.relativedelta import TH, relativedelta

from bot.scheduling.errors import TimeNotUnderstood

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
ORD = r"(?:st|nd|rd|th)"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_DAY_MONTH = re.compile(rf"\b(?:the\s+)?(\d{{1,2}}){ORD}?\s+(?:of\s+)?({_MON})\b(?:\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({_MON})\s+(?:the\s+)?(\d{{1,2}}){ORD}?\b(?:,?\s+(\d{{4}}))?")
_ORDINAL = re.compile(rf"\b(?:the\s+)?(\d{{1,2}}){ORD}\b")
# Days named for a holiday ("christmas day", "new year's day"), the next one to come; not "before christmas" (a
# span up to it) or "over christmas". Read also on text whose apostrophes became spaces ("new year s day").
_HOLIDAY = re.compile(
    r"(?<!before )(?<!after )(?<!until )(?<!till )(?<!by )(?<!over )(?<!around )(?<!during )(?<!since )"
    r"\b((?:christmas|xmas) eve|(?:christmas|xmas)(?: day)?|new year(?:'?s| s)? (?:day|eve)|independence day"
    r"|(?:the )?(?:fourth|4th) of july|thanksgiving(?: day)?)\b"
)


def explicit_date(s: str, today: date) -> date | None:
    """The date written in `s` ("2027-01-04", "1/4", "4th of January", "Jan 4", "the 4th"), None when none is."""
    match = _ISO.search(s)
    if match:
        return _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)), match.group(0))
    match = _NUMERIC.search(s)
    if match:
        month, day, year = int(match.group(1)), int(match.group(2)), match.group(3)
        full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        return _dated(full_year, month, day, today, match.group(0))
    match = _DAY_MONTH.search(s)
    if match:
        year = int(match.group(3)) if match.group(3) else None
        return _dated(year, MONTHS[match.group(2)], int(match.group(1)), today, match.group(0))
    match = _MONTH_DAY.search(s)
    if match:
        year = int(match.group(3)) if match.group(3) else None
        return _dated(year, MONTHS[match.group(1)], int(match.group(2)), today, match.group(0))
    match = _HOLIDAY.search(s)
    if match:
        return _holiday(match.group(1), today)
    match = _ORDINAL.search(s)
    if match:
        return _next_day_of_month(int(match.group(1)), today, match.group(0))
    return None


def _holiday(name: str, today: date) -> date:
    """The next day (today or later) that the holiday `name` falls on."""
    for year in (today.year, today.year + 1):
        if name.startswith("thanksgiving"):  # the fourth Thursday of November
            day = date(year, 11, 1) + relativedelta(weekday=TH(+4))
        elif name.endswith("eve"):
            day = date(year, 12, 24) if name.startswith(("christmas", "xmas")) else date(year, 12, 31)
        elif name.startswith(("christmas", "xmas")):
            day = date(year, 12, 25)
        elif name.startswith("new year"):
            day = date(year, 1, 1)
        else:
            day = date(year, 7, 4)
        if day >= today:
            return day
    return day


def _dated(year: int | None, month: int, day: int, today: date, raw: str) -> date:
    """A month and day without a year mean the next time that date comes round."""
    if year is not None:
        return _make_date(year, month, day, raw)
    candidate = _make_date(today.year, month, day, raw) if not (month == 2 and day == 29) else None
    if candidate is not None and candidate >= today:
        return candidate
    for year in range(today.year + (candidate is not None), today.year + 5):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise TimeNotUnderstood(f'I couldn\'t read "{raw}" as a date.')


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    if not 1 <= month <= 12:
        raise TimeNotUnderstood(f'I couldn\'t read "{raw}" as a date. Try something like "March 14".')
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeNotUnderstood(
            f"{MONTH_NAMES[month - 1]} doesn't have a {_ordinal(day)}. Which day did you mean?"
        ) from None


def _next_day_of_month(day: int, today: date, raw: str) -> date:
    if not 1 <= day <= 31:
        raise TimeNotUnderstood(f'I couldn\'t read "{raw}" as a date. Try something like "the 14th".')
    month_start = today.replace(day=1)
    for offset in range(0, 3):
        start = month_start + relativedelta(months=offset)
        try:
            candidate = start.replace(day=day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise TimeNotUnderstood(f'I couldn\'t read "{raw}" as a date.')


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
