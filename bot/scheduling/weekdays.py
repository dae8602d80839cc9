"""Weekday names as patients write them, and the ones they rule out ("not monday", "any day but friday",
"i can't do tuesday", "thursday instead of tuesday"): a day ruled out is never the day searched for; and the
days named past the one a weekday alone would name ("the tuesday after next", "a week from thursday")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_DAYS = rf"(?:{WD})s?(?:\s+(?:or|nor|and|or on)\s+(?:{WD})s?)*"
# Read on timeparse's normalised text (lower case, apostrophes gone: "can't" is "can t"). A bare "no" is left
# out: "no, tuesday please" answers a list and wants Tuesday.
_BEFORE = re.compile(
    r"\b(?:not|but|except|excluding|other than|besides|apart from|instead of|can ?t|cannot|can not|couldn t|won t)"
    rf"\s+(?:(?:do|make|come|go|manage)\s+(?:it\s+)?)?(?:on\s+)?(?:a\s+|the\s+)?(?:next\s+|this\s+)?(?P<days>{_DAYS})\b"
)
_AFTER = re.compile(
    rf"\b(?P<days>{_DAYS})\s+(?:is\s+|are\s+)?(?:no good|not good|not possible|doesn t work|don t work|won t work"
    r"|isn t good|is bad|bad for me|is out)\b"
)
_ONE = re.compile(rf"\b({WD})s?\b")


def ruled_out(s: str) -> tuple[str, frozenset[int]]:
    """The weekdays `s` rules out, and `s` without them (so the days left are the ones wanted)."""
    out: set[int] = set()

    def drop(match: re.Match[str]) -> str:
        out.update(WEEKDAYS[name] for name in _ONE.findall(match.group("days")))
        return " "

    s = _AFTER.sub(drop, _BEFORE.sub(drop, s))
    return s, frozenset(out)


_WEEK_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3}
# Read on timeparse's normalised text. "the tuesday after next": a week past "next tuesday".
_AFTER_NEXT = re.compile(rf"\b({WD})\s+after\s+next\b")
# "a week from thursday", "two weeks from next friday": counted from the day that weekday names.
_WEEKS_FROM = re.compile(rf"\b(a|one|two|three|\d)\s+weeks?\s+from\s+(next\s+|this\s+)?({WD})\b")
# "the following thursday", "the thursday after (that)": the one after a day already in mind. "the thursday
# after next" is _AFTER_NEXT's; "the thursday after 5" or "after school" is a time.
_FOLLOWING = re.compile(
    rf"\bfollowing\s+({WD})\b|\bthe\s+({WD})\s+after\b(?!\s+(?:\d|(?:next|noon|midday|lunch|school|work)\b))"
)

# "the thursday before (it)", "the previous thursday": the last one before a day already in mind (a move's).
_PRECEDING = re.compile(
    rf"\b(?:previous|preceding)\s+({WD})\b|\bthe\s+({WD})\s+before\b(?!\s+(?:\d|(?:noon|midday|lunch|school|work)\b))"
)


def named_day(qualifier: str | None, name: str, today: date) -> date:
    """The day "tuesday" or "next tuesday" names: the coming one; with "next", never today."""
    after = today + timedelta(days=1) if qualifier == "next " else today
    return after + relativedelta(weekday=WEEKDAYS[name])


def later_weekday(s: str, today: date) -> date | None:
    """The day "the tuesday after next", "a week from thursday" or (with no day in mind but today) "the
    following thursday" names: a week or more past the one the weekday alone names. None when none is said."""
    after_next = _AFTER_NEXT.search(s)
    if after_next:
        return named_day("next ", after_next[1], today) + timedelta(weeks=1)
    weeks_from = _WEEKS_FROM.search(s)
    if weeks_from:
        count = int(weeks_from[1]) if weeks_from[1].isdigit() else _WEEK_COUNT[weeks_from[1]]
        return named_day(weeks_from[2], weeks_from[3], today) + timedelta(weeks=count)
    following = following_weekday(s)
    if following is not None:  # "the following thursday" is not this week's: the one after the coming one
        return today + relativedelta(weekday=following) + timedelta(weeks=1)
    return None


def without_later_weekdays(s: str) -> str:
    """`s` with "the following thursday", "a week from thursday" and the like blanked (the same length): such a
    weekday names a day to come, never the appointment a patient is describing ("move it to the thursday after",
    "the thursday before it")."""
    for pattern in (_AFTER_NEXT, _WEEKS_FROM, _FOLLOWING, _PRECEDING):
        s = pattern.sub(lambda m: " " * len(m[0]), s)
    return s


def following_weekday(s: str) -> int | None:
    """The weekday "the following thursday" or "the thursday after" names (0 is Monday), None when not said."""
    match = _FOLLOWING.search(s)
    return WEEKDAYS[match[1] or match[2]] if match else None


def preceding_weekday(s: str) -> int | None:
    """The weekday "the thursday before" or "the previous thursday" names (0 is Monday), None when not said."""
    match = _PRECEDING.search(s)
    return WEEKDAYS[match[1] or match[2]] if match else None
