"""Reading a patient's words for a medication plan: times of day, days, and until when."""

from __future__ import annotations

import re
from datetime import date, time

from bot.clock import GREETING, read_clock, spoken_clock
from bot.corrections import corrected
from bot.reminders.drugs import first_drug
from bot.reminders.durations import runs_for, said_until
from bot.reminders.plans import WEEKDAY_NAMES
from bot.reminders.schedule_words import (
    MOST_TIMES_A_DAY,
    START,
    Split,
    every_hours,
    interval_times,
    plan_start,
    split_medications,
    spread_repeated_hours,
    times_a_day,
)

NAMED_TIMES = {
    "morning": time(8),
    "breakfast": time(8),
    "noon": time(12),
    "lunch": time(12),
    "midday": time(12),
    "afternoon": time(14),
    "evening": time(18),
    "dinner": time(18),
    "supper": time(18),
    "night": time(21),
    "bedtime": time(21),
    "midnight": time(0),
}
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?\b")
_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
# A weekday's name or its short forms ("mon", "tues", "thurs", "weds"); not "months", "sunny", "satisfied".
_DAY_WORD = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|days|s|nesday|nesdays|sday|sdays|rs|rsday|rsdays|urday|urdays|\.)?\b"
)
# A named time that is one exact time is never a label for a clock time beside it ("8am, noon, 4pm").
_EXACT_TIMES = ("noon", "midday", "midnight")
_EVERY_N_HOURS = re.compile(r"\bevery\s+\w+\s*(?:hours?|hrs?|h)\b|\bq\d{1,2}h\b")


