"""How often, from when, and for which medication a reminder request's words say (probe 4: HARM-2, -3, -6,
-7, -10 and the until question that looped). A hurried yes to the read-back saves what was read."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.reminders.durations import parse_until
from bot.reminders.form_answers import only_times, read_times
from bot.reminders.parsing import medications, parse_days, parse_times, plan_request

TODAY = date(2026, 12, 4)  # a Friday


def test_twice_a_day_says_how_many_times_and_the_same_hour_twice_is_morning_and_night() -> None:
    """HARM-3: "8 and 8" for twice a day saved one 8:00 AM reminder; "twice a day" alone guessed 8 and 8."""
    assert parse_times("8 and 8", count=2) == [time(8), time(20)]
    assert read_times("8 and 8", "remind me to give my son his amoxicillin twice a day").times == [time(8), time(20)]
    assert parse_times("twice a day") == []
    # Fewer times than said: none taken, the count is asked for.
    reading = read_times("8am", "remind me to take amoxicillin twice a day for 7 days")
    assert reading.times == [] and reading.count == 2
    assert read_times("8am, 2pm and 8pm", "4 times daily").count == 4
    assert read_times("8am and 8pm", "three times a day").count == 3
    assert "reminder_times" not in plan_request("remind me to take my metformin twice a day at 8am", TODAY)
    assert plan_request("can you remind me to give my son his amoxicillin twice a day", TODAY)[
        "reminder_medication"
    ] == "amoxicillin"


def test_every_few_hours_is_an_interval_not_a_time_of_day() -> None:
    """HARM-10: "every 6 hours" was saved as one reminder at 6:00 PM."""
    assert parse_times("every 6 hours") == [] and parse_times("every 8 hrs") == []
    reading = read_times("every 6 hours", "remind me to take tramadol")
    assert reading.times == [] and reading.example == [time(6), time(12), time(18), time(0)]
    assert read_times("the first at 7am", "remind me to take ibuprofen every 8 hours").times == [
        time(7), time(15), time(23)
    ]
    assert read_times("every 2 hours", "").times == []
    assert plan_request("remind me to take ibuprofen every 8 hours starting at 7am", TODAY)["reminder_times"] == (
        "07:00,15:00,23:00"
    )
    assert "reminder_times" not in plan_request("remind me to take tramadol every 6 hours", TODAY)


def test_starting_a_weekday_is_when_the_plan_starts_not_its_days() -> None:
    """HARM-6: "starting monday ... for 14 days" became a Monday-only plan ending 14 days from today."""
    assert plan_request("starting monday, remind me to take doxycycline at 9am and 9pm for 14 days", TODAY) == {
        "reminder_medication": "doxycycline",
        "reminder_times": "09:00,21:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "2026-12-20",  # Mon Dec 7 and 13 days after it
    }
    assert parse_days("starting monday, every day") == "FREQ=DAILY"
    assert parse_days("from monday to friday") == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert parse_until("for 14 days", TODAY, date(2026, 12, 7)) == date(2026, 12, 20)


def test_noon_is_a_time_and_a_list_of_times_is_no_medication() -> None:
    """HARM-7: "8am, noon, 4pm and 8pm" was saved as the medication's name, and noon was dropped."""
    assert parse_times("8am, noon, 4pm and 8pm") == [time(8), time(12), time(16), time(20)]
    assert plan_request("remind me to take metformin at 8am, noon and 6pm", TODAY)["reminder_times"] == (
        "08:00,12:00,18:00"
    )
    assert only_times("8am, noon, 4pm and 8pm") and only_times("at midnight")
    assert not only_times("eye drops") and not only_times("vitamin d3")
    assert plan_request("remind me to put in my eye drops 4 times a day", TODAY)["reminder_medication"] == "eye drops"


def test_two_medications_are_never_one_plan() -> None:
    """HARM-2: the second drug's time went into the first drug's plan and the second drug was dropped."""
    text = "remind me to take metformin at 8am and 8pm and my lisinopril at 9am"
    assert plan_request(text, TODAY) == {"reminder_medication": "metformin", "reminder_times": "08:00,20:00"}
    split = medications(text)
    assert split.second == "lisinopril" and split.rest == "lisinopril at 9am"
    # Said together, they share the times; the digits stay in the names.
    assert plan_request("remind me to take vitamin d3 and omega 3 at 9am daily", TODAY) == {
        "reminder_medication": "vitamin d3 and omega 3",
        "reminder_times": "09:00",
        "reminder_days": "FREQ=DAILY",
    }
    assert medications("remind me to take my insulin at 7am and my son's inhaler at 8pm").second == "son's inhaler"
    assert medications("remind me to take metformin at 8am and then again at 8pm").second is None
    assert medications("remind me to take metformin at 8am and noon").second is None
    assert medications("remind me to take metformin at 8am and 8pm every day").second is None


