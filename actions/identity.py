"""The verification form every personal detail waits behind (`verify_form`).

Others use it by setting `pending_request` (see domain.yml), running `verify_form`, and continuing in a rule
after it (`verify_form`, `active_loop: null`, then their action). When it ends, `patient_verified` and
`patient_id` say the outcome, but the action that follows must re-check with `verified_patient_id`: after a
stop or a lock-out the same rule continues, and that action stays silent (the patient was told why)."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import channel_of, in_db
from bot import identity
from bot.clinic import load_profile
from bot.context import app_context
from bot.dialogue.answers import fits, is_stop
from bot.identity import Outcome
from bot.settings import get_settings

# Intents that leave a form's question unanswered so their own rules can reply (the form resumes after).
INTERRUPTIONS = frozenset({"emergency", "faq", "human_handoff", "medical_advice", "opt_out", "list_appointments"})
VERIFY_SLOTS = ("verify_name", "verify_dob", "verify_code")


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def wants_to_stop(tracker: Tracker) -> bool:
    return is_stop(latest_text(tracker))


def interrupted(tracker: Tracker) -> bool:
    """An interruption's own rule answers it, unless the words fit the open question (then they answer it)."""
    if latest_intent(tracker) not in INTERRUPTIONS or wants_to_stop(tracker):
        return False
    settings = get_settings()
    now = load_profile(settings.clinic_profile).local_now()
    return latest_intent(tracker) == "emergency" or not fits(
        tracker.get_slot("requested_slot"), latest_text(tracker), now, settings.booking_horizon_days
    )


def ask_again(tracker: Tracker) -> list[EventType]:
    """Once an interruption is answered, the form repeats its open question. Left alone, Rasa would ask for
    the first empty slot in the domain's order, which need not be the open one (a name over SMS, where only
    the birth date is asked)."""
    return [SlotSet("requested_slot", tracker.get_slot("requested_slot"))]


def just_activated(tracker: Tracker, form: str) -> bool:
    """True on the form's first run: it was activated after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def actor(tracker: Tracker) -> str:
    channel = channel_of(tracker)
    return {"sms": "patient:sms", "webchat": "patient:web"}.get(channel, f"patient:{channel}")


async def verified_patient_id(tracker: Tracker) -> int | None:
    """Re-checked in the database: a slot alone never opens personal details."""
    return await in_db(lambda s: identity.verified_patient(s, tracker.sender_id))


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_verify_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # Over SMS the sending number already names the patient; the web chat must name them first.
        return ["verify_dob"] if channel_of(tracker) == "sms" else list(VERIFY_SLOTS)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        settings = get_settings()
        conversation, channel = tracker.sender_id, channel_of(tracker)
        if just_activated(tracker, "verify_form"):

            def status(s: Session) -> tuple[int | None, str | None]:
                return identity.verified_patient(s, conversation), identity.lock_message(s, settings, conversation)

            patient_id, locked = await in_db(status)
            if patient_id is not None:
                return self._done(True, patient_id)
            if locked:
                dispatcher.utter_message(text=locked)
                return self._done(False, None)
            return [SlotSet(slot, None) for slot in VERIFY_SLOTS] + [
                SlotSet("patient_verified", None),
                SlotSet("patient_id", None),
                SlotSet("requested_slot", "verify_dob" if channel == "sms" else "verify_name"),
            ]
        if interrupted(tracker):
            return ask_again(tracker)
        if wants_to_stop(tracker):
            dispatcher.utter_message(response="utter_verification_stopped")
            return self._done(False, None)
        requested = tracker.get_slot("requested_slot")
        text = latest_text(tracker).strip()
        if requested == "verify_name":
            if len(re.findall(r"[A-Za-z][A-Za-z'\-]*", text)) < 2:
                dispatcher.utter_message(text="Please type your first and last name.")
                return [SlotSet("verify_name", None), SlotSet("requested_slot", "verify_name")]
            return [SlotSet("verify_name", text), SlotSet("requested_slot", "verify_dob")]
        if requested == "verify_dob":
            return await self._dob(dispatcher, tracker, text)
        if requested == "verify_code":
            return await self._code(dispatcher, tracker, text)
        return []

    async def _dob(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
        settings = get_settings()
        dob = identity.parse_dob(text, date.today())
        if dob is None:
            dispatcher.utter_message(text="Please give your date of birth with the year, for example 03/14/1980.")
            return [SlotSet("verify_dob", None), SlotSet("requested_slot", "verify_dob")]
        if channel_of(tracker) == "sms":
            result = await in_db(lambda s: identity.verify_sms(s, settings, tracker.sender_id, dob))
            return self._after(dispatcher, result, retry_slot="verify_dob")
        name = tracker.get_slot("verify_name") or ""
        result = await in_db(lambda s: identity.start_web(s, settings, tracker.sender_id, name, dob))
        await asyncio.to_thread(identity.send_code, app_context(), result)
        dispatcher.utter_message(text=result.message)
        if result.outcome is Outcome.LOCKED:
            return self._done(False, None)
        return [SlotSet("verify_dob", dob.isoformat()), SlotSet("requested_slot", "verify_code")]

    async def _code(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
        settings = get_settings()
        result = await in_db(lambda s: identity.check_code(s, settings, tracker.sender_id, text))
        if result.outcome is Outcome.EXPIRED:
            dispatcher.utter_message(text=result.message)
            return [SlotSet(slot, None) for slot in VERIFY_SLOTS] + [SlotSet("requested_slot", "verify_name")]
        return self._after(dispatcher, result, retry_slot="verify_code")

    def _after(self, dispatcher: CollectingDispatcher, result: identity.Result, retry_slot: str) -> list[EventType]:
        if result.outcome is Outcome.VERIFIED:
            dispatcher.utter_message(text=result.message)
            return self._done(True, result.patient_id)
        dispatcher.utter_message(text=result.message)
        if result.outcome is Outcome.LOCKED:
            return self._done(False, None)
        return [SlotSet(retry_slot, None), SlotSet("requested_slot", retry_slot)]

    @staticmethod
    def _done(verified: bool, patient_id: Any) -> list[EventType]:
        return [SlotSet(slot, None) for slot in VERIFY_SLOTS] + [
            SlotSet("patient_verified", verified),
            SlotSet("patient_id", patient_id),
            SlotSet("requested_slot", None),
        ]
