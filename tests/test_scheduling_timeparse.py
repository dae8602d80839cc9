"""What patients mean by their words for days and times, read relative to Monday 7 December 2026, 8:00."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.scheduling.errors import TimeNotUnderstood
from bot.scheduling.timeparse import When, parse_when
from tests.scheduling_helpers import MONDAY_8AM

HORIZON = date(2027, 3, 7)


@pytest.mark.parametrize(
    "words, expected",
    [
        ("next tuesday afternoon", When(date(2026, 12, 8), date(2026, 12, 8), time(12), time(17))),
        ("tomorrow at 3", When(date(2026, 12, 8), date(2026, 12, 8), exact=time(15))),
        ("tmrw at 9", When(date(2026, 12, 8), date(2026, 12, 8), exact=time(9))),
        ("the 14th", When(date(2026, 12, 14), date(2026, 12, 14))),
        ("the 3rd", When(date(2027, 1, 3), date(2027, 1, 3))),
        ("asap", When(date(2026, 12, 7), HORIZON)),
        ("as soon as possible", When(date(2026, 12, 7), HORIZON)),
        ("after 5pm any weekday", When(date(2026, 12, 7), HORIZON, earliest=time(17), weekdays=frozenset(range(5)))),
        ("friday", When(date(2026, 12, 11), date(2026, 12, 11))),
        ("any openings friday?", When(date(2026, 12, 11), date(2026, 12, 11))),
        ("actually make it thursday", When(date(2026, 12, 10), date(2026, 12, 10))),
        # Today is a Monday: today's later hours, or next Monday's once today's are gone.
        ("monday", When(date(2026, 12, 7), date(2026, 12, 14), weekdays=frozenset({0}))),
        ("this monday", When(date(2026, 12, 7), date(2026, 12, 7))),
        ("next monday", When(date(2026, 12, 14), date(2026, 12, 14))),
        ("tuesday next week", When(date(2026, 12, 14), date(2026, 12, 20), weekdays=frozenset({1}))),
        ("march 3rd at 10:30am", When(date(2027, 3, 3), date(2027, 3, 3), exact=time(10, 30))),
        ("14th of january", When(date(2027, 1, 14), date(2027, 1, 14))),
        ("12/24", When(date(2026, 12, 24), date(2026, 12, 24))),
        ("2026-12-09 at noon", When(date(2026, 12, 9), date(2026, 12, 9), exact=time(12))),
        ("between 2 and 4 on wednesday", When(date(2026, 12, 9), date(2026, 12, 9), time(14), time(16))),
        ("before 10am thursday", When(date(2026, 12, 10), date(2026, 12, 10), latest=time(10))),
        ("in 2 days", When(date(2026, 12, 9), date(2026, 12, 9))),
        ("yesterday", When(date(2026, 12, 6), date(2026, 12, 6))),
        # SMS shorthand: "am"/"pm" after a day is that day's morning or afternoon; "i am" is no morning.
        ("flu shot thurs pm", When(date(2026, 12, 10), date(2026, 12, 10), time(12), time(17))),
        ("tmrw am", When(date(2026, 12, 8), date(2026, 12, 8), latest=time(12))),
        ("a fllow up tusday arvo", When(date(2026, 12, 8), date(2026, 12, 8), time(12), time(17))),
        ("tuesday arvo", When(date(2026, 12, 8), date(2026, 12, 8), time(12), time(17))),
        ("i am free friday", When(date(2026, 12, 11), date(2026, 12, 11))),
        # When the patient is busy until a time, they mean after it: "til" is "until".
        ("after 5pm next wednesday? i work til 4:30", When(date(2026, 12, 9), date(2026, 12, 9), earliest=time(17))),
        ("thursday, i get off work at 3", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(15))),
        ("anything aftr 5pm, wed works", When(date(2026, 12, 9), date(2026, 12, 9), earliest=time(17))),
        ("friday til 11am", When(date(2026, 12, 11), date(2026, 12, 11), latest=time(11))),
        # A parent's "after school tomorrow, like 3:30ish": from 3 PM, about 3:30.
        (
            "can my 10 yo see dr okafor after school tomorrow? like 3:30ish",
            When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(15), exact=time(15, 30)),
        ),
        (
            "Good morning! an afternoon on a weekday please",
            When(date(2026, 12, 7), HORIZON, time(12), time(17), None, frozenset(range(5))),
        ),
        (
            "on Monday, in the afternoon",
            When(date(2026, 12, 7), date(2026, 12, 14), time(12), time(17), weekdays=frozenset({0})),
        ),
    ],
)
def test_everyday_phrases(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize(
    "words, expected",
    [
        # The words after a correction replace the day or time before it; the rest of the request stands.
        (
            "book a checkup on monday, no wait, tuesday afternoon",
            When(date(2026, 12, 8), date(2026, 12, 8), time(12), time(17)),
        ),
        ("monday morning, no wait, tuesday", When(date(2026, 12, 8), date(2026, 12, 8), latest=time(12))),
        ("the 14th, no sorry the 15th", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("next tuesday, actually wednesday", When(date(2026, 12, 9), date(2026, 12, 9))),
        ("tomorrow at 3 i mean at 4pm", When(date(2026, 12, 8), date(2026, 12, 8), exact=time(16))),
        ("friday, scratch that, thursday after 2pm", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(14))),
        ("12/21 or rather 12/22", When(date(2026, 12, 22), date(2026, 12, 22))),
        # A correction word with nothing earlier of its kind changes nothing.
        (
            "i'm actually free tuesday afternoon",
            When(date(2026, 12, 8), date(2026, 12, 8), time(12), time(17)),
        ),
    ],
)
def test_a_self_correction_replaces_the_day_or_time_it_corrects(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize("words", ["a checkup", "dr patel", "yes", "1", "the second one", "i need an appointment"])
def test_words_without_a_time_are_not_read_as_one(words: str) -> None:
    assert parse_when(words, MONDAY_8AM, 90) is None


@pytest.mark.parametrize(
    "words, says",
    [
        ("tomorrow at 25pm", '"25pm" isn\'t a time'),
        ("13pm", "isn't a time"),
        ("at 9:75", "isn't a time"),
        ("the 31st of february", "February doesn't have a 31st"),
        ("february 30", "February doesn't have a 30th"),
        ("13/45", "couldn't read"),
        ("the 32nd", "couldn't read"),
    ],
)
def test_impossible_dates_and_times_are_explained_not_guessed(words: str, says: str) -> None:
    with pytest.raises(TimeNotUnderstood, match=says):
        parse_when(words, MONDAY_8AM, 90)


def test_how_long_a_symptom_lasted_is_no_day_and_before_a_date_ends_the_day_before() -> None:
    friday = datetime(2026, 12, 4, 16, 0)
    seen = parse_when("he has had a fever since yesterday, can he be seen tomorrow", friday, 90)
    assert seen is not None and seen.first_day == seen.last_day == date(2026, 12, 5)
    assert parse_when("sore throat for 3 days, can i come in monday", friday, 90).first_day == date(2026, 12, 7)
    before = parse_when("she needs her school physical before the 18th", friday, 90)
    assert before is not None and (before.first_day, before.last_day) == (date(2026, 12, 4), date(2026, 12, 17))
    by = parse_when("by the 18th please", friday, 90)
    assert by is not None and by.last_day == date(2026, 12, 18)
    on = parse_when("on the 18th", friday, 90)
    assert on is not None and on.first_day == on.last_day == date(2026, 12, 18)


def test_childrens_ages_are_no_time_and_between_two_hours_still_is() -> None:
    friday = datetime(2026, 12, 4, 16, 0)
    ages = parse_when("flu shots saturday? i have 2 kids, 4 and 7", friday, 90)
    assert ages is not None and ages.exact is None and ages.first_day == date(2026, 12, 5)
    between = parse_when("between 2 and 4 on monday", friday, 90)
    assert between is not None and (between.earliest, between.latest) == (time(14), time(16))


ALL_BUT = frozenset(range(7)).difference


@pytest.mark.parametrize(
    "words, expected",
    [
        # A day ruled out is not the day wanted: each of these was offered the ruled-out day first.
        ("actually wait, I can't do tuesday. thursday?", When(date(2026, 12, 10), date(2026, 12, 10))),
        ("thursday please, not tuesday", When(date(2026, 12, 10), date(2026, 12, 10))),
        ("not monday, tuesday works better", When(date(2026, 12, 8), date(2026, 12, 8))),
        ("tuesday is no good, wednesday?", When(date(2026, 12, 9), date(2026, 12, 9))),
        ("thursday instead of tuesday", When(date(2026, 12, 10), date(2026, 12, 10))),
        (
            "checkup next week, any day but friday",
            When(date(2026, 12, 14), date(2026, 12, 20), weekdays=ALL_BUT({4})),
        ),
        ("any day except mondays or tuesdays", When(date(2026, 12, 7), HORIZON, weekdays=ALL_BUT({0, 1}))),
        # "in 2 wks on a thurs": the Thursday of the week two weeks on, not this Thursday.
        ("book physical in 2 wks on a thurs", When(date(2026, 12, 21), date(2026, 12, 27), weekdays=frozenset({3}))),
        # A bare "no" answers the list; the day after it is wanted.
        ("no, tuesday please", When(date(2026, 12, 8), date(2026, 12, 8))),
    ],
)
def test_a_day_ruled_out_is_never_the_day_searched(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize(
    "words, day",
    [
        ("can I come in on christmas day for a checkup?", date(2026, 12, 25)),
        ("xmas eve", date(2026, 12, 24)),
        ("new year's day", date(2027, 1, 1)),
        ("new years eve", date(2026, 12, 31)),
        ("thanksgiving", date(2027, 11, 25)),
    ],
)
def test_a_holiday_named_is_its_day(words: str, day: date) -> None:
    assert parse_when(words, MONDAY_8AM, 400) == When(day, day)


def test_a_span_around_a_holiday_is_not_the_holiday() -> None:
    assert parse_when("before christmas", MONDAY_8AM, 90) is None


@pytest.mark.parametrize(
    "words, expected",
    [
        # Each was misread by a tester's patient: not understood, the day ruled out offered, a past day wanted.
        ("the first week of january", When(date(2027, 1, 1), date(2027, 1, 7))),
        ("the last week of december", When(date(2026, 12, 25), date(2026, 12, 31))),
        (
            "any weekday morning except monday, this week or next",
            When(date(2026, 12, 7), date(2026, 12, 20), None, time(12), weekdays=frozenset({1, 2, 3, 4})),
        ),
        ("not monday, another weekday morning", When(date(2026, 12, 7), HORIZON, None, time(12),
                                                     weekdays=frozenset({1, 2, 3, 4}))),
        (
            "I forgot my appointment yesterday. Can I get a new one friday?",
            When(date(2026, 12, 11), date(2026, 12, 11)),
        ),
        ("missed my appt yesterday, can I rebook for monday", When(date(2026, 12, 7), date(2026, 12, 14),
                                                                   weekdays=frozenset({0}))),
    ],
)
def test_a_week_of_a_month_a_weekday_ruled_out_and_a_day_missed_are_read_as_meant(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


def test_a_time_said_at_a_list_of_times_keeps_the_day_asked_for() -> None:
    from bot.scheduling.timeparse import narrowed

    # Played against the stack: "none of those, anything after 3?" at Friday's times offered Monday's.
    assert narrowed("a checkup for friday", "none of those, anything after 3?") == (
        "friday none of those, anything after 3?"
    )
    assert narrowed("a checkup for friday", "what about monday afternoon") == "what about monday afternoon"
    assert narrowed("asap", "anything after 3?") == "anything after 3?"
    assert narrowed("", "after 3pm") == "after 3pm"


@pytest.mark.parametrize(
    "words, expected",
    [
        # A tester's "two weeks from today" was offered today's times.
        ("two weeks from today works, morning", When(date(2026, 12, 21), date(2026, 12, 21), latest=time(12))),
        ("a week from tomorrow", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("in 10 days", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("3 weeks out", When(date(2026, 12, 28), date(2026, 12, 28))),
        # Said on a Monday: "next" monday is a week on, and the day paired with it follows it, not today.
        (
            "in the morning next monday or tuesday",
            When(date(2026, 12, 14), date(2026, 12, 20), latest=time(12), weekdays=frozenset({0, 1})),
        ),
        ("monday or tuesday next week", When(date(2026, 12, 14), date(2026, 12, 20), weekdays=frozenset({0, 1}))),
        ("next thursday or friday", When(date(2026, 12, 10), date(2026, 12, 16), weekdays=frozenset({3, 4}))),
    ],
)
def test_a_day_counted_from_today_or_paired_with_next_is_that_day_not_today(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize(
    "words", ["by the end of the week", "before the weekend", "sometime this week", "a sick visit by end of week"]
)
def test_the_end_of_the_week_is_every_day_up_to_friday(words: str) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == When(date(2026, 12, 7), date(2026, 12, 11))


def test_the_end_of_next_week_is_every_day_up_to_next_friday() -> None:
    assert parse_when("end of next week", MONDAY_8AM, 90) == When(date(2026, 12, 7), date(2026, 12, 18))


@pytest.mark.parametrize(
    "words, expected",
    [
        # "not before 10" was read as "before 10": the 9:00 AM slot was offered, and kept first.
        ("on thursday please, not before 10", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(10))),
        ("thursday, 10 or later", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(10))),
        ("thursday no earlier than 10", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(10))),
        ("nothing before 10 on thursday", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(10))),
        ("friday, not after 3", When(date(2026, 12, 11), date(2026, 12, 11), latest=time(15))),
        ("friday no later than 3", When(date(2026, 12, 11), date(2026, 12, 11), latest=time(15))),
        ("friday before 3 at the latest", When(date(2026, 12, 11), date(2026, 12, 11), latest=time(15))),
        ("no later than 12/18", When(date(2026, 12, 7), date(2026, 12, 18))),  # a date bound stays a date
        # Parts of the day said in a phrase: narrower, or later, than the one word.
        ("anytime after lunch on the 18th", When(date(2026, 12, 18), date(2026, 12, 18), earliest=time(13))),
        ("checkup around noonish on thursday", When(date(2026, 12, 10), date(2026, 12, 10), time(11), time(13))),
        ("thursday around noon", When(date(2026, 12, 10), date(2026, 12, 10), time(11), time(13))),
        ("around lunchtime tomorrow", When(date(2026, 12, 8), date(2026, 12, 8), time(11), time(13))),
        ("late afternoon this friday", When(date(2026, 12, 11), date(2026, 12, 11), time(15), time(17))),
        ("early morning on wednesday", When(date(2026, 12, 9), date(2026, 12, 9), latest=time(9))),
        ("tomorrow at the end of the day", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(15))),
    ],
)
def test_bounds_and_parts_of_the_day_said_in_a_phrase_are_read_as_meant(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize(
    "words, expected",
    [
        # Said on Monday 7 December, when "thursday" alone is the 10th: each of these is a week or more past it.
        ("the following thurs", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("the following thursday in the morning", When(date(2026, 12, 17), date(2026, 12, 17), latest=time(12))),
        ("the thursday after", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("the tuesday after next", When(date(2026, 12, 15), date(2026, 12, 15))),  # "next tuesday" is the 8th
        ("a week from thursday", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("two weeks from friday at 9am", When(date(2026, 12, 25), date(2026, 12, 25), exact=time(9))),
        ("a week from next monday", When(date(2026, 12, 21), date(2026, 12, 21))),
        ("the following week", When(date(2026, 12, 14), date(2026, 12, 20))),
        # "after" with a time or a part of the day is no later week.
        ("the thursday after 5pm", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(17))),
        ("the thursday after lunch", When(date(2026, 12, 10), date(2026, 12, 10), earliest=time(13))),
    ],
)
def test_a_weekday_said_past_the_coming_one_is_that_later_day(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize(
    "words, expected",
    [
        # Each was read as any day from today, and "1" booked this morning.
        (
            "need 2 get seen next wk, any day, mornings only",
            When(date(2026, 12, 14), date(2026, 12, 20), latest=time(12)),
        ),
        ("checkup nxt wk pls", When(date(2026, 12, 14), date(2026, 12, 20))),
        ("apointmnt for flu shott pls, any time thrusday", When(date(2026, 12, 10), date(2026, 12, 10))),
        ("can i se dr kim tusday for my hart checkup", When(date(2026, 12, 8), date(2026, 12, 8))),
        ("wedensday afternoon", When(date(2026, 12, 9), date(2026, 12, 9), time(12), time(17))),
        ("firday at 10", When(date(2026, 12, 11), date(2026, 12, 11), exact=time(10))),
        ("wensdays, evenings", When(date(2026, 12, 7), HORIZON, earliest=time(17), weekdays=frozenset({2}))),
        ("in 2 wks", When(date(2026, 12, 21), date(2026, 12, 27))),
    ],
)
def test_weekday_typos_and_week_shorthand_are_the_days_meant(words: str, expected: When) -> None:
    assert parse_when(words, MONDAY_8AM, 90) == expected


@pytest.mark.parametrize("words", ["midday on a weekday", "today", "someday soon", "my daughter frida is sick"])
def test_words_near_a_weekday_that_are_none_name_no_other_day(words: str) -> None:
    when = parse_when(words, MONDAY_8AM, 90)
    assert when is None or when.weekdays in (None, frozenset(range(5)))
    assert when is None or when.first_day == date(2026, 12, 7)
