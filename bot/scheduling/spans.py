"""Days said as a count or a span: "two weeks from today", "3 weeks out", "by the end of the week".
bot.scheduling.timeparse reads these before its own day words ("a week from tomorrow" is no "tomorrow")."""

from __future__ import annotations

import re
from datetime import date, timedelta

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_N = rf"(\d{{1,2}}|{'|'.join(_COUNT)})"
# "two weeks from today", "a week from tomorrow", "3 weeks out": one day, counted from today or tomorrow.
_COUNTED = re.compile(
    rf"\b{_N} (day|week)s? (?:from|after) (today|now|tomorrow|tmrw|tmr)\b|\b{_N} (day|week)s? out\b"
)

# "by the end of the week", "before the weekend", "sometime this week", "end of next week": up to that Friday.
_TO_FRIDAY = re.compile(
    r"\bend of (?:the |this )?(next )?week\b|\bbefore the weekend\b|\bsometime this week\b"
)


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
