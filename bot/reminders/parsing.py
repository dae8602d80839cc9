"""Reading a patient's words for a medication plan: times of day, days, and until when."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil import parser as dateparser

from bot.clock import read_clock
from bot.reminders.plans import WEEKDAY_NAMES

NAMED_TIMES = {"morning": time(8), "noon": time(12), "lunch": time(12), "midday": time(12), "afternoon": time(14),
               "evening": time(18), "dinner": time(18), "night": time(21), "bedtime": time(21), "midnight": time(0)}  # fmt: skip
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?\b")
_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_DAY_WORD = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b")
_SPAN = re.compile(r"\b(\d+|a|an|one|two|three|four|six)\s*(day|week|month)s?\b")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
OPEN_ENDED = re.compile(r"\b(no end|forever|ongoing|indefinite\w*|until i (say )?stop|always|never|keep going|no end date)\b")


def parse_times(text: str) -> list[time]:
    """'8am and 8pm', '08:00, 20:00', 'morning and bedtime', '9' -> sorted distinct times; [] if none.

    A bare hour is read as everywhere else (bot.clock.read_clock): '9' is 9:00 AM, '3' is 3:00 PM."""
    text = text.lower()
    found: set[time] = set()
    for hour_text, minute_text, meridiem in _CLOCK.findall(text):
        try:
            found.add(read_clock(hour_text, minute_text, meridiem))
        except ValueError:
            return []
    for word, value in NAMED_TIMES.items():
        if re.search(rf"\b{word}\b", text):
            found.add(value)
    if re.search(r"\btwice a day\b|\btwice daily\b", text) and not found:
        found = {time(8), time(20)}
    return sorted(found)


def parse_days(text: str) -> str | None:
    """Days as an RFC 5545 rule: 'every day' -> FREQ=DAILY, 'weekdays', 'mon wed fri', 'every other day'."""
    text = text.lower()
    if re.search(r"\bevery (other|second) day\b|\balternate days\b", text):
        return "FREQ=DAILY;INTERVAL=2"
    if re.search(r"\bweekdays?\b|\bmon(day)? (to|through|-) fri(day)?\b|\bwork ?days\b", text):
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if re.search(r"\bweekends?\b", text):
        return "FREQ=WEEKLY;BYDAY=SA,SU"
    days = [_DAYS[d] for d in _DAY_WORD.findall(text)]
    if days:
        ordered = [code for code in WEEKDAY_NAMES if code in days]
        return "FREQ=WEEKLY;BYDAY=" + ",".join(ordered)
    if re.search(r"\b(every ?day|daily|each day|all days|every single day|7 days|seven days|everyday)\b", text):
        return "FREQ=DAILY"
    return None


def parse_until(text: str, today: date) -> date | None | bool:
    """The last day: a date, None for open-ended, or False when the words say neither."""
    text = text.lower().strip()
    if OPEN_ENDED.search(text):
        return None
    span = _SPAN.search(text)
    if span:
        count = _NUMBER_WORDS.get(span.group(1)) or int(span.group(1))
        days = {"day": 1, "week": 7, "month": 30}[span.group(2)] * count
        return today + timedelta(days=days - 1)
    cleaned = re.sub(r"\b(until|till|til|up to|through|thru|to|the|on|of)\b", " ", text).strip()
    if not cleaned:
        return False
    try:
        parsed = dateparser.parse(cleaned, default=datetime.combine(today, time())).date()
    except (ValueError, OverflowError):
        return False
    if parsed < today:
        parsed = parsed.replace(year=parsed.year + 1)
    return parsed
