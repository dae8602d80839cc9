"""The medication form against the schedules probe 4's patients said: it asks as many times as "twice a
day" says, never reads "every 6 hours" as 6 o'clock, starts a plan on the day said, keeps two medications
apart, takes times given for a medication as times, and never loops on the until question."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import wording_reminders as wording
from actions.reminders import AskReminderConfirmed, SaveMedicationReminder, ValidateMedicationReminderForm
from bot.db import transaction, utcnow
from bot.models import Patient
from bot.reminders.models import MedicationPlan
from bot.settings import get_settings
from tests.domain import project_domain
from tests.reminder_helpers import add_patient
from tests.test_reminders_actions import PHONE, run, started, verify


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    return sqlite_url


def _user(text: str, intent: str) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": "sms"}


def in_form(request: str, turns: list[tuple[str, str]], slots: dict[str, Any] | None = None) -> Tracker:
    """The form after `request`, then (who, text) turns; the last user turn is the answer being validated."""
    events = [_user(request, "set_medication_reminder"), {"event": "active_loop", "name": "medication_reminder_form"}]
    for who, text in turns:
        events.append(_user(text, "inform") if who == "patient" else {"event": "bot", "text": text})
    return Tracker.from_dict({
        "sender_id": PHONE, "slots": slots or {}, "latest_message": events[-1]["parse_data"], "events": events,
        "paused": False, "followup_action": None, "active_loop": {"name": "medication_reminder_form"},
        "latest_action_name": "action_listen",
    })


def validate(slot: str, tracker: Tracker) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    validator = getattr(ValidateMedicationReminderForm(), f"validate_{slot}")
    result = validator(tracker.latest_message["text"], dispatcher, tracker, project_domain())
    result = asyncio.run(result) if asyncio.iscoroutine(result) else result
    return result, [m["text"] for m in dispatcher.messages]


def test_twice_a_day_asks_for_two_times_and_8_and_8_is_morning_and_night(db: str) -> None:
    """HARM-3: the child's antibiotic got one reminder a day."""
    request = "can you remind me to give my son his amoxicillin twice a day for 7 days"
    slots, said = started(db, request)
    assert slots["reminder_medication"] == "amoxicillin" and slots["requested_slot"] == "reminder_times"
    assert said == ["You said twice a day: at what two times? e.g. 8:00 AM and 8:00 PM"]
    assert validate("reminder_times", in_form(request, [("patient", "8 and 8")]))[0] == {
        "reminder_times": "08:00,20:00"
    }
    result, said = validate("reminder_times", in_form(request, [("patient", "8am")]))
    assert result == {"reminder_times": None} and said == [wording.times_for_count(2)]


def test_every_6_hours_is_asked_as_times_or_spaced_from_a_first_time(db: str) -> None:
    """HARM-10: "every 6 hours" was saved as one reminder at 6:00 PM."""
    request = "remind me to take tramadol"
    result, said = validate("reminder_times", in_form(request, [("patient", "every 6 hours")]))
    assert result == {"reminder_times": None}
    assert said[0].startswith("Every 6 hours: at what times of day? e.g. 6:00 AM, 12:00 PM, 6:00 PM and 12:00 AM")
    then = in_form(request, [("patient", "every 6 hours"), ("bot", said[0]), ("patient", "8am")])
    assert validate("reminder_times", then)[0] == {"reminder_times": "02:00,08:00,14:00,20:00"}


def test_times_given_for_the_medication_are_kept_as_times_not_a_name(db: str) -> None:
    """HARM-7: "8am, noon, 4pm and 8pm" became the medication's name."""
    request = "remind me to use eye drops 4 times a day"
    result, said = validate("reminder_medication", in_form(request, [("patient", "8am, noon, 4pm and 8pm")]))
    assert result == {"reminder_medication": None, "reminder_times": "08:00,12:00,16:00,20:00"}
    assert said == [wording.TIMES_NOT_A_NAME]


def test_an_end_not_understood_twice_is_no_end_date_and_said_so(db: str) -> None:
    """F-R1: "Until my physician tells me otherwise", then "Yes, that would be fine", looped forever."""
    request = "remind me to take losartan at 8am"
    assert validate("reminder_until", in_form(request, [("patient", "until my physician tells me otherwise")]))[0] == {
        "reminder_until": "none"
    }
    first, said = validate("reminder_until", in_form(request, [("patient", "yes that would be fine")]))
    assert first == {"reminder_until": None} and said == [wording.UNTIL_WHEN]
    again = in_form(request, [("patient", "yes that would be fine"), ("bot", wording.UNTIL_WHEN), ("patient", "ok")])
    assert validate("reminder_until", again) == ({"reminder_until": "none"}, [wording.UNTIL_TAKEN_AS_NO_END])


def _save(url: str, request: str, slots: dict[str, Any]) -> tuple[list[dict], list[str]]:
    with transaction(url) as s:  # the patient `started` added, else a new one
        found = s.execute(select(Patient.id).where(Patient.mobile == PHONE)).scalar()
    patient = found or add_patient(url, PHONE)
    if not found:
        verify(url, patient)
    filled = {"patient_id": patient, "reminder_show_name": True, "reminder_confirmed": True, **slots}
    tracker = in_form(request, [("patient", "yes")], filled)
    tracker.events.append({"event": "active_loop", "name": None})
    return run(SaveMedicationReminder(), tracker)


