"""Times said relative to the appointment being moved: "push it back a week", "a later time", "later that
same day", "anything earlier?", "a couple of hours later", "same time next week". Read only when moving,
against that appointment's local start."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta, weekday

from bot.scheduling.timeparse import When, names_no_day
from bot.scheduling.weekdays import following_weekday, preceding_weekday

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "a couple of": 2, "a couple": 2,
          "couple of": 2, "a few": 3}
_AMOUNT = r"\d+|a couple of|a couple|couple of|a few|an|a|one|two|three|four"
_N = rf"({_AMOUNT})"
_VERB = r"\b(?:push|move|bump|put|shift|postpone)\w*\b"
# Words between the verb and the amount that make it no shift: "move it to a day next week" names a new day.
_NOT_A_TARGET = r"(?:(?!\b(?:to|for|on|until|till|in)\b).)*?"
_EARLIER_WORDS = r"(?:earlier|sooner|before|forward|more early)"
_SHIFT = re.compile(
    rf"{_VERB}{_NOT_A_TARGET}\b(?:by\s+)?{_N}\s*(day|week)s?\b(?:\s+(?P<back>{_EARLIER_WORDS})\b)?"
    rf"|\b{_N}\s*(day|week)s?\s+(?:(?:later|after|out|from (?:then|that|it))|(?P<back2>earlier|sooner|more early))\b"
)
# "push back my appointment a couple of hours", "an hour earlier", "make it half an hour later": the same day,
# that much later or earlier.
_HOURS = re.compile(
    rf"(?P<verb>{_VERB}{_NOT_A_TARGET})?\b(?:by\s+)?(?P<count>half an|half a|{_AMOUNT})\s*(?:hours?|hrs?)\b"
    rf"(?:\s+(?P<way>later|after|back|{_EARLIER_WORDS})\b)?"
)
_SAME_DAY = r"(?:same day|that day|that (?:morning|afternoon)|in the day|day of (?:my|the) (?:appointment|appt|visit))"
_SAME_DAY_LATER = re.compile(rf"\blater\b.*\b{_SAME_DAY}\b|\b{_SAME_DAY}\b.*\blater\b")
_SAME_DAY_EARLIER = re.compile(rf"\b(?:earlier|sooner)\b.*\b{_SAME_DAY}\b|\b{_SAME_DAY}\b.*\b(?:earlier|sooner)\b")
# "same time next week": the appointment's time, a week on ("next week" alone is the coming calendar week).
_SAME_TIME = re.compile(r"\b(?:same|usual) time\b")
_A_WEEK_ON = re.compile(r"\b(?:next|the following|following) week\b|\bthe week after\b|\bin a week\b")
_LATER = re.compile(r"\b(a )?later (time|slot|appointment|one|date|day)\b|\bsomething later\b|\bpush (it )?back\b")
_EARLIER = re.compile(r"\b(earlier|sooner)\b")
# "the day before my appointment", "cn we do the nxt day": the appointment's day, one day earlier or later.
_DAY_BEFORE = re.compile(r"\b(?:the )?day before\b(?! yesterday\b)|\bthe (?:previous|preceding) day\b")
_DAY_AFTER = re.compile(r"\bthe (?:next|nxt|following) day\b|\bthe day after\b(?! (?:tomorrow|tmrw|tmr|next)\b)")
# The week after the appointment's own week ("perhaps the following week", "the week after").
_FOLLOWING_WEEK = re.compile(r"\b(the )?following week\b|\bthe week after\b|\ba week after (that|it)\b")


def says_relative(text: str) -> bool:
    """Whether the words ask for a time relative to the appointment being moved."""
    s = _normalise(text)
    return any(
        p.search(s)
        for p in (
            _SHIFT, _SAME_DAY_LATER, _SAME_DAY_EARLIER, _LATER, _EARLIER, _FOLLOWING_WEEK, _DAY_BEFORE, _DAY_AFTER
        )
    ) or _minutes(s) is not None or bool(_SAME_TIME.search(s) and _A_WEEK_ON.search(s)) or _next_to(s) is not None


def relative_when(text: str, current: datetime, now: datetime, said: When | None = None) -> When | None:
    """The new time a move asks for relative to `current` (local), None when the words say none.
    `said`: what the words name by themselves (timeparse); a plain "earlier" or "later" yields to a day they
    name ("can i come in earlier? like tomorrow?") and, on the appointment's own day, only bounds its time."""
    s = _normalise(text)
    same_time = current.time() if _SAME_TIME.search(s) else None
    days = _shifted_days(s)
    if days is None and same_time and _A_WEEK_ON.search(s):
        days = 7
    if days is None and (_DAY_BEFORE.search(s) or _DAY_AFTER.search(s)):
        days = -1 if _DAY_BEFORE.search(s) else 1
    if days is not None:
        day = current.date() + timedelta(days=days)
        return When(day, day, exact=same_time)
    minutes = _minutes(s)
    if minutes is not None:
        return _same_day(current, minutes)
    next_to = _next_to(s)
    if next_to is not None:
        # "move it to the following thursday": the first one after the appointment's day (a week on from a
        # Thursday visit), not the coming one, which may be the visit's own day; "the thursday before it": the
        # last one before it (for a Tuesday visit, five days earlier, not the coming Thursday).
        named, step = next_to
        day = current.date() + timedelta(days=step) + relativedelta(weekday=weekday(named)(step))
        return When(day, day, exact=same_time)
    if _FOLLOWING_WEEK.search(s):
        # "thursday the following week" keeps its weekday; the week alone is any day of it.
        monday = current.date() + timedelta(days=7 - current.weekday())
        return When(monday, monday + timedelta(days=6), weekdays=said.weekdays if said else None)
    if _SAME_DAY_EARLIER.search(s):
        return When(current.date(), current.date(), latest=current.time())
    if _SAME_DAY_LATER.search(s):
        return When(current.date(), current.date(), earliest=(current + timedelta(minutes=15)).time())
    if said is not None and (said.exact or said.earliest or said.latest) and names_no_day(text, now):
        # "move that to 3pm": a time with no day keeps the appointment's own day (other days' 3 PM was offered).
        day = current.date()
        return When(day, day, said.earliest, said.latest, said.exact)
    later, earlier = bool(_LATER.search(s)), bool(_EARLIER.search(s))
    if (later or earlier) and said is not None and said.first_day == said.last_day:
        if said.first_day != current.date() or said.exact or said.earliest or said.latest:
            return said
        if later:
            return replace(said, earliest=(current + timedelta(minutes=15)).time())
        return replace(said, latest=current.time())
    if later:
        day = current.date() + timedelta(days=1)
        return When(day, day + timedelta(days=13))
    if earlier:
        if current.date() > now.date():
            return When(now.date(), current.date() - timedelta(days=1))
        return When(current.date(), current.date(), latest=current.time())
    return None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").lower())


