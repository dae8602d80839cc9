"""One rule for reading a clock time: booking a visit and setting a medication reminder read the same words alike."""
from __future__ import annotations

from datetime import time

import pytest

from bot.clock import read_clock
from bot.reminders.parsing import parse_times
from bot.scheduling.timeparse import parse_when
from tests.scheduling_helpers import MONDAY_8AM


@pytest.mark.parametrize(
    ("hour", "minute", "meridiem", "meant"),
    [
        ("3", None, None, time(15)), ("6", "30", None, time(18, 30)), ("7", None, None, time(7)),
        ("9", None, None, time(9)), ("12", None, None, time(12)), ("0", None, None, time(0)),
        ("15", "00", None, time(15)), ("03", "00", None, time(3)), ("08", "00", None, time(8)),
        ("3", None, "am", time(3)), ("3", None, "p", time(15)), ("12", None, "a.m.", time(0)),
        ("12", "30", "pm", time(12, 30)),
    ],
)
def test_the_clock_rule(hour: str, minute: str | None, meridiem: str | None, meant: time) -> None:
    assert read_clock(hour, minute, meridiem) == meant


@pytest.mark.parametrize(("hour", "minute", "meridiem"), [("25", None, None), ("13", None, "pm"), ("0", None, "am"),
                                                          ("8", "75", None)])
def test_what_is_no_time_is_refused(hour: str, minute: str | None, meridiem: str | None) -> None:
    with pytest.raises(ValueError):
        read_clock(hour, minute, meridiem)


@pytest.mark.parametrize(
    ("said", "meant"),
    [("3", time(15)), ("9", time(9)), ("5:30", time(17, 30)), ("10:15", time(10, 15)), ("03:00", time(3)),
     ("15:00", time(15)), ("3am", time(3)), ("8pm", time(20))],
)
def test_a_visit_and_a_dose_at_the_same_words_are_at_the_same_time(said: str, meant: time) -> None:
    visit = parse_when(f"tuesday at {said}", MONDAY_8AM, 90)
    assert visit is not None and visit.exact == meant
    assert parse_times(said) == [meant]
