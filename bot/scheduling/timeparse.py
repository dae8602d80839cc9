"""What a patient means by "next tuesday afternoon", "tomorrow at 3", "the 14th", "asap" or "after 5pm any weekday".

`parse_when` turns the words into a `When` (days, an optional daily window or exact time, an optional weekday
filter) relative to the clinic's local "now". It only reads the words; whether the clinic can honour them
(past, too far ahead, closed) is `bot.scheduling.policies.check_when`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from bot.clock import GREETING, read_clock, spoken_clock
from bot.corrections import corrected
from bot.scheduling.dates import ORD, explicit_date
from bot.scheduling.errors import TimeNotUnderstood
from bot.scheduling.spans import counted_day, phrased_part, plain_bounds, to_friday, week_span
from bot.scheduling.spelling import spelt_out
from bot.scheduling.weekdays import WD, WEEKDAYS, later_weekday, named_day, ruled_out

PARTS_OF_DAY = {
    "morning": (None, time(12)),
    "lunch": (time(11, 30), time(13, 30)),
    "lunchtime": (time(11, 30), time(13, 30)),
    "afternoon": (time(12), time(17)),
    "arvo": (time(12), time(17)),  # Australian and British texting
    "evening": (time(17), None),
    "after school": (time(15), None),
    "tonight": (time(17), None),
}
ASAP = re.compile(
    r"\b(asap|a\.?s\.?a\.?p|as soon as possible|soonest|earliest|first available|next available|"
    r"any ?time|whenever|as early as possible|first opening|next opening)\b"
)
_WD = WD
# "thurs pm", "tmrw am": the half of a named day (after a day word only: "i am free friday" names no morning).
_HALF_DAY = re.compile(rf"\b({_WD}|today|tomorrow|tmrw|tmr)\s+([ap])m\b")
_CLOCK = re.compile(
    r"(?:\b(?P<qual>at|after|before|by|from|around|past|til|till|until|between|and|to)\s+)?"
    r"(?:\b(?P<word>noon|midday|midnight)\b"
    r"|\b(?P<h>\d{1,3})(?::(?P<m>\d{1,2}))?\s*(?P<ampm>am|pm)\b"
    r"|\b(?P<h24>\d{1,2}):(?P<m24>\d{2})\b)"
)
_BARE_HOUR = re.compile(
    r"\b(?P<qual>at|after|before|by|from|around|til|till|until|between|and)\s+(?P<h>\d{1,2})\b(?!\s*(?:/|-|:|"
    + ORD
    + r"))"
)
# "i work til 4:30", "i get off at 5", "school ends at 3": the patient is free only after that time.
_BUSY_UNTIL = re.compile(
    r"\b(?:i\s+)?(?:work|working|am at work|m at work|at work|in class|in school|get off(?: work)?|off work|"
    r"finish(?: work)?|done with work|school ends|work ends|class ends|shift ends)\s+(?:til|till|until|at|by|around)\s+"
)
# "anything aftr 5pm": a misspelt bound is still a bound (read as the exact time, it offered 4:45 PM).
_QUALIFIER_TYPO_FOR = {"aftr": "after", "afer": "after", "affter": "after", "atfer": "after", "befor": "before",
                       "b4": "before", "bfore": "before", "untill": "until", "unitl": "until"}
_QUALIFIER_TYPOS = re.compile(r"\b(" + "|".join(_QUALIFIER_TYPO_FOR) + r")\b")
# "Good morning, ... an afternoon on a weekday": a greeting names no part of the day.
_IN_N = re.compile(r"\bin\s+(\d+|a|one|two|three|four)\s*(day|days|week|weeks|wk|wks)\b")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
# "4 in the afternoon", "9 o'clock in the morning": a clock time with its half of the day (read as the afternoon
# alone, it offered 12-2 PM to "wednesday at 4, I mean 4 in the afternoon").
_HALF_SAID = re.compile(r"\b(\d{1,2}(?::\d{2})?)\s*(?:o'?clock\s+)?in the (morning|afternoon|evening)\b")
# "wednesday not tomorrow", "instead of today": the day taken back is no day asked for.
_NOT_THAT_DAY = re.compile(r"\b(?:not|instead of|rather than)\s+(?:today|tomorrow|tmrw|tmr)\b")
# The details a correction replaces ("monday, no wait, tuesday afternoon"): the day (a weekday, a named or written
# date, a week) and the time (a clock time with its qualifier, a part of the day).
DAY_DETAIL = re.compile(
    rf"\b(?:(?:next|this|on)\s+)?(?:{_WD})s?\b|\b(?:today|tonight|tomorrow|tmrw|tmr|day after tomorrow)\b"
    rf"|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b(?:the\s+)?\d{{1,2}}{ORD}\b(?:\s+of\s+[a-z]+)?"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}\b|\b(?:next|this) week\b"
)
_TIME_DETAIL = re.compile(
    r"\b(?:(?:at|after|before|by|from|around)\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)\b"
    r"|\b(?:at|after|before|by|from|around)\s+\d{1,2}(?::\d{2})?\b(?!\s*(?:/|st|nd|rd|th))"
    r"|\b(?:noon|midday|morning|afternoon|evening|lunch|lunchtime)\b"
)


@dataclass(frozen=True)
class When:
    """Local days (inclusive) and, within each, a window [earliest, latest) or an exact start time."""

    first_day: date
    last_day: date
    earliest: time | None = None
    latest: time | None = None
    exact: time | None = None
    weekdays: frozenset[int] | None = None
    # A day left out of the span: the day of the appointment being moved ("next week instead" means another day).
    except_day: date | None = None

    def allows(self, day: date) -> bool:
        return (
            self.first_day <= day <= self.last_day
            and (self.weekdays is None or day.weekday() in self.weekdays)
            and day != self.except_day
        )

    def days(self) -> Iterator[date]:
        day = self.first_day
        while day <= self.last_day:
            if self.allows(day):
                yield day
            day += timedelta(days=1)


def narrowed(asked: str, said: str) -> str:
    """What a time said at a list of times asks for: "anything after 3?" while looking at Friday's times is
    Friday after 3 (it was read from today). The earlier request's day stays unless the new words name one."""
    if not asked or DAY_DETAIL.search(said.lower()) or not _TIME_DETAIL.search(said.lower()):
        return said
    days = DAY_DETAIL.findall(asked.lower())
    return f"{' '.join(days)} {said}" if days else said