def _next_to(s: str) -> tuple[int, int] | None:
    """The weekday "the following thursday" (step 1) or "the thursday before it" (step -1) names, read on
    timeparse's kind of text (no punctuation); None when neither is said."""
    plain = re.sub(r"[^\w\s]", " ", s)
    following, preceding = following_weekday(plain), preceding_weekday(plain)
    if following is not None:
        return following, 1
    return (preceding, -1) if preceding is not None else None


def _amount(count: str) -> int:
    return int(count) if count.isdigit() else _COUNT[count]


def _shifted_days(s: str) -> int | None:
    """Days the appointment is to move by ("bump it a week": 7, "two days earlier": -2), None when not said."""
    shift = _SHIFT.search(s)
    if not shift:
        return None
    count, unit = (shift.group(1), shift.group(2)) if shift.group(1) else (shift.group(4), shift.group(5))
    days = _amount(count) * (7 if unit == "week" else 1)
    return -days if shift.group("back") or shift.group("back2") else days


def _minutes(s: str) -> int | None:
    """Minutes later (negative: earlier) the words ask for, when they move it by hours or half an hour; None
    otherwise."""
    match = _HOURS.search(s)
    if not match or not (match.group("verb") or match.group("way")):
        return None  # "in 2 hours" alone is no move of the appointment
    way = match.group("way") or ""
    earlier = re.fullmatch(_EARLIER_WORDS, way) or (not way and re.search(r"\b(earlier|sooner|forward)\b", s))
    count = match.group("count")
    minutes = 30 if count.startswith("half") else _amount(count) * 60
    return -minutes if earlier else minutes


def _same_day(current: datetime, minutes: int) -> When:
    """The appointment's own day from `minutes` after its time on, or (negative) between that many minutes earlier
    and its time: "a couple of hours later" offers 11:00 first for a 9:00 visit, not 9:15."""
    day = current.date()
    moved = current + timedelta(minutes=minutes)
    if moved.date() != day:  # past midnight: no time that day fits, which the booking rules then say
        return When(day, day, earliest=time.max) if minutes > 0 else When(day, day, latest=time.min)
    if minutes > 0:
        return When(day, day, earliest=moved.time())
    return When(day, day, earliest=moved.time(), latest=current.time())
