"""Times said relative to the appointment being moved: "push it back a week", "a later time", "later that
same day", "anything earlier?". Read only when moving, against that appointment's local start."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.scheduling.timeparse import When

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "a couple of": 2}
_N = r"(\d+|a couple of|a|an|one|two|three|four)"
_SHIFT = re.compile(
    rf"\b(?:(?:push|move|bump|put|shift)\w*\b.*?\b(?:back|out|later)\b.*?\b(?:by\s+)?{_N}\s*(day|week)s?\b"
    rf"|{_N}\s*(day|week)s?\s+(?:later|after|out|from (?:then|that|it)))"
)
_SAME_DAY_LATER = re.compile(
    r"\blater\b.*\b(same day|that day|that afternoon|in the day)\b|\b(same|that) day\b.*\blater\b"
)
_LATER = re.compile(r"\b(a )?later (time|slot|appointment|one|date|day)\b|\bsomething later\b|\bpush (it )?back\b")
_EARLIER = re.compile(r"\b(earlier|sooner)\b")
# The week after the appointment's own week ("perhaps the following week", "the week after").
_FOLLOWING_WEEK = re.compile(r"\b(the )?following week\b|\bthe week after\b|\ba week after (that|it)\b")


def says_relative(text: str) -> bool:
    """Whether the words ask for a time relative to the appointment being moved."""
    s = re.sub(r"\s+", " ", (text or "").lower())
    return any(p.search(s) for p in (_SHIFT, _SAME_DAY_LATER, _LATER, _EARLIER, _FOLLOWING_WEEK))


def relative_when(text: str, current: datetime, now: datetime) -> When | None:
    """The new time a move asks for relative to `current` (local), None when the words say none."""
    s = re.sub(r"\s+", " ", (text or "").lower())
    shift = _SHIFT.search(s)
    if shift:
        count, unit = (shift.group(1), shift.group(2)) if shift.group(1) else (shift.group(3), shift.group(4))
        amount = int(count) if count.isdigit() else _COUNT[count]
        day = current.date() + timedelta(days=amount * (7 if unit == "week" else 1))
        return When(day, day)
    if _FOLLOWING_WEEK.search(s):
        monday = current.date() + timedelta(days=7 - current.weekday())
        return When(monday, monday + timedelta(days=6))
    if _SAME_DAY_LATER.search(s):
        return When(current.date(), current.date(), earliest=(current + timedelta(minutes=15)).time())
    if _LATER.search(s):
        day = current.date() + timedelta(days=1)
        return When(day, day + timedelta(days=13))
    if _EARLIER.search(s):
        if current.date() > now.date():
            return When(now.date(), current.date() - timedelta(days=1))
        return When(current.date(), current.date(), latest=current.time())
    return None