def parse_when(text: str, now: datetime, horizon_days: int) -> When | None:
    """Read a time request; None when the words hold no date or time at all.

    Raises TimeNotUnderstood for things that look like a date or time but cannot be one ("25pm", "February 31").
    """
    s = _normalise(text)
    today = now.date()
    horizon = today + timedelta(days=horizon_days)
    phrase_from, phrase_to, s = phrased_part(s)
    earliest, latest, exact, s = _read_clock(s)
    earliest, latest = earliest or phrase_from, latest or phrase_to
    # "asap" asks for the soonest time: every day from today, which is what offers start from anyway.
    asap = bool(ASAP.search(s))
    days = _read_days(s, today, horizon)
    part = next((p for p in PARTS_OF_DAY if re.search(rf"\b{p}s?\b", s)), None)  # "mornings only" too
    if part:
        part_from, part_to = PARTS_OF_DAY[part]
        earliest = earliest or part_from
        latest = latest or part_to
        if part == "tonight" and days is None:
            days = (today, today, None)
    if days is None and not (asap or earliest or latest or exact):
        return None
    first, last, weekdays = days or (today, horizon, None)
    return When(first, last, earliest, latest, exact, weekdays)


def names_a_time(text: str) -> bool:
    """Whether the words name a time of day (a clock time or a part of the day), whatever the day."""
    return bool(_TIME_DETAIL.search(_normalise(text)))


