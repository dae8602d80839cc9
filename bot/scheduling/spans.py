"""Time words that name a span rather than one day or one clock time: "two weeks from today", "by the end of
the week", "not before 10", "after lunch", "late afternoon". bot.scheduling.timeparse reads these first, so its
own readers cannot read the same words another way ("not before 10" read as "before 10" offered 9:00 AM)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from dateutil.relativedelta import relativedelta

from bot.scheduling.dates import MONTHS

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_N = rf"(\d{{1,2}}|{'|'.join(_COUNT)})"
# "two weeks from today", "a week from tomorrow", "3 weeks out": one day, counted from today or tomorrow.
_COUNTED = re.compile(
    rf"\b{_N} (day|week)s? (?:from|after) (today|now|tomorrow|tmrw|tmr)\b|\b{_N} (day|week)s? out\b"
)

# A clock time as the bounds below name it; not a date ("no later than 12/18" is a day, dates.py's).
_T = r"(\d{1,2}(?::\d{2})?\b(?:\s*[ap]m\b)?|noon)(?!\s*(?:[/\-]|st|nd|rd|th)\b)"
# Bounds said the other way round, rewritten as the plain ones the clock reader knows: "not before 10" is
# "after 10"; "can we do 3 instead" names 3 as "at 3" does.
_PLAIN_BOUNDS = (
    (re.compile(rf"\b(?:not|nothing|none|no appointments?) before {_T}"), r"after \1"),
    (re.compile(rf"\b(?:no|not|nothing) (?:earlier|sooner) than {_T}"), r"after \1"),
    (re.compile(rf"\b{_T} or (?:later|after)\b"), r"after \1"),
    (re.compile(rf"\b{_T} at the earliest\b"), r"after \1"),
    (re.compile(rf"\b(?:not|nothing|none) after {_T}"), r"before \1"),
    (re.compile(rf"\b(?:no|not|nothing) later than {_T}"), r"before \1"),
    (re.compile(rf"\b(?:(?:before|by) )?{_T} at the latest\b"), r"before \1"),
    (re.compile(r"\b(?:do|make it|how about|what about|try) (\d{1,2}(?::\d{2})?)"
                r"(?=\s+(?:instead|then|please|pls|o ?clock|ok|okay|works)\b|\s*$)"), r"at \1"),
)
# Parts of the day named by more than one word, narrower or later than the single word would read:
# "after lunch" is once lunch is over, "late afternoon" is not 1 PM.
_PHRASED_PARTS = (
    (re.compile(r"\bafter lunch(?:time)?\b"), time(13), None),
    (re.compile(r"\b(?:around|about|near|close to) (?:noon|midday|lunch(?:time)?)\b|\b(?:noon|midday|lunch)ish\b"),
     time(11), time(13)),
    (re.compile(r"\blate (?:in the )?afternoon\b"), time(15), time(17)),
    (re.compile(r"\bearly (?:in the )?morning\b"), None, time(9)),
    (re.compile(r"\b(?:the )?end of (?:the )?(?:business )?day\b"), time(15), None),
)
# "by the end of the week", "before the weekend", "sometime this week", "end of next week": up to that Friday.
_TO_FRIDAY = re.compile(
    r"\bend of (?:the |this )?(next )?week\b|\bbefore the weekend\b|\bsometime this week\b"
)


def plain_bounds(s: str) -> str:
    """`s` (lower case, no punctuation) with its bounds on a time of day said plainly ("after 10")."""
    for pattern, plain in _PLAIN_BOUNDS:
        s = pattern.sub(plain, s)
    return s


def phrased_part(s: str) -> tuple[time | None, time | None, str]:
    """The window of a part of the day said in a phrase (earliest, latest; None for either end that is
    open), and `s` without the phrase so its words are not read again ("late afternoon" is no "afternoon")."""
    for pattern, earliest, latest in _PHRASED_PARTS:
        if pattern.search(s):
            return earliest, latest, pattern.sub(" ", s)
    return None, None, s


def counted_day(s: str, today: date) -> date | None:
    """The day "two weeks from today" or "3 weeks out" names; None when the words count none."""
    match = _COUNTED.search(s)
    if not match:
        return None
    count, unit, start = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], "today")
    days = (int(count) if count.isdigit() else _COUNT[count]) * (7 if unit == "week" else 1)
    return today + timedelta(days=days + (start not in ("today", "now")))


def to_friday(s: str, today: date) -> tuple[date, date] | None:
    """From today to the Friday of this week (or next week's, when said): "by the end of the week"."""
    match = _TO_FRIDAY.search(s)
    if not match:
        return None
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    return today, friday + timedelta(weeks=1 if match[1] else 0)


_NTH_WEEK = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "last": -1}
_WEEK_OF_MONTH = re.compile(
    rf"\b({'|'.join(_NTH_WEEK)}) week (?:of|in) ({'|'.join(sorted(MONTHS, key=len, reverse=True))})\b"
)


def week_span(s: str, today: date) -> tuple[date, date] | None:
    """The days a week named in words covers: "next week", "the week after", "the first week of january"."""
    monday = today - timedelta(days=today.weekday())
    of_month = _WEEK_OF_MONTH.search(s)
    if of_month:  # "the first week of january": its 1st to 7th, the next such month
        month = MONTHS[of_month.group(2)]
        start = date(today.year + (month < today.month), month, 1)
        end = start + relativedelta(months=1, days=-1)
        nth = _NTH_WEEK[of_month.group(1)]
        first = end - timedelta(days=6) if nth < 0 else start + timedelta(weeks=nth)
        return max(first, today), first + timedelta(days=6)
    if re.search(r"\bthis week or (?:the )?next\b|\bthis or next week\b", s):
        return today, monday + timedelta(days=13)
    if re.search(r"\bweek after (next|that)\b|\bthe week after\b", s):  # "the week after" (next week)
        return monday + timedelta(weeks=2), monday + timedelta(days=20)
    if re.search(r"\bnext week\b|\b(the )?following week\b", s):
        return monday + timedelta(weeks=1), monday + timedelta(days=13)
    if re.search(r"\bthis week\b", s):
        return today, monday + timedelta(days=6)
    return None
