"""Times said relative to the appointment being moved (bot/scheduling/relative.py)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.scheduling.relative import relative_when
from bot.scheduling.timeparse import When

CURRENT = datetime(2026, 12, 8, 11, 0)  # a Tuesday
NOW = datetime(2026, 12, 3, 9, 0)


@pytest.mark.parametrize(
    "words, expected",
    [
        ("can you push my appt back a week", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("push it back by two days", When(date(2026, 12, 10), date(2026, 12, 10))),
        ("could you push it back a couple of days", When(date(2026, 12, 10), date(2026, 12, 10))),
        ("a week later please", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("later that same day would be lovely", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(11, 15))),
        ("I'd like to change it to a later time if possible", When(date(2026, 12, 9), date(2026, 12, 22))),
        ("anything earlier?", When(date(2026, 12, 3), date(2026, 12, 7))),
        ("could we find another day, perhaps the following week?", When(date(2026, 12, 14), date(2026, 12, 20))),
        ("move it to friday", None),  # an absolute day is timeparse's
        ("i need to reschedule", None),
    ],
)
def test_moves_relative_to_the_appointment(words: str, expected: When | None) -> None:
    assert relative_when(words, CURRENT, NOW) == expected


def test_earlier_on_the_day_itself_means_before_its_time() -> None:
    assert relative_when("anything sooner", CURRENT, CURRENT.replace(hour=8)) == When(
        CURRENT.date(), CURRENT.date(), latest=time(11, 0))


def test_a_span_asked_for_a_move_leaves_out_the_appointments_own_day(db_url: str) -> None:
    from bot.clinic import load_profile
    from bot.db import transaction
    from bot.scheduling.policies import read_request
    from bot.settings import get_settings

    profile = load_profile(get_settings().clinic_profile)
    now, current = datetime(2026, 12, 4, 16, 0, tzinfo=profile.zone), datetime(2026, 12, 8, 11, 0, tzinfo=profile.zone)
    with transaction(db_url) as s:
        span = read_request(s, "can we do next week instead", profile, now, 90, moving_from=current)
        day = read_request(s, "later on tuesday the 8th", profile, now, 90, moving_from=current)
    assert span is not None and not span.allows(current.date()) and span.allows(date(2026, 12, 9))
    assert day is not None and day.allows(current.date())  # one named day may still be the same day


@pytest.mark.parametrize(
    "words, expected",
    [
        ("earlier on the same day as my appointment", When(date(2026, 12, 8), date(2026, 12, 8), latest=time(11))),
        ("push back my appointment a couple of hours", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(13))),
        ("an hour earlier", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(10), latest=time(11))),
        ("can you make it half an hour later?", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(11, 30))),
        ("half an hour earlier", When(date(2026, 12, 8), date(2026, 12, 8), earliest=time(10, 30), latest=time(11))),
        ("same time next week", When(date(2026, 12, 15), date(2026, 12, 15), exact=time(11))),
        ("bump my appt a week pls", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("move it two days earlier", When(date(2026, 12, 6), date(2026, 12, 6))),
        ("move it to a day next week", None),  # a new day, not a shift by one
    ],
)
def test_moves_by_hours_days_and_to_the_same_time(words: str, expected: When | None) -> None:
    assert relative_when(words, CURRENT, NOW) == expected


def test_a_plain_earlier_or_later_yields_to_a_day_named() -> None:
    tomorrow = When(date(2026, 12, 4), date(2026, 12, 4))
    own_day = When(date(2026, 12, 8), date(2026, 12, 8))
    assert relative_when("can i come in earlier? like tomorrow?", CURRENT, NOW, tomorrow) == tomorrow
    assert relative_when("anything earlier on tuesday?", CURRENT, NOW, own_day) == When(
        date(2026, 12, 8), date(2026, 12, 8), latest=time(11))


THURSDAY_VISIT = datetime(2026, 12, 10, 11, 0)


@pytest.mark.parametrize(
    "words, current, expected",
    [
        # A tester's "the following thurs" for a Thursday visit was offered that same Thursday again.
        ("the following thurs", THURSDAY_VISIT, When(date(2026, 12, 17), date(2026, 12, 17))),
        ("move it to the following thursday", THURSDAY_VISIT, When(date(2026, 12, 17), date(2026, 12, 17))),
        ("can we do the thursday after", THURSDAY_VISIT, When(date(2026, 12, 17), date(2026, 12, 17))),
        (
            "same time the following thursday", THURSDAY_VISIT,
            When(date(2026, 12, 17), date(2026, 12, 17), exact=time(11)),
        ),
        # "The following" is the first such day after the visit's own: for a Tuesday visit, that week's Thursday.
        ("the following thursday", CURRENT, When(date(2026, 12, 10), date(2026, 12, 10))),
        ("the following monday", THURSDAY_VISIT, When(date(2026, 12, 14), date(2026, 12, 14))),
    ],
)
def test_the_following_weekday_is_the_first_after_the_appointments_day(
    words: str, current: datetime, expected: When
) -> None:
    assert relative_when(words, current, NOW) == expected


def test_a_weekday_in_the_following_week_keeps_its_day() -> None:
    said = When(date(2026, 12, 7), date(2026, 12, 13), weekdays=frozenset({3}))
    assert relative_when("thursday the following week", THURSDAY_VISIT, NOW, said) == When(
        date(2026, 12, 14), date(2026, 12, 20), weekdays=frozenset({3}))


DECEMBER_22 = datetime(2026, 12, 22, 10, 0)  # a Tuesday, two weeks ahead


@pytest.mark.parametrize(
    "words, expected",
    [
        # Found by simulated patients: "the thursday before it" for a Tue Dec 22 visit offered Thu Dec 10.
        ("move my heart appointment to the thursday before it", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("the previous thursday", When(date(2026, 12, 17), date(2026, 12, 17))),
        ("same time the monday before", When(date(2026, 12, 21), date(2026, 12, 21), exact=time(10))),
        ("can I come the day before my appointment instead", When(date(2026, 12, 21), date(2026, 12, 21))),
        ("cn we do the nxt day insted", When(date(2026, 12, 23), date(2026, 12, 23))),
        ("I want my appointment one week more early", When(date(2026, 12, 15), date(2026, 12, 15))),
        ("same time but the following week please", When(date(2026, 12, 29), date(2026, 12, 29), exact=time(10))),
        # A time after "the thursday before" is a time of day, not the day before the visit.
        ("the thursday before 5pm", None),
        ("the day after tomorrow", None),
    ],
)
def test_days_said_against_the_appointment_before_or_after_it(words: str, expected: When | None) -> None:
    assert relative_when(words, DECEMBER_22, NOW) == expected