def names_no_day(text: str, now: datetime) -> bool:
    """Whether the words name a time of day but no day at all ("move that to 3pm", "can we do 3 instead")."""
    s = _read_clock(_normalise(text))[3]
    return not ASAP.search(s) and _read_days(s, now.date(), now.date()) is None


# How long a symptom has lasted is no time to come in: "a fever since yesterday, can he be seen tomorrow".
_SYMPTOM_SPAN = re.compile(
    rf"\b(since|for the (past|last)|over the (past|last)) (yesterday|last night|this morning|last week|({_WD})"
    r"|(a|one|two|three|four|five|few|couple of|\d+) (days?|weeks?|nights?))\b"
    r"|\bfor (a|one|two|three|four|five|a few|a couple of|\d+) (days|weeks|nights)\b(?= now\b| already\b|,|\.|$)"
)
_DATE_BOUND = re.compile(r"\b(before|by|prior to|ahead of|no later than)\s+(the\s+)?(\d|[a-z]+\s+\d)")


def _normalise(text: str) -> str:
    # "3:30ish" is about 3:30 (the word ending hid the time).
    s = spoken_clock(re.sub(r"(\d)\s*-?ish\b", r"\1", spelt_out(text.lower().replace("’", "'"))))
    s = re.sub(r"\b([ap])\.m\.?", r"\1m", s)
    s = _HALF_SAID.sub(lambda m: f"{m[1]}{'am' if m[2] == 'morning' else 'pm'}", s)
    s = _NOT_THAT_DAY.sub(" ", corrected(s, (DAY_DETAIL, _TIME_DETAIL)))
    s = _HALF_DAY.sub(lambda m: f"{m[1]} {'morning' if m[2] == 'a' else 'afternoon'}", s)
    s = re.sub(r"[^\w:/\-\s]", " ", s)
    s = _QUALIFIER_TYPOS.sub(lambda m: _QUALIFIER_TYPO_FOR[m[1]], s)
    s = _BUSY_UNTIL.sub("after ", s)
    s = GREETING.sub(" ", s)
    s = _SYMPTOM_SPAN.sub(" ", s)
    s = plain_bounds(s)
    return re.sub(r"\s+", " ", s).strip()


def _read_clock(s: str) -> tuple[time | None, time | None, time | None, str]:
    """Clock times and their qualifiers; returns the text with them removed so digits are not read as days."""
    found: list[tuple[str | None, time]] = []

    def take(match: re.Match, value: time) -> str:
        found.append((match.group("qual"), value))
        return " "

    def clock(match: re.Match) -> str:
        if match.group("word"):
            return take(match, time(0) if match.group("word") == "midnight" else time(12))
        if match.group("ampm"):
            raw = match.string[match.start("h") : match.end("ampm")]
            return take(match, _read(raw, match.group("h"), match.group("m"), match.group("ampm")))
        raw = match.string[match.start("h24") : match.end("m24")]
        return take(match, _read(raw, match.group("h24"), match.group("m24")))

    def bare(match: re.Match) -> str:
        if match.group("qual") == "and" and not found:  # "2 kids, 4 and 7": "and 7" joins a time, if any came
            return match.group(0)
        return take(match, _read(match.group("h"), match.group("h")))

    s = _CLOCK.sub(clock, s)
    s = _BARE_HOUR.sub(bare, s)
    earliest = latest = exact = None
    if "between" in (q for q, _ in found) and len(found) >= 2:
        earliest, latest = sorted(t for _, t in found[:2])
    else:
        for qualifier, value in found:
            # Two bounds of a kind keep the tighter: "after 5pm? i work til 4:30" is after 5.
            if qualifier in ("after", "from", "past"):
                earliest = max(earliest or value, value)
            elif qualifier in ("before", "by", "til", "till", "until", "to"):
                latest = min(latest or value, value)
            else:
                exact = value
    return earliest, latest, exact, s


def _read(raw: str, hour: str, minute: str | None = None, ampm: str | None = None) -> time:
    """A clock time by the rule every part of the assistant reads them with (bot.clock.read_clock)."""
    try:
        return read_clock(hour, minute, ampm)
    except ValueError:
        raise TimeNotUnderstood(
            f'"{raw.strip()}" isn\'t a time I can read. Try something like 3:00 PM or 15:00.'
        ) from None


