"""What a reminder request says about its schedule besides the times themselves: how many times a day
("twice a day"), an interval ("every 6 hours"), when the plan starts ("starting monday") and whether it
names a second medication ("metformin at 8am and my lisinopril at 9am").

Why apart from bot.reminders.parsing: these readings decide whether the form may fill a slot or must ask,
and a hurried yes to the read-back saves whatever was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil import parser as dateparser

MOST_TIMES_A_DAY = 6  # as the medication form accepts
_COUNT_WORDS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "thrice": 3}
_A_DAY = r"(?:a|per|each|every|\/)\s*day|daily|a\s+day"
_TIMES_A_DAY = re.compile(
    rf"\b(once|twice|thrice|(?:one|two|three|four|five|six|\d)\s*(?:x|times?))\s*(?:{_A_DAY})\b"
    r"|\b(morning and (?:night|evening|bedtime)|(?:morning|am) and (?:pm))\b"
)
_EVERY_HOURS = re.compile(r"\bevery\s+(\d{1,2}|two|three|four|six|eight|twelve)\s*(?:hours?|hrs?|h)\b|\bq(\d{1,2})h\b")
_HOUR_WORDS = {"two": 2, "three": 3, "four": 4, "six": 6, "eight": 8, "twelve": 12}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "starting monday", "from tomorrow", "beginning dec 7": when the plan starts, not which days it runs.
# "from monday to friday" is a range of days, so a "to/through/-" after it keeps it out.
START = re.compile(
    r"\b(?:starting|start|beginning|begin|from)\s+(?:on\s+|this\s+|next\s+|the\s+)?"
    r"(today|tomorrow|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}(?:st|nd|rd|th))\b"
    r"(?!\s*(?:to|through|thru|till|until|-)\s)"
)


# A time added to a plan the patient has ("add a second metformin reminder at 6pm", "add 6pm to my metformin
# reminder"): read as a new plan, it replaced the old one, so the 8 AM dose went.
_ADDS_A_TIME = re.compile(
    r"\b(add|adding)\b.{0,25}\b(second|another|extra|additional|one more)\b"
    r"|\b(second|another|extra|additional|one more) (time|dose|reminder)s? (to|for|on) (my|the)\b"
    r"|\badd\b.{0,20}\bto (my|the)\b.{0,25}\b(reminders?|texts?|plan)\b",
    re.I,
)


def adds_a_time(text: str) -> bool:
    """Whether the words add a dose time to a plan rather than set up one of its own."""
    return bool(_ADDS_A_TIME.search(text or ""))


def times_a_day(text: str) -> int | None:
    """How many times a day the words say ("twice a day" 2, "4 times daily" 4, "morning and night" 2)."""
    text = text.lower()
    match = _TIMES_A_DAY.search(text)
    if match is None:
        return None
    if match.group(2):
        return 2
    word = re.match(r"[a-z]+|\d", match.group(1))
    said = word.group(0) if word else ""
    return _COUNT_WORDS.get(said) or (int(said) if said.isdigit() else None)


def every_hours(text: str) -> int | None:
    """The interval "every 6 hours" / "every 8 hrs" / "q6h" names, in hours; None when none is said."""
    match = _EVERY_HOURS.search(text.lower())
    if match is None:
        return None
    said = match.group(1) or match.group(2)
    hours = _HOUR_WORDS.get(said) or int(said)
    return hours if 1 <= hours <= 24 else None


def interval_times(hours: int, first: time = time(6)) -> list[time]:
    """The times of a day `hours` apart from `first` ("every 6 hours" from 6 AM: 6 AM, noon, 6 PM, midnight)."""
    start = datetime.combine(date(2000, 1, 1), first)
    return [(start + timedelta(hours=hours * k)).time() for k in range(-(-24 // hours))]


def spread_repeated_hours(text: str, times: list[time], count: int | None) -> list[time]:
    """ "8 and 8" said for twice a day: the same bare hour twice is one in the morning and one at night
    (8:00 AM and 8:00 PM); otherwise `times` unchanged."""
    bare = [int(h) for h, m, half in re.findall(r"(?<![\d:])(\d{1,2})(?::(\d\d))?\s*(am|pm|a|p)?\b", text.lower())
            if not half and not m and 1 <= int(h) <= 12]
    if count is None or len(times) >= count or len(bare) < 2 or len(set(bare)) == len(bare):
        return times
    spread = set(times)
    for hour in {h for h in bare if bare.count(h) > 1}:
        spread |= {time(hour % 12), time(hour % 12 + 12)}
    return sorted(spread) if len(spread) == count else times


def plan_start(text: str, today: date) -> date | None:
    """The day "starting monday" / "from dec 7" names (a weekday: the next one after today), None if none."""
    match = START.search(text.lower())
    if match is None:
        return None
    said = match.group(1)
    if said == "today":
        return today
    if said == "tomorrow":
        return today + timedelta(days=1)
    for index, name in enumerate(_WEEKDAYS):
        if name.startswith(said[:3]) and said.isalpha():
            return today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    try:
        parsed = dateparser.parse(re.sub(r"(st|nd|rd|th)$", "", said), default=datetime.combine(today, time()))
    except (ValueError, OverflowError):
        return None
    day = parsed.date()
    return day if day >= today else day.replace(year=day.year + 1)


_TOKEN = r"(?:omega[\s-]?\d{1,2}|[a-z][a-z0-9\-']*)"
_NOT_A_NAME = {
    "at", "in", "on", "for", "every", "each", "daily", "then", "again", "also", "until", "till", "remind", "a",
    "an", "the", "no", "twice", "once", "i", "it", "take", "please", "pls", "stop", "from", "starting", "to",
    "morning", "noon", "midday", "lunch", "afternoon", "evening", "dinner", "night", "nightly", "bedtime",
    "midnight", "tonight", "breakfast", "weekdays", "weekends", "day", "days", "week", "weeks", "me", "text",
    "name", "my", "his", "her", "with", "after", "before", "around", "about",
}
_NEXT_DRUG = re.compile(
    rf"\b(?:and|plus|&)\s+(?:also\s+|then\s+)?(?P<verb>(?:take|give|use)\s+)?(?P<own>(?:my|the|his|her)\s+)?"
    rf"(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)(?=\s+(?P<when>at|every|each|in the|twice|once|daily|\d)|\s*$|[,.])"
)


@dataclass(frozen=True)
class Split:
    """A request cut where a second medication with its own schedule begins."""

    first: str  # the words about the first medication only
    rest: str | None  # the words from the second medication on ("lisinopril at 9am"), None for one medication
    second: str | None  # the second medication's name


def split_medications(text: str, after: int) -> Split:
    """`text` cut at a second medication named after position `after` (the end of the first name)."""
    for match in _NEXT_DRUG.finditer(text, after):
        words = match.group("name").split()
        while words and (words[-1] in _NOT_A_NAME or re.fullmatch(r"(?:[ap]m|\d+)", words[-1])):
            words.pop()
        if not words or words[0] in _NOT_A_NAME or re.match(r"(mon|tue|wed|thu|fri|sat|sun)", words[0]):
            continue
        if not (match.group("verb") or match.group("own") or match.group("when")):
            continue
        name = " ".join(words)
        return Split(text[: match.start()].strip(), text[match.start("name"):].strip(), name)
    return Split(text, None, None)
