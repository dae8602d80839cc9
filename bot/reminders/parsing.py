"""Reading a patient's words for a medication plan: times of day, days, and until when."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from dateutil import parser as dateparser

from bot.clock import read_clock
from bot.corrections import corrected
from bot.reminders.plans import WEEKDAY_NAMES

NAMED_TIMES = {
    "morning": time(8),
    "noon": time(12),
    "lunch": time(12),
    "midday": time(12),
    "afternoon": time(14),
    "evening": time(18),
    "dinner": time(18),
    "night": time(21),
    "bedtime": time(21),
    "midnight": time(0),
}
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?\b")
_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
# A weekday's name or its short forms ("mon", "tues", "thurs", "weds"); not "months", "sunny", "satisfied".
_DAY_WORD = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|days|s|nesday|nesdays|sday|sdays|rs|rsday|rsdays|urday|urdays|\.)?\b"
)
_SPAN = re.compile(r"\b(\d+|a|an|one|two|three|four|six)\s*(day|week|month)s?\b")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
OPEN_ENDED = re.compile(
    r"\b(no end|forever|ongoing|indefinite\w*|until i (say )?stop|always|never|keep going|no end date)\b"
)


# "10 o'clock at night", "8 in the evening", "9 in the morning": the words say the half of the day.
_HALF_OF_DAY = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:o'?\s?clock\s*)?"
    r"(at night|in the evening|in the afternoon|tonight|in the morning)\b"
)
# "every morning at 8", "nightly around 9": the half of the day said first, then a bare hour.
_HALF_THEN_HOUR = re.compile(
    r"\b(morning|afternoon|evening|night|nightly|tonight)s?\s+(?:at|around|about|@)\s+(\d{1,2})(?:[:.](\d{2}))?"
    r"(?!\s*(?:[ap]\.?m\b|[ap]\b|[:.]?\d|o'?\s?clock\s+(?:at|in)\b))"
)
# The details a correction replaces ("8am, no sorry 9am"): clock times and named times, days, an end date or span.
_TIME_DETAIL = re.compile(
    r"(?<![/\d])\b\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?!\s*(?:mg|mcg|ml|g\b|units?|iu|pills?|tab|"
    r"caps?|capsules?|puffs?|drops?|days?|weeks?|months?|st\b|nd\b|rd\b|th\b|/|\d))"
    r"|\b(?:morning|noon|lunch|midday|afternoon|evening|dinner|night|bedtime|midnight)\b"
)
_DAY_DETAIL = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:every ?day|daily|weekdays?|weekends?|every other day)\b"
)
_UNTIL_DETAIL = re.compile(
    r"\b\d+\s*(?:days?|weeks?|months?)\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
CORRECTED_DETAILS = (_TIME_DETAIL, _DAY_DETAIL, _UNTIL_DETAIL)
# A named time a few words from a clock time, with no "and" between, is that time's label ("at bedtime, around
# 10pm" is one time; "morning and 9pm" two).
_LABEL_GAP = r"(?:(?!\b(?:and|then|plus)\b)[^\d])*?"


def _halves_said(text: str) -> str:
    """ "10 o'clock at night" -> "10:00pm": a bare hour with its half of the day is a clock time, not two."""
    def said(match: re.Match[str]) -> str:
        half = "am" if match.group(3) == "in the morning" else "pm"
        return f"{match.group(1)}:{match.group(2) or '00'}{half}"

    def hour_after(match: re.Match[str]) -> str:
        # "morning at 8" is 8 AM; "night at 9" 9 PM, and "night at 12" midnight. The word stays to label it.
        word, hour = match.group(1), int(match.group(2))
        half = "am" if word == "morning" or (hour == 12 and word != "afternoon") else "pm"
        return f"{match.group(0)[: match.start(2) - match.start(0)]}{hour}:{match.group(3) or '00'}{half}"

    return _HALF_THEN_HOUR.sub(hour_after, _HALF_OF_DAY.sub(said, text))


def parse_times(text: str) -> list[time]:
    """'8am and 8pm', '08:00, 20:00', 'morning and bedtime', '9' -> sorted distinct times; [] if none.

    A bare hour is read as everywhere else (bot.clock.read_clock): '9' is 9:00 AM, '3' is 3:00 PM."""
    text = _halves_said(corrected(text.lower(), CORRECTED_DETAILS))
    found: set[time] = set()
    for hour_text, minute_text, meridiem in _CLOCK.findall(text):
        try:
            found.add(read_clock(hour_text, minute_text, meridiem))
        except ValueError:
            return []
    for word, value in NAMED_TIMES.items():
        labelled = rf"\b{word}\b{_LABEL_GAP}\d{{1,2}}(:\d\d)?\s*[ap]m|\d{{1,2}}(:\d\d)?\s*[ap]m\b{_LABEL_GAP}\b{word}\b"
        if re.search(rf"\b{word}\b", text) and not re.search(labelled, text):
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
    if re.search(
        r"\b(every ?day|daily|each day|all days|every single day|7 days|seven days|everyday|nightly"
        r"|(every|each) (morning|afternoon|evening|night)|(once|twice|\w+ times) (a|per) day)\b",
        text,
    ):
        return "FREQ=DAILY"
    return None


def parse_until(text: str, today: date) -> date | None | Literal[False]:
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


_REFILL = re.compile(
    r"\b(?:refill|refil|refills|renew|renewal|out of|running out of|low on|more)\b\s+"
    r"(?:on |of |for )?(?:my |the |some )?([a-z][a-z0-9\-]+)",
    re.I,
)
_NOT_A_DRUG = {
    "please",
    "pls",
    "plz",
    "prescription",
    "prescriptions",
    "medication",
    "medications",
    "meds",
    "med",
    "medicine",
    "pills",
    "pill",
    "it",
    "them",
    "asap",
    "a",
    "an",
    "refill",
    "refills",
    "my",
    "to",
    "and",
}


# The drug before the verb: "i just need my sertraline refilled", "my metformin needs refilling".
_REFILLED = re.compile(
    r"\b(?:my|the|our|his|her)\s+([a-z][a-z0-9\-]+)\s+(?:(?:needs?|needing)\s+)?(?:to be\s+)?"
    r"(?:refilled|refilling|refill|renewed|renewing|renew|topped up)\b"
    r"|\bnew (?:prescription|script|rx) (?:for|of) (?:my |the )?([a-z][a-z0-9\-]+)",
    re.I,
)


def refill_medication(text: str) -> str | None:
    """The drug a refill request names ("need a refill on my albuterol inhaler" -> "albuterol"), else None."""
    for match in (*_REFILL.finditer(text or ""), *_REFILLED.finditer(text or "")):
        word = next(g for g in match.groups() if g).lower()
        if word not in _NOT_A_DRUG:
            return word
    return None


_GENERIC = {
    "meds",
    "med",
    "medication",
    "medications",
    "medicine",
    "medicines",
    "pill",
    "pills",
    "tablets",
    "tablet",
    "prescription",
    "dose",
    "doses",
    "it",
    "them",
}
_DOSE = r"(?:\d+(?:\.\d+)?\s*(?:mg|mcg|ml|units?|iu|pills?|tablets?|tabs?|caps?|capsules?|puffs?|drops?)\s+(?:of\s+)?)?"
_TAKE = re.compile(
    rf"\b(?:take|tak|taking|takes|for|about|on)\s+(?:my|the|our|his|her)\s+{_DOSE}"
    r"([a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,2})"
    rf"|\btake\s+{_DOSE}([a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){{0,2}})",
    re.I,
)
_UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru)\s+([a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
)
# Numbers in a reminder request that are not clock times: doses, counts, spans and dates.
_NOT_TIMES = re.compile(
    r"\b\d+(\.\d+)?\s*(mg|mcg|g|ml|units?|iu|pills?|tablets?|tabs?|caps?|capsules?|puffs?|drops?)\b"
    r"|\b(\d+|a|an|one|two|three|four|six)\s*(day|week|month)s?\b"
    r"|\b(until|till|til|thru|through|starting|from)\s+[a-z]+\.?\s+\d{1,2}(st|nd|rd|th)?\b|\b\d{1,2}(st|nd|rd|th)\b"
    r"|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b"
)
_FOR_SPAN = re.compile(r"\bfor\s+(?:the\s+next\s+)?(\d+|a|an|one|two|three|four|six)\s*(day|week|month)s?\b")
_ENDS_NAME = re.compile(
    r"\s+\b(at|every|each|twice|once|three|two|daily|in|on|no|for|with|around|before|after|"
    r"and|please|pls|a|an|the|morning|night|evening|bedtime|times?)\b.*$",
    re.I,
)


def plan_request(text: str, today: date) -> dict[str, str]:
    """What a request to set a reminder already says, as the medication form's slot values: medication,
    times ("08:00,20:00"), days (a rule) and until (an ISO date or "none"); each only when the words name it."""
    lowered = corrected((text or "").lower(), CORRECTED_DETAILS)
    found: dict[str, str] = {}
    for match in _TAKE.finditer(lowered):
        name = _ENDS_NAME.sub("", match.group(1) or match.group(2)).strip()
        name = re.sub(r"\s+(pill|pills|tablet|tablets|medication|medicine|meds)$", "", name)
        if name and name not in _GENERIC:
            found["reminder_medication"] = name
            break
    # Times only when they cannot be misread: every clock time with am/pm or minutes ("8 at night" is asked),
    # once the numbers that are not times are set aside; a named time beside as many clock times labels them
    # ("every morning at 8am"). Each reading is confirmed in the form's read-back before it is saved.
    timing = _halves_said(_NOT_TIMES.sub(" ", lowered))
    clocks = _CLOCK.findall(timing)
    named = [w for w in NAMED_TIMES if re.search(rf"\b{w}\b", timing)]
    if clocks and all(meridiem or minutes for _, minutes, meridiem in clocks) and len(named) <= len(clocks):
        times = sorted({read_clock(*clock) for clock in clocks})
    else:
        times = parse_times(timing) if named and not clocks else []
    if times:
        found["reminder_times"] = ",".join(t.strftime("%H:%M") for t in times)
    days = parse_days(lowered)
    if days:
        found["reminder_days"] = days
    span = _FOR_SPAN.search(lowered) or _UNTIL.search(lowered)
    if OPEN_ENDED.search(lowered):
        found["reminder_until"] = "none"
    elif span:
        until = parse_until(span.group(0), today)
        if isinstance(until, date):
            found["reminder_until"] = until.isoformat()
    return found


# "remind me again in 30 minutes", "snooze an hour", "half an hour": the delay asked for, kept to what a
# dose reminder can sensibly wait (a longer wait is the next dose's business).
_SNOOZE_FOR = re.compile(
    r"\b(half an hour|half hour|an hour|a hour|one hour|(\d{1,3})\s*(m|min|mins|minutes?|h|hr|hrs|hours?))\b", re.I
)
SNOOZE_LIMITS = (timedelta(minutes=5), timedelta(hours=4))


def snooze_for(text: str) -> timedelta | None:
    """The snooze the words ask for, within SNOOZE_LIMITS; None when they name none."""
    match = _SNOOZE_FOR.search(text or "")
    if match is None:
        return None
    words = match.group(1).lower()
    if "half" in words:
        asked = timedelta(minutes=30)
    elif match.group(2) is None:
        asked = timedelta(hours=1)
    else:
        unit = match.group(3).lower()
        asked = timedelta(hours=int(match.group(2))) if unit.startswith("h") else timedelta(minutes=int(match.group(2)))
    return min(max(asked, SNOOZE_LIMITS[0]), SNOOZE_LIMITS[1])
