"""The medication form's answers read against the request they answer: times checked with how often the
request said ("twice a day", "every 6 hours"), a medication answer that is only times, and the day the plan
starts. Why: a hurried yes to the read-back saves whatever was read, so a doubtful reading is asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

from bot.reminders.drugs import first_drug
from bot.reminders.parsing import CORRECTED_DETAILS, checked_times, parse_times
from bot.reminders.schedule_words import MOST_TIMES_A_DAY, every_hours, interval_times, plan_start, times_a_day


@dataclass(frozen=True)
class TimesReading:
    """`times` to save, or none and what to ask: `count` times ("twice a day") or times `hours` apart."""

    times: list[time] = field(default_factory=list)
    count: int | None = None
    hours: int | None = None

    @property
    def example(self) -> list[time]:
        return interval_times(self.hours) if self.hours else []


def read_times(answer: str, request: str, settle: bool = False) -> TimesReading:
    """The times `answer` gives, checked against how often it or the `request` says. `settle`: asked enough
    already, so times that disagree with the count are taken as given (the read-back still shows them)."""
    hours = every_hours(answer) or (None if times_a_day(answer) else every_hours(request))
    count = None if hours else times_a_day(answer) or times_a_day(request)
    times = parse_times(answer, count)
    if len(times) > MOST_TIMES_A_DAY:
        return TimesReading(count=MOST_TIMES_A_DAY + 1)
    words = f"every {hours} hours" if hours else f"{count} times a day" if count else ""
    checked = checked_times(words, times)
    if checked and len(checked) <= MOST_TIMES_A_DAY:
        return TimesReading(checked)
    if settle and times:
        return TimesReading(times)
    return TimesReading(count=count, hours=hours) if (count or hours) else TimesReading()


# "9pm" says its side of noon too: it has no word boundary before "pm" (it was turned into 9:00 AM).
_HALF_SAID = re.compile(
    r"\b(am|pm|a\.m\.|p\.m\.|morning|afternoon|evening|night|tonight|noon|midnight)\b|\d\s*(a|p|am|pm)\b"
)


def corrected_times(answer: str, request: str, old: list[time]) -> list[time]:
    """The times a correction at the read-back gives ("actually make it 6:30"), [] when it gives none. A bare
    hour for a single time is on the old time's side of noon: 6:30 in place of 6:00 AM is 6:30 AM, not PM."""
    times = read_times(answer, request).times
    if len(times) == 1 and len(old) == 1 and not _HALF_SAID.search(answer.lower()) and times[0].hour % 12 != 0:
        hour = times[0].hour % 12 + (12 if old[0].hour >= 12 else 0)
        return [times[0].replace(hour=hour)]
    return times


_NOT_A_NAME_WORDS = re.compile(r"\b(?:and|at|then|plus|or|around|about)\b|[,&+.]")


def only_times(answer: str) -> bool:
    """ "8am, noon, 4pm and 8pm" to "Which medication?": times, not a medication's name."""
    rest = answer.lower()
    for detail in CORRECTED_DETAILS[:1]:
        rest = detail.sub(" ", rest)
    return bool(parse_times(answer)) and not _NOT_A_NAME_WORDS.sub(" ", rest).strip()


def start_of(request: str, today: date) -> date | None:
    """The first day the request names when it is later than today ("starting monday"), else None."""
    start = plan_start(request, today)
    return start if start and start > today else None


# A question asked back ("wait am i talking to a robot", "how does this work?") is no medication's name.
_ASKED_BACK = re.compile(
    r"\?\s*$|^\W*((wait|hold on|hang on|um+|uh+|so|but|ok|okay|sorry)\W+)*(what|where|when|how|why|who|which|am|are|is"
    r"|do|does|did|can|could|will|would|should)\b",
    re.I,
)
# What the answer to "which medication?" is read as when it is one; anything else read this surely is not a name.
_A_NAMES_READINGS = frozenset({
    "inform", "set_medication_reminder", "nlu_fallback", "affirm", "deny", "request_refill", "medication_taken",
    "medication_skipped", "list_medication_reminders",
})
_SURE = 0.8


def not_a_name(answer: str, reading: tuple[str | None, float]) -> bool:
    """Whether the answer to "which medication?" cannot be the name: no drug named, and it asks something
    back or the classifier is sure it is another request ("never mind, cancel that" read as a cancellation)."""
    if first_drug(answer):
        return False
    intent, confidence = reading
    return bool(_ASKED_BACK.search(answer)) or (intent not in _A_NAMES_READINGS and confidence >= _SURE)