# "10 o'clock at night", "8 in the evening", "9 in (the) morning": the words say the half of the day.
_HALF_OF_DAY = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:o'?\s?clock\s*)?"
    # "at 6:30 every morning" too: read as 6:30 PM, a correction to it ("at 7 every morning, actually 6:30") was too.
    r"(at night|in (?:the )?evening|in (?:the )?afternoon|tonight|in (?:the )?morning"
    r"|(?:every|each) (?:morning|afternoon|evening|night))\b"
)
# "every morning at 8", "nightly around 9", "morning 8 and night 8": the half of the day said first, then a bare
# hour (not an amount: "night 2 pills").
_HALF_THEN_HOUR = re.compile(
    r"\b(morning|afternoon|evening|night|nightly|tonight)s?\s+(?:(?:at|around|about|@)\s+)?(\d{1,2})(?:[:.](\d{2}))?"
    r"(?!\s*(?:[ap]\.?m\b|[ap]\b|[:.]?\d|o'?\s?clock\s+(?:at|in)\b"
    r"|(?:mg|mcg|ml|units?|pills?|tabs?|tablets?|caps?|capsules?|puffs?|drops?|days?|weeks?|hours?|hrs?|min)))"
)
# The details a correction replaces ("8am, no sorry 9am"): clock times and named times, days, an end date or span.
_TIME_DETAIL = re.compile(
    r"(?<![/\d])\b\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?!\s*(?:mg|mcg|ml|g\b|units?|iu|pills?|tab|"
    r"caps?|capsules?|puffs?|drops?|days?|weeks?|months?|st\b|nd\b|rd\b|th\b|/|\d))"
    r"|\b(?:morning|breakfast|noon|lunch|midday|afternoon|evening|dinner|supper|night|bedtime|midnight)\b"
)
_DAY_DETAIL = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:every ?day|daily|weekdays?|weekends?|every other day)\b"
)
_UNTIL_DETAIL = re.compile(
    r"\b\d+\s*(?:days?|weeks?|months?)\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
CORRECTED_DETAILS = (_TIME_DETAIL, _DAY_DETAIL, _UNTIL_DETAIL)
# A named time a few words from a clock time, with no "and" between, is that time's label ("at bedtime, around
# 10pm" is one time; "morning and 9pm" two).
_LABEL_GAP = r"(?:(?!\b(?:and|then|plus)\b)[^\d])*?"


def _halves_said(text: str) -> str:
    """ "10 o'clock at night" -> "10:00pm": a bare hour with its half of the day is a clock time, not two."""
    def said(match: re.Match[str]) -> str:
        half = "am" if match.group(3).endswith("morning") else "pm"
        return f"{match.group(1)}:{match.group(2) or '00'}{half}"

    def hour_after(match: re.Match[str]) -> str:
        # "morning at 8" is 8 AM; "night at 9" 9 PM, and "night at 12" midnight. The word stays to label it.
        word, hour = match.group(1), int(match.group(2))
        half = "am" if word == "morning" or (hour == 12 and word != "afternoon") else "pm"
        return f"{match.group(0)[: match.start(2) - match.start(0)]}{hour}:{match.group(3) or '00'}{half}"

    text = GREETING.sub(" ", spoken_clock(text))
    return _HALF_THEN_HOUR.sub(hour_after, _HALF_OF_DAY.sub(said, text))


def parse_times(text: str, count: int | None = None) -> list[time]:
    """'8am and 8pm', '08:00, 20:00', 'morning and bedtime', '9' -> sorted distinct times; [] if none.

    A bare hour is read as everywhere else (bot.clock.read_clock): '9' is 9:00 AM, '3' is 3:00 PM; the same
    one twice for `count` (or "twice a day" said) two ('8 and 8': 8:00 AM and 8:00 PM)."""
    text = _halves_said(corrected(text.lower(), CORRECTED_DETAILS))
    # "every 6 hours" is an interval, not 6 o'clock; "12 noon" is one time.
    # Doses, spans and dates are no times either: "for 5 days" to the times question was read as 5:00 PM.
    text = re.sub(r"\b12\s+(noon|midnight)\b", r"\1", _NOT_TIMES.sub(" ", _EVERY_N_HOURS.sub(" ", text)))
    found: set[time] = set()
    for hour_text, minute_text, meridiem in _CLOCK.findall(text):
        try:
            found.add(read_clock(hour_text, minute_text, meridiem))
        except ValueError:
            return []
    for word, value in NAMED_TIMES.items():
        labelled = rf"\b{word}\b{_LABEL_GAP}\d{{1,2}}(:\d\d)?\s*[ap]m|\d{{1,2}}(:\d\d)?\s*[ap]m\b{_LABEL_GAP}\b{word}\b"
        if re.search(rf"\b{word}\b", text) and (word in _EXACT_TIMES or not re.search(labelled, text)):
            found.add(value)
    # "twice a day" alone says how many times, not which: the form asks (it once guessed 8 AM and 8 PM).
    return spread_repeated_hours(text, sorted(found), times_a_day(text) or count)


def parse_days(text: str) -> str | None:
    """Days as an RFC 5545 rule: 'every day' -> FREQ=DAILY, 'weekdays', 'mon wed fri', 'every other day'."""
    text = START.sub(" ", text.lower())  # "starting monday" is when the plan starts, not its days
    if re.search(r"\bevery (other|second) day\b|\balternate days\b", text):
        return "FREQ=DAILY;INTERVAL=2"
    if re.search(r"\bweekdays?\b|\bmon(day)? (to|through|-) fri(day)?\b|\bwork ?days\b", text):
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if re.search(r"\bweekends?\b", text):
        return "FREQ=WEEKLY;BYDAY=SA,SU"
    days = [_DAYS[d] for d in _DAY_WORD.findall(text)]
    if days:
        ordered = [code for code in WEEKDAY_NAMES if code in days]
        return "FREQ=WEEKLY;BYDAY=" + ",".join(ordered)
    if re.search(
        r"\b(every ?day|daily|each day|all days|every single day|7 days|seven days|everyday|nightly"
        r"|(every|evry|each) (morning|afternoon|evening|night|nite)|(once|twice|\w+ times) (a|per) day)\b",
        text,
    ):
        return "FREQ=DAILY"
    return None


_GENERIC = {
    "meds", "med", "medication", "medications", "medicine", "medicines", "pill", "pills", "tablets", "tablet",
    "prescription", "dose", "doses", "it", "them",
}
_DOSE = r"(?:\d+(?:\.\d+)?\s*(?:mg|mcg|ml|units?|iu|pills?|tablets?|tabs?|caps?|capsules?|puffs?|drops?)\s+(?:of\s+)?)?"
_NAME_WORDS = r"((?:omega[\s-]?\d{1,2}|[a-z][a-z0-9\-]*)(?:\s+(?:omega[\s-]?\d{1,2}|[a-z][a-z0-9\-]*)){0,2})"
# "take my metformin", "put in my eye drops", "give my son his amoxicillin"; digits stay ("vitamin d3").
_TAKE = re.compile(
    rf"\b(?:take|tak|taking|takes|for|about|on|use|using|put in|apply|give(?:\s+(?:my|our|the)\s+[a-z]+)?)\s+"
    rf"(?:my|the|our|his|her)\s+{_DOSE}{_NAME_WORDS}|\btake\s+{_DOSE}{_NAME_WORDS}",
    re.I,
)
# "vitamin d3 and omega 3 at 9am": medications said together share the schedule.
_SHARED = re.compile(rf"\s*(?:and|&|\+|,)\s+(?:my |the |his |her )?{_NAME_WORDS}")
# Numbers in a reminder request that are not clock times: doses, counts, spans and dates.
_NOT_TIMES = re.compile(
    r"\b\d+(\.\d+)?\s*(mg|mcg|g|ml|units?|iu|pills?|tablets?|tabs?|caps?|capsules?|puffs?|drops?)\b"
    r"|\b(\d+|a|an|one|two|three|four|six)\s*(day|week|month)s?\b"
    r"|\b(until|till|til|thru|through|starting|from)\s+[a-z]+\.?\s+\d{1,2}(st|nd|rd|th)?\b|\b\d{1,2}(st|nd|rd|th)\b"
    r"|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b"
)
# "take metformin 2 times, morning 8 and night 8": how many a day, which `checked_times` reads; no clock time.
_HOW_OFTEN = re.compile(r"\b\d+\s*(?:x|times)\b")
_ENDS_NAME = re.compile(
    r"\s+\b(at|every|each|twice|once|three|two|daily|in|on|no|for|with|around|before|after|"
    r"and|please|pls|a|an|the|morning|night|evening|bedtime|times?|from|starting|beginning|until|till|four|"
    r"\d+x|nightly|weekly)\b.*$",
    re.I,
)


def _medication(lowered: str) -> tuple[str, int] | None:
    """The medication a request names (several said together: "vitamin d3 and omega 3") and where it ends."""
    for match in _TAKE.finditer(lowered):
        group = 1 if match.group(1) else 2
        name = _medication_name(match.group(group))
        if name:
            end = match.start(group) + len(name)
            shared = _SHARED.match(lowered, end)
            other = _medication_name(shared.group(1)) if shared else None
            if shared and other:
                return f"{name} and {other}", shared.start(1) + len(other)
            return name, end
    return None


# No name starts so: "for the next 5 days" was saved as "next", "..., please?" as "levothyroxine and please".
_NOT_A_NAME_START = {
    "at", "every", "each", "in", "on", "for", "then", "also", "take", "remind", "a", "an", "the", "next", "following",
    "coming", "rest", "please", "pls", "plz", "thanks", "thank", "thx",
}


def _medication_name(words: str) -> str | None:
    name = _ENDS_NAME.sub("", words).strip()
    name = re.sub(r"\s+(pill|pills|tablet|tablets|medication|medicine|meds)$", "", name)
    # "my pill of pressure, amlodipine": a description, and the drug is named after it.
    first = name.split()[0] if name else ""
    if first in _NOT_A_NAME_START or first in _GENERIC:
        return None
    return name if name not in _GENERIC and name not in NAMED_TIMES else None


# Words that describe a medicine by its form or use rather than name it ("my eye drops", "my heart pill").
_DESCRIPTION = re.compile(
    r"\b(drops?|eyes?|ears?|nasal|nose|cream|ointment|gel|inhaler|puffer|spray|patch(es)?|shots?|injections?"
    r"|vitamins|supplements?|water|sleeping|heart|blood|pressure|thyroid|cholesterol|sugar|diabetes|pain|allergy"
    r"|stomach|nerve|anxiety|depression|asthma)\b"
)


def _named(lowered: str) -> tuple[str, int] | None:
    """The medication a request names and where it ends: after a verb ("take my ..."), else the first drug's
    name wherever it sits ("a new blood pressure pill called amlodipine", "levothyroxine 6am"), which was
    asked for again when only the verb's pattern was read. Words after the verb that name no medicine are a
    description, and a drug named elsewhere wins ("put in my eye drops? Latanoprost is the name" was saved as
    "eye drops")."""
    found = _medication(lowered)
    drug = first_drug(lowered)
    if found and not (drug and _DESCRIPTION.search(found[0]) and not first_drug(found[0])):
        return found
    at = re.search(rf"\b{re.escape(drug)}\b", lowered) if drug else None
    return (drug, at.end()) if drug and at else found


def medications(text: str) -> Split:
    """The request cut where a second medication with its own times begins ("metformin at 8am and 8pm and my
    lisinopril at 9am"): each plan gets only its own times, never the other's."""
    lowered = corrected((text or "").lower(), CORRECTED_DETAILS)
    first = _named(lowered)
    return split_medications(lowered, first[1]) if first else Split(lowered, None, None)


def plan_request(text: str, today: date) -> dict[str, str]:
    """What a request to set a reminder already says, as the medication form's slot values: medication,
    times ("08:00,20:00"), days (a rule) and until (an ISO date or "none"); each only when the words name it.
    Only the first medication's words count when the request names a second one with its own times."""
    lowered = medications(text).first
    found: dict[str, str] = {}
    named_medication = _named(lowered)
    if named_medication:
        found["reminder_medication"] = named_medication[0]
        # Digits in a name ("omega 3") are not clock times.
        lowered = lowered.replace(named_medication[0].split(" and ")[-1], " ", 1)
    times = request_times(lowered)
    if times:
        found["reminder_times"] = ",".join(t.strftime("%H:%M") for t in times)
    start = plan_start(lowered, today)
    until = said_until(lowered, today, start)
    # "starting monday", "for the next 5 days": every day from then, or for that long.
    days = parse_days(lowered) or ("FREQ=DAILY" if start or runs_for(lowered) else None)
    if days:
        found["reminder_days"] = days
    if until:
        found["reminder_until"] = until
    return found


def request_times(lowered: str) -> list[time]:
    """The times a request says, only when they cannot be misread: every clock time with am/pm or minutes
    ("8 at night" is asked), once the numbers that are not times are set aside; a named time beside as many
    clock times labels them ("every morning at 8am"). As many as "twice a day" says, or none (the form asks);
    "every 6 hours" from one time said is that time and every 6 hours after it."""
    timing = _halves_said(_NOT_TIMES.sub(" ", _EVERY_N_HOURS.sub(" ", _HOW_OFTEN.sub(" ", START.sub(" ", lowered)))))
    clocks = _CLOCK.findall(timing)
    named = [w for w in NAMED_TIMES if re.search(rf"\b{w}\b", timing)]
    if clocks and all(meridiem or minutes for _, minutes, meridiem in clocks) and len(named) <= len(clocks):
        exact = {NAMED_TIMES[w] for w in named if w in _EXACT_TIMES}
        times = sorted({read_clock(*clock) for clock in clocks} | exact)
    else:
        times = parse_times(timing) if named and not clocks else []
    return checked_times(lowered, times)


def checked_times(words: str, times: list[time]) -> list[time]:
    """`times` when they agree with how often `words` say ("twice a day", "every 6 hours"), else []."""
    hours = every_hours(words)
    if hours is not None:
        if len(times) == 1 and -(-24 // hours) <= MOST_TIMES_A_DAY:
            return sorted(interval_times(hours, times[0]))
        return times if len(times) == -(-24 // hours) else []
    count = times_a_day(words)
    return times if count is None or len(times) == count else []
