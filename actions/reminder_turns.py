"""What the medication form reads from the conversation so far: the request it answers, the answers and
questions since it started (a question asked twice is not asked a third time), and the question for times.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions import wording_reminders as wording
from actions.common import in_db, request_text
from bot.db import utcnow
from bot.models import Patient
from bot.reminders.form_answers import TimesReading
from bot.reminders.parsing import medications


def today_of(session: Session, patient_id: int) -> date:
    return utcnow().astimezone(ZoneInfo(session.get(Patient, patient_id).time_zone)).date()


async def patient_today(tracker: Tracker) -> date:
    patient_id = tracker.get_slot("patient_id")
    return await in_db(lambda s: today_of(s, patient_id)) if patient_id else utcnow().date()


def request_words(tracker: Tracker) -> str:
    """The words that asked for this reminder (only the first medication's, when it named two)."""
    return medications(request_text(tracker, ("set_medication_reminder",), "medication_reminder_form")).first


def in_form(tracker: Tracker) -> list[dict[str, Any]]:
    """The events since the medication form last started."""
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if e.get("event") == "active_loop"
              and e.get("name") == "medication_reminder_form"]
    return events[starts[-1] + 1:] if starts else events


def asked(tracker: Tracker, text: str) -> int:
    """How often the form has sent `text` since it started (a question asked again)."""
    return sum(1 for e in in_form(tracker) if e.get("event") == "bot" and e.get("text") == text)


def how_often_said(tracker: Tracker) -> str:
    """The request and the earlier answers: "every 6 hours" said to one question holds for the next."""
    answers = [e.get("text") or "" for e in in_form(tracker)[:-1] if e.get("event") == "user"]
    return " ".join([request_words(tracker), *answers])


def times_question(reading: TimesReading) -> str:
    if reading.hours:
        return wording.times_for_interval(reading.hours, reading.example)
    return wording.times_for_count(reading.count) if reading.count else wording.TIMES_NOT_CAUGHT
