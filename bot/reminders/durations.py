"""How long a medication plan runs, in the patient's words: "for the next 5 days", "until june 30", "no end date"."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from dateutil import parser as dateparser

# "next week" is one: "for the next week" of antibiotics was asked again.
_SPAN = re.compile(r"\b(\d+|a|an|one|two|three|four|six|next)\s*(day|week|month)s?\b")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "next": 1}
# "until my doctor tells me to stop", "for the foreseeable future": no end date the patient can name.
OPEN_ENDED = re.compile(
    r"\b(no end|forever|ongoing|indefinite\w*|until i (say )?stop|always|never|keep going|no end date|no end"
    r"|permanent\w*|long[ -]term|for life|foreseeable future|until further notice|as long as|no stop date"
    r"|until (?:my|the|a|i'?m told by (?:my|the)) ?(?:doctor|dr|physician|provider|nurse|gp|specialist)\b"
    r"|until (?:i'?m |i am )?told (?:otherwise|to stop)|(?:tells?|says?) (?:me )?(?:otherwise|to stop|stop))"
)
_UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru)\s+([a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
)
_FOR_SPAN = re.compile(
    r"\bfor\s+(?:the\s+)?(?:next\s+)?(\d+|a|an|one|two|three|four|six|next)\s*(day|week|month)s?\b"
)


def parse_until(text: str, today: date, start: date | None = None) -> date | None | Literal[False]:
    """The last day: a date, None for open-ended, or False when the words say neither. A span ("for 14
    days") counts from `start` (the plan's first day) when it is later than today."""
    text = text.lower().strip()
    if OPEN_ENDED.search(text):
        return None
    span = _SPAN.search(text)
    if span:
        count = _NUMBER_WORDS.get(span.group(1)) or int(span.group(1))
        days = {"day": 1, "week": 7, "month": 30}[span.group(2)] * count
        return max(today, start or today) + timedelta(days=days - 1)
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


def runs_for(lowered: str) -> bool:
    """Whether the request says for how long ("for the next 5 days"), which is every day of that time."""
    return bool(_FOR_SPAN.search(lowered))


def said_until(lowered: str, today: date, start: date | None = None) -> str | None:
    """The end a reminder request says, as the form's slot value (an ISO date or "none"); None when it says none."""
    if OPEN_ENDED.search(lowered):
        return "none"
    span = _FOR_SPAN.search(lowered) or _UNTIL.search(lowered)
    until = parse_until(span.group(0), today, start) if span else False
    return until.isoformat() if isinstance(until, date) else None