def test_starting_monday_starts_the_plan_on_monday_every_day(db: str) -> None:
    """HARM-6: a Monday-only plan, ending 14 days from today, not from the start."""
    request = "starting monday, remind me to take doxycycline at 9am and 9pm for 14 days"
    today = utcnow().date()
    monday = today + timedelta(days=(0 - today.weekday() - 1) % 7 + 1)
    slots = {"reminder_medication": "doxycycline", "reminder_times": "09:00,21:00", "reminder_days": "FREQ=DAILY",
             "reminder_until": (monday + timedelta(days=13)).isoformat()}
    read = run(AskReminderConfirmed(), in_form(request, [("patient", "yes")], {**slots, "reminder_show_name": True}))
    assert f"every day, starting {monday:%a %b %d}, until" in read[1][0]
    said = _save(db, request, slots)[1]
    assert said[0].startswith("Saved: doxycycline") and f", starting {monday:%a %b %d}. Reply" in said[0]
    with transaction(db) as s:
        plan = s.execute(select(MedicationPlan)).scalar_one()
        assert (plan.rrule, plan.start_date, plan.end_date) == ("FREQ=DAILY", monday, monday + timedelta(days=13))
        assert isinstance(plan.start_date, date)


def test_a_second_medication_is_set_up_next_with_only_its_own_times(db: str) -> None:
    """HARM-2: lisinopril's 9am went into the metformin plan, and lisinopril was never reminded."""
    request = "remind me to take metformin at 8am and 8pm and my lisinopril at 9am"
    slots, said = started(db, request)
    assert slots["reminder_medication"] == "metformin" and slots["reminder_times"] == "08:00,20:00"
    assert said == ["Let's set these up one at a time: first metformin, then lisinopril."]
    events, said = _save(db, request, {"reminder_medication": "metformin", "reminder_times": "08:00,20:00",
                                       "reminder_days": "FREQ=DAILY", "reminder_until": "none"})
    assert said[1] == "Now the reminder for lisinopril."
    asked = [e for e in events if e.get("event") == "user"]
    assert asked[0]["text"] == "remind me to take lisinopril at 9am"
    assert asked[0]["parse_data"]["intent"]["name"] == "set_medication_reminder"


def _asked(slot: str, text: str, intent: str, confidence: float) -> Tracker:
    """The form asking for `slot`, answered with `text` that the classifier read as `intent`."""
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    events = [_user("new med reminder please", "set_medication_reminder"),
              {"event": "active_loop", "name": "medication_reminder_form"},
              {"event": "bot", "text": "Which medication is the reminder for?"},
              {"event": "user", "text": text, "parse_data": parse, "input_channel": "sms"}]
    return Tracker.from_dict({
        "sender_id": PHONE, "slots": {"requested_slot": slot}, "latest_message": parse, "events": events,
        "paused": False, "followup_action": None, "active_loop": {"name": "medication_reminder_form"},
        "latest_action_name": "action_listen",
    })


def _form_turn(tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateMedicationReminderForm().run(dispatcher, tracker, project_domain()))
    return events, dispatcher.messages


def test_a_question_or_another_request_is_never_saved_as_the_medication(db: str) -> None:
    """A plan was saved for the medication 'wait am i talking to a robot'."""
    events, said = _form_turn(_asked("reminder_medication", "wait am i talking to a robot", "bot_challenge", 0.97))
    assert said[0]["response"] == "utter_bot_challenge"
    assert not [e for e in events if e.get("name") == "reminder_medication" and e.get("value")]
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "reminder_medication"} in events
    for text, intent in [("how does this work?", "inform"), ("can you book me with dr chen", "book_appointment")]:
        result, _ = validate("reminder_medication", _asked("reminder_medication", text, intent, 0.9))
        assert result == {"reminder_medication": None}, text
    # A drug named stays a name, whatever it was read as.
    result, _ = validate("reminder_medication", _asked("reminder_medication", "is it ok, lisinopril", "faq", 0.9))
    assert result["reminder_medication"]


@pytest.mark.parametrize("slot,text,intent", [
    ("reminder_medication", "never mind, cancel that", "cancel_appointment"),
    ("reminder_times", "eh forget it", "nlu_fallback"),
])
def test_never_mind_inside_the_form_ends_it_politely(db: str, slot: str, text: str, intent: str) -> None:
    """'never mind, cancel that' became the drug's name, 'eh forget it' looped on the times question."""
    events, said = _form_turn(_asked(slot, text, intent, 0.87))
    assert [m["text"] for m in said] == [wording.WONT_SET]
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events
    assert not [e for e in events if e.get("event") == "action_execution_rejected"]


def test_a_new_time_at_the_read_back_is_read_back_again_never_the_old_one_saved(db: str) -> None:
    # Found by a tester: "actually make it 6:30" at "Shall I save it?" showed 6:00 again and a yes saved 6:00.
    read_back = "So: a reminder for levothyroxine at 6:00 AM every day ... Shall I save it? (yes/no)"
    turns = [("bot", read_back), ("patient", "actually make it 6:30")]
    request = "set a reminder for levothyroxine 6am"
    slots, said = validate("reminder_confirmed", in_form(request, turns, {"reminder_times": "06:00"}))
    assert slots == {"reminder_times": "06:30", "reminder_confirmed": None} and said == []
    # "9pm" in place of 8:00 AM is 9:00 PM: its "pm" was missed and it was read back as 9:00 AM.
    turns = [("bot", read_back), ("patient", "oops i meant 9pm")]
    slots, _ = validate("reminder_confirmed", in_form("remind me to take metformin at 8am", turns,
                                                      {"reminder_times": "08:00"}))
    assert slots == {"reminder_times": "21:00", "reminder_confirmed": None}
    # A yes still saves.
    turns = [("bot", read_back), ("patient", "yes")]
    assert validate("reminder_confirmed", in_form("set a reminder for levothyroxine 6am", turns))[0] == {
        "reminder_confirmed": True
    }