def _read_days(s: str, today: date, horizon: date) -> tuple[date, date, frozenset[int] | None] | None:
    explicit = explicit_date(s, today)
    if explicit:
        # "her school physical before the 18th": any day up to the one before it; "by the 18th" includes it.
        bound = _DATE_BOUND.search(s)
        if bound and explicit > today:
            return today, explicit - timedelta(days=0 if bound.group(1) in ("by", "no later than") else 1), None
        return explicit, explicit, None
    counted = counted_day(s, today) or later_weekday(s, today)
    if counted:
        return counted, counted, None
    up_to_friday = to_friday(s, today)
    if up_to_friday:
        return up_to_friday[0], up_to_friday[1], None
    if re.search(r"\bday after (tomorrow|tmrw|tmr)\b", s):
        day = today + timedelta(days=2)
        return day, day, None
    if re.search(r"\b(tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|2morrow)\b", s):
        day = today + timedelta(days=1)
        return day, day, None
    if re.search(r"\b(today|tonight|this afternoon|this morning|this evening)\b", s):
        return today, today, None
    # "I forgot my appointment yesterday, can I get a new one friday?": yesterday is only wanted when alone.
    if re.search(r"\byesterday\b", s) and not re.search(rf"\b(?:{_WD})s?\b", s):
        day = today - timedelta(days=1)
        return day, day, None
    in_n = _IN_N.search(s)
    week = week_span(s, today)
    if in_n:
        count = _NUMBER_WORDS.get(in_n.group(1)) or int(in_n.group(1))
        if not in_n.group(2).startswith("w"):
            day = today + timedelta(days=count)
            return day, day, None
        # "in 2 wks on a thurs": the week two weeks on (and a day named is that week's).
        start = today + timedelta(weeks=count)
        week = start - timedelta(days=start.weekday()), start + timedelta(days=6 - start.weekday())
    span = week or (today, horizon)
    s, excluded = ruled_out(s)  # "any weekday morning except monday"
    if re.search(r"\b(weekdays?|week days?)\b", s):
        return span[0], span[1], frozenset(range(5)) - excluded
    if re.search(r"\bweekends?\b", s):
        return span[0], span[1], frozenset({5, 6}) - excluded
    named = [
        (m.group(1), m.group(2), m.group(3)) for m in re.finditer(rf"\b(next |this |any |every )?({_WD})(s)?\b", s)
    ]
    if excluded and not named:  # "any day but friday", "not monday": every other day
        return span[0], span[1], frozenset(range(7)) - excluded
    if named:
        weekdays = frozenset(WEEKDAYS[name] for _, name, _ in named)
        recurring = any(q in ("any ", "every ") or plural for q, _, plural in named)
        if recurring:
            return today, horizon, weekdays
        if week:
            return week[0], week[1], weekdays
        if len(weekdays) > 1:
            # "next monday or tuesday": "next" names the first day as it would alone, the others follow it.
            qualifier, name, _ = named[0]
            first = named_day(qualifier, name, today) if qualifier == "next " else today
            return first, first + timedelta(days=6), weekdays
        ((qualifier, name, _),) = named
        # A bare weekday that names today ("wednesday", said on a Wednesday) is the nearest such day that still
        # has room: today's later hours, else next week's (said after closing it cannot mean today).
        if not qualifier and WEEKDAYS[name] == today.weekday():
            return today, today + timedelta(days=7), frozenset({WEEKDAYS[name]})
        day = named_day(qualifier, name, today)
        return day, day, None
    if week:
        return week[0], week[1], None
    if re.search(r"\bnext month\b", s):
        start = (today + relativedelta(months=1)).replace(day=1)
        return start, start + relativedelta(months=1, days=-1), None
    if re.search(r"\bany ?day\b", s):
        return today, horizon, None
    return None
