"""One rule for reading a clock time: booking a visit and setting a medication reminder read the same words alike."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import faq
from bot.clinic import load_profile
from bot.clock import clock_text, moment_text, read_clock
from bot.models import Appointment
from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.occurrence import DoseOccurrence
from bot.reminders.parsing import parse_times
from bot.reminders.plans import describe
from bot.reminders.templates import appointment_text, medication_text
from bot.scheduling import policies
from bot.scheduling.timeparse import parse_when
from bot.settings import PROJECT_ROOT
from tests.scheduling_helpers import MONDAY_8AM


@pytest.mark.parametrize(
    ("hour", "minute", "meridiem", "meant"),
    [
        ("3", None, None, time(15)),
        ("6", "30", None, time(18, 30)),
        ("7", None, None, time(7)),
        ("9", None, None, time(9)),
        ("12", None, None, time(12)),
        ("0", None, None, time(0)),
        ("15", "00", None, time(15)),
        ("03", "00", None, time(3)),
        ("08", "00", None, time(8)),
        ("3", None, "am", time(3)),
        ("3", None, "p", time(15)),
        ("12", None, "a.m.", time(0)),
        ("12", "30", "pm", time(12, 30)),
    ],
)
def test_the_clock_rule(hour: str, minute: str | None, meridiem: str | None, meant: time) -> None:
    assert read_clock(hour, minute, meridiem) == meant


@pytest.mark.parametrize(
    ("hour", "minute", "meridiem"), [("25", None, None), ("13", None, "pm"), ("0", None, "am"), ("8", "75", None)]
)
def test_what_is_no_time_is_refused(hour: str, minute: str | None, meridiem: str | None) -> None:
    with pytest.raises(ValueError):
        read_clock(hour, minute, meridiem)


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("3", time(15)),
        ("9", time(9)),
        ("5:30", time(17, 30)),
        ("10:15", time(10, 15)),
        ("03:00", time(3)),
        ("15:00", time(15)),
        ("3am", time(3)),
        ("8pm", time(20)),
    ],
)
def test_a_visit_and_a_dose_at_the_same_words_are_at_the_same_time(said: str, meant: time) -> None:
    visit = parse_when(f"tuesday at {said}", MONDAY_8AM, 90)
    assert visit is not None and visit.exact == meant
    assert parse_times(said) == [meant]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (time(8), "8:00 AM"),
        (time(8, 30), "8:30 AM"),
        (time(0, 5), "12:05 AM"),
        (time(12), "12:00 PM"),
        (time(17, 45), "5:45 PM"),
    ],
)
def test_one_clock_style(value: time, shown: str) -> None:
    assert clock_text(value) == shown


def test_every_time_a_patient_reads_is_in_the_one_style() -> None:
    profile = load_profile(PROJECT_ROOT / "bot" / "clinic.yml")
    zone = ZoneInfo("America/New_York")
    shown = " ".join(
        [
            *faq.values(profile, [(date(2026, 12, 25), "Christmas Day")]).values(),
            policies.say_when(datetime(2026, 12, 8, 14, 0, tzinfo=timezone.utc), zone),
            appointment_text(Appointment(starts_at=datetime(2027, 6, 10, 18, 30, tzinfo=timezone.utc)), zone, profile),
            medication_text(MedicationPlan(medication="metformin"), DoseOccurrence(datetime(2027, 6, 2, 8)), profile),
            describe(
                MedicationPlan(
                    medication="metformin", times="08:00,20:30", rrule="FREQ=DAILY", status=PlanStatus.ACTIVE
                )
            ),
            profile.weekly_hours(),
        ]
    )
    times = re.findall(r"\d[\d:]*\s*[AaPp]\.?[Mm]\b", shown)
    assert times and all(re.fullmatch(r"(1[0-2]|[1-9]):[0-5]\d [AP]M", t) for t in times), times


def test_a_moment_staff_read_is_the_local_day_and_clock_with_the_zone_named() -> None:
    zone = ZoneInfo("America/New_York")
    evening = datetime(2027, 12, 4, 1, 30, tzinfo=timezone.utc)  # already Dec 4 in UTC
    assert moment_text(evening, zone) == "Fri Dec 3, 8:30 PM EST"
    assert moment_text(evening, zone, year=True) == "Fri Dec 3 2027, 8:30 PM EST"
    assert moment_text(datetime(2027, 6, 3, 13, 0, tzinfo=timezone.utc), zone) == "Thu Jun 3, 9:00 AM EDT"


def test_clock_times_said_in_words_are_read_as_digits_and_counts_stay_words() -> None:
    from bot.clock import spoken_clock

    # Found by a tester: "each evening at half past six" became 2:00 PM (from "Good afternoon") and 6:00 PM.
    assert spoken_clock("each evening at half past six") == "each evening at 6:30"
    assert spoken_clock("a quarter to eight pm") == "7:45 pm"
    assert spoken_clock("seven thirty am, or at nine") == "7:30 am, or at 9"
    assert spoken_clock("take two pills three times a day") == "take two pills three times a day"
