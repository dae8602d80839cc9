"""The medication form's answers read against the request they answer: times checked with how often the
request said ("twice a day", "every 6 hours"), a medication answer that is only times, and the day the plan
starts. Why: a hurried yes to the read-back saves whatever was read, so a doubtful reading is asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

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


# Right after a plan is saved, "actually make it 9 instead", "oops i meant 9pm", "change that to 7:30" correct
# its times. Words about a visit, a day, a medicine or another request make it that request instead.
_CORRECTING = re.compile(
    r"\b(actually|instead|meant|mean|change|make|switch|move|sorry|oops|wait|rather|wrong|should be|i said)\b", re.I
)
_ANOTHER_REQUEST = re.compile(
    r"\b(appts?|appointments?|visits?|check-?ups?|doctor|dr|book|reschedule|cancel|stop|pause|refill|remind|tomorrow"
    r"|today|next|(mon|tues|wednes|thurs|fri|satur|sun)days?)\b",
    re.I,
)


# "make it one hour later", "half an hour earlier": the plan's times moved by that much.
_SHIFT = re.compile(
    r"\b(?P<count>half an|half a|an|a|one|two|three|\d+)\s*(?P<unit>hours?|hrs?|minutes?|mins?)\s+"
    r"(?P<way>later|earlier|sooner)\b",
    re.I,
)
_COUNTS = {"half an": 0.5, "half a": 0.5, "an": 1, "a": 1, "one": 1, "two": 2, "three": 3}


def shift_of(answer: str) -> timedelta | None:
    """How far the words move a plan's times ("make it one hour later": an hour on), None when they say no shift."""
    said = _SHIFT.search(answer or "")
    if not said:
        return None
    count = said.group("count").lower()
    amount = float(count) if count.isdigit() else _COUNTS[count]
    unit = timedelta(hours=1) if said.group("unit").lower().startswith("h") else timedelta(minutes=1)
    return (-1 if said.group("way").lower() != "later" else 1) * amount * unit


def shifted(times: list[time], by: timedelta) -> list[time]:
    """Each time moved by `by`, round the clock ("11 PM" an hour later is midnight)."""
    return sorted({(datetime.combine(date(2000, 1, 1), t) + by).time() for t in times})


def corrects_times(answer: str) -> bool:
    """Whether the words correct the times of a plan just saved, and say nothing else."""
    return bool(
        _CORRECTING.search(answer) and (parse_times(answer) or shift_of(answer)) and not _ANOTHER_REQUEST.search(answer)
        and not first_drug(answer)
    )


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