def test_a_drug_named_anywhere_in_the_request_is_not_asked_again() -> None:
    # Found by a tester: "Which medication is the reminder for?" after these named it.
    elderly = (
        "my doctor put me on a new blood pressure pill called amlodipine and I keep forgetting it. "
        "Could you send me a message every morning at half past seven?"
    )
    assert plan_request(elderly, TODAY)["reminder_medication"] == "amlodipine"
    assert plan_request("set a reminder for levothyroxine 6am", TODAY) == {
        "reminder_medication": "levothyroxine", "reminder_times": "06:00"
    }
    assert plan_request("remind me to take eliquis twice a day", TODAY)["reminder_medication"] == "eliquis"
    # Two drugs, each with its own time, are two plans: the first gets only its own time.
    two = "can you remind me about lisinopril at 9am and also my simvastatin at bedtime, 10pm"
    assert plan_request(two, TODAY) == {"reminder_medication": "lisinopril", "reminder_times": "09:00"}
    assert medications(two).second == "simvastatin"


@pytest.mark.parametrize(
    "words",
    [
        "Until my physician tells me otherwise.",
        "until my doctor tells me to stop",
        "indefinitely",
        "ongoing",
        "for the foreseeable future",
        "no end",
        "until the doctor says stop",
    ],
)
def test_no_end_in_the_patients_words(words: str) -> None:
    """The until question looped forever on "Until my physician tells me otherwise"."""
    assert parse_until(words, TODAY) is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # Found by a tester: saved as a plan for "next", and "Which days?" / "Until when?" asked after them.
        (
            "set reminders for prednisone at 8am for the next 5 days",
            {"reminder_medication": "prednisone", "reminder_times": "08:00", "reminder_days": "FREQ=DAILY",
             "reminder_until": "2026-12-08"},
        ),
        (
            "remind me about my cipro at 8am and 8pm for the next week",
            {"reminder_medication": "cipro", "reminder_times": "08:00,20:00", "reminder_days": "FREQ=DAILY",
             "reminder_until": "2026-12-10"},
        ),
        (
            "remind me to take prednisone at 8am for 2 weeks",
            {"reminder_medication": "prednisone", "reminder_times": "08:00", "reminder_days": "FREQ=DAILY",
             "reminder_until": "2026-12-17"},
        ),
        # Saved as "levothyroxine and please".
        (
            "Would you kindly remind me each morning at half past seven to take my levothyroxine, please?",
            {"reminder_medication": "levothyroxine", "reminder_times": "07:30", "reminder_days": "FREQ=DAILY"},
        ),
        # "at what one time?" was asked after "at 9 in morning", and the drug read as "pill of pressure and ...".
        (
            "Please I want message for take my pill of pressure, amlodipine, one time each day at 9 in morning",
            {"reminder_medication": "amlodipine", "reminder_times": "09:00", "reminder_days": "FREQ=DAILY"},
        ),
        # "Which days?" was asked after "evry nite".
        (
            "remnder for my metforman at 8 pm evry nite",
            {"reminder_medication": "metforman", "reminder_times": "20:00", "reminder_days": "FREQ=DAILY"},
        ),
    ],
)
def test_what_the_request_said_is_read_and_never_asked_again(words: str, expected: dict[str, str]) -> None:
    assert plan_request(words, TODAY) == expected


def test_a_corrected_morning_time_stays_in_the_morning() -> None:
    # Found by the round-5 testers: "every morning at 7... scratch that, 6:30" was read back as 6:30 PM.
    for words in ("remind me to take losartan every morning at 7... scratch that, 6:30",
                  "remind me to take losartan every morning at 7, no wait, 6:30",
                  "remind me to take losartan at 7 every morning, actually 6:30",
                  "remind me to take losartan at 7am, I mean 6:30"):
        assert plan_request(words, TODAY)["reminder_times"] == "06:30", words
    assert plan_request("remind me to take losartan at 6:30 every morning", TODAY)["reminder_times"] == "06:30"
    # The later value is kept; other details stand.
    assert plan_request("metformin at 8am and 2pm, i mean 3pm", TODAY)["reminder_times"] == "08:00,15:00"
    assert plan_request("losartan every night at 9, i mean 10", TODAY)["reminder_times"] == "22:00"
    assert plan_request("losartan at 8am, no sorry at bedtime", TODAY)["reminder_times"] == "21:00"
