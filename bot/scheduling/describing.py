"""Which of a patient's appointments their words describe: "my skin check", "the bennett one", "my wednesday
appointment", "my appointment on the 9th".

A request to move, cancel or confirm, and an answer to "which appointment?", are read by this one matcher, so
the appointment acted on is the one the patient described. In a move, the words that name the appointment
("move my wednesday appointment") are kept apart from the new time ("to friday"): the day that names an
appointment is never its new day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from bot.scheduling.catalog import match_phrase
from bot.scheduling.dates import explicit_date
from bot.scheduling.errors import TimeNotUnderstood
from bot.scheduling.timeparse import WEEKDAYS
from bot.scheduling.vocabulary import SPECIALTY_WORDS, TYPE_WORDS
from bot.scheduling.weekdays import without_later_weekdays

T = TypeVar("T")

# Words every kind of visit shares, which tell none apart.
GENERIC = frozenset(
    {"the", "one", "my", "a", "an", "with", "dr", "visit", "check", "appointment", "appt", "health", "and"}
)
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_WEEKDAY = re.compile(rf"\b(?:next |this |on )?({_WD})\b")
_DOCTOR = re.compile(r"\b(?:dr|doctor|doc)\.?\s+([a-z][a-z'\-]+)")
# The verb of a move, then the first "to/for ..." after it: "move my wednesday appointment | to friday".
_MOVE = re.compile(
    r"\b(?:move|moving|reschedule|rescheduling|resched|push|pushed|bump|shift|change|switch|postpone)\b", re.I
)
_TARGET = re.compile(r"\s(?:to|for|until|till|til|into|onto)\s", re.I)
_INSTEAD_OF = re.compile(r"\binstead of\b", re.I)


@dataclass(frozen=True)
class Words:
    """A request split into the words that name the appointment and the words for its new time (a move)."""

    source: str
    target: str
    marked: bool  # the split is explicit ("... to friday", "friday instead of wednesday")


def split_move(text: str) -> Words:
    """ "I need to move my wednesday appointment to friday" -> source "...wednesday appointment", target
    "friday". Without a marked target, both are the whole text."""
    instead = _INSTEAD_OF.search(text)
    if instead:  # "friday instead of wednesday": the new time comes first
        return Words(text[instead.end():], text[: instead.start()], True)
    verb = _MOVE.search(text)
    target = _TARGET.search(text, verb.end()) if verb else None
    if target is None:
        return Words(text, text, False)
    return Words(text[: target.start()], text[target.end():], True)


_CANCEL = re.compile(r"\b(?:cancel\w*|call off)\b", re.I)
# Where a text's clauses part: "I'll be at the thursday one. please cancel the one with dr kim though",
# "yes to thursday, but I need to cancel the one after that".
_CLAUSE = re.compile(r"[.?!;]+\s+|,?\s+but\s+|,\s+(?=(?:please|pls|can|could|i|i'd|i'll|i'm|and)\b)", re.I)
# "the one after that", "the next one": the appointment after the one the rest of the text names.
AFTER_THAT = re.compile(
    r"\b(?:one|appointment|appt|visit)\s+(?:right\s+)?after\s+(?:that|it|this)\b|\bthe next one\b", re.I
)
# "the other one": not the one the rest of the text names.
OTHER_ONE = re.compile(r"\bthe other (?:one|appointment|appt|visit)\b", re.I)


def asking_clause(text: str, moving: bool) -> tuple[str, str]:
    """The one clause of `text` that asks to move (or cancel) an appointment, and the rest of the text (which
    may name another appointment: "I'll be at the thursday one"); (text, "") when no single clause asks."""
    parts = [part for part in _CLAUSE.split(text) if part and part.strip()]
    verb = _MOVE if moving else _CANCEL
    asking = [i for i, part in enumerate(parts) if verb.search(part)]
    if len(parts) < 2 or len(asking) != 1:
        return text, ""
    own = asking[0]
    return parts[own], " ".join(parts[:own] + parts[own + 1 :])


@dataclass(frozen=True)
class Described:
    """What the words say about an appointment: what/who (kind, provider, specialty words) and which days."""

    what: frozenset[str]
    days: frozenset[date]
    weekdays: frozenset[int]
    day_spans: tuple[tuple[int, int], ...]

    @property
    def says_anything(self) -> bool:
        return bool(self.what or self.days or self.weekdays)


def describe(text: str, known: set[str], today: date) -> Described:
    """The description in `text`; `known`: the words of the appointments it may describe (a word in none of
    them, like "move" or "friday", describes nothing, while "dr ross" names a provider even if none is his)."""
    lowered = text.lower()
    said = " " + " ".join(re.findall(r"[a-z]+", lowered)) + " "
    what = set(said.split()) & known
    # The catalog's own reading of everyday words: "skin doctor" names Dermatology, "checkup" a physical.
    for found in (match_phrase(said, TYPE_WORDS), match_phrase(said, SPECIALTY_WORDS)):
        what |= set((found or "").replace("_", " ").lower().split())
    what |= {m.group(1) for m in _DOCTOR.finditer(lowered)}
    spans = []
    weekdays = set()
    for match in _WEEKDAY.finditer(without_later_weekdays(lowered)):
        weekdays.add(WEEKDAYS[match.group(1)])
        spans.append(match.span())
    days = set()
    try:
        written = explicit_date(lowered, today)
    except TimeNotUnderstood:
        written = None
    if written is not None:
        days.add(written)
    if re.search(r"\btoday\b", lowered):
        days.add(today)
    if re.search(r"\b(tomorrow|tmrw|tmr)\b", lowered):
        days.add(today + timedelta(days=1))
    return Described(frozenset(what - GENERIC), frozenset(days), frozenset(weekdays), tuple(spans))


def matching(
    description: Described, items: Sequence[T], about: Callable[[T], str], day: Callable[[T], date | None]
) -> list[T]:
    """The items the description fits: each thing it says (who or what, which day) must hold."""

    def fits(item: T) -> bool:
        words = set(re.findall(r"[a-z]+", about(item).lower()))
        if description.what and not description.what & words:
            return False
        on = day(item)
        if description.days and on not in description.days:
            return False
        return not (description.weekdays and (on is None or on.weekday() not in description.weekdays))

    return [item for item in items if fits(item)]


def new_time_words(text: str, appointment_day: date) -> str:
    """The words of a move request that say its new time: after "to/for" ("move my wednesday appointment to
    friday" -> "friday"); without that split, the request less the day that names the appointment being moved
    ("move my wednesday appointment" names no new day)."""
    words = split_move(text)
    if words.marked:
        return words.target
    said = describe(text, set(), appointment_day)
    if appointment_day in said.days:
        return ""  # "move my appointment on the 9th": the only date is the appointment's own
    if appointment_day.weekday() in said.weekdays:
        return blank_days(text, said)
    return text


def known_words(abouts: Sequence[str]) -> set[str]:
    return {w for about in abouts for w in re.findall(r"[a-z]+", about.lower())} - GENERIC


def only_days(description: Described) -> Described:
    return Described(frozenset(), description.days, description.weekdays, description.day_spans)


def without_days(description: Described) -> Described:
    """The description with its days dropped (a day that fits none of the appointments is the new time)."""
    return Described(description.what, frozenset(), frozenset(), ())


def blank_days(text: str, description: Described) -> str:
    """`text` without the weekdays that named the appointment (so they are not read as its new time)."""
    lowered = text.lower()
    for start, end in reversed(description.day_spans):
        lowered = lowered[:start] + " " + lowered[end:]
    return lowered if description.day_spans else text


# "cancel my wife's appointment", "move my son's visit": someone else's appointment, which only they (or the
# front desk) can change; the texter's own appointment must not be offered in its place.
_SOMEONE_ELSES = re.compile(
    r"\b(my|our)\s+(wife|husband|partner|son|daughter|kid|child|baby|mom|mum|mother|dad|father|grandma|grandpa|"
    r"grandmother|grandfather|brother|sister|friend|aunt|uncle|spouse)'?s\s+(appointment|appt|visit|checkup|booking)",
    re.I,
)


def for_someone_else(text: str) -> bool:
    return bool(_SOMEONE_ELSES.search(text or ""))


# "missed my appt yesterday, can I rebook for monday": the appointment is past, so the request is a new booking.
_MISSED = re.compile(
    r"\b(?:missed|forgot|no[- ]?show(?:ed)?|slept through)\b.*\b(?:appointment|appt|visit|it)\b|\brebook", re.I
)


def rebooks_a_missed_one(text: str) -> bool:
    return bool(_MISSED.search(text or ""))
