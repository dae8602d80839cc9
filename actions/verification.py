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
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import wording
from actions.common import channel_of, in_db
from actions.forms import ConversationForm, slot_values
from actions.identity import latest_text
from bot import identity
from bot.birth_date import parse_dob
from bot.context import app_context
from bot.dialogue.answers import redoes_birth_date
from bot.identity import Outcome
from bot.settings import get_settings

VERIFY_SLOTS = ("verify_name", "verify_dob", "verify_code")


class ValidateVerifyForm(ConversationForm):
    def name(self) -> str:
        return "validate_verify_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # Over SMS the sending number already names the patient; the web chat must name them first.
        return ["verify_dob"] if channel_of(tracker) == "sms" else list(VERIFY_SLOTS)

    async def on_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        settings, conversation = get_settings(), tracker.sender_id

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
            SlotSet(REQUESTED_SLOT, "verify_dob" if channel_of(tracker) == "sms" else "verify_name"),
        ]

    async def on_stop(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(response="utter_verification_stopped")
        return self._done(False, None)

    def validate_verify_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker).strip()
        if len(re.findall(r"[A-Za-z][A-Za-z'\-]*", text)) < 2:
            dispatcher.utter_message(text=wording.FULL_NAME)
            return {"verify_name": None}
        return {"verify_name": text}

    async def validate_verify_dob(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return slot_values(await self._dob(dispatcher, tracker, latest_text(tracker).strip()))

    async def validate_verify_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return slot_values(await self._code(dispatcher, tracker, latest_text(tracker).strip()))

    async def _dob(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
        settings = get_settings()
        dob = parse_dob(text, date.today())
        if dob is None:
            dispatcher.utter_message(text=wording.BIRTH_DATE_WITH_YEAR)
            return [SlotSet("verify_dob", None), SlotSet(REQUESTED_SLOT, "verify_dob")]
        if channel_of(tracker) == "sms":
            result = await in_db(lambda s: identity.verify_sms(s, settings, tracker.sender_id, dob))
            return self._after(dispatcher, result, retry_slot="verify_dob")
        name = tracker.get_slot("verify_name") or ""
        result = await in_db(lambda s: identity.start_web(s, settings, tracker.sender_id, name, dob))
        await asyncio.to_thread(identity.send_code, app_context(), result)
        dispatcher.utter_message(text=result.message)
        if result.outcome is Outcome.LOCKED:
            return self._done(False, None)
        return [SlotSet("verify_dob", dob.isoformat()), SlotSet(REQUESTED_SLOT, "verify_code")]

    async def _code(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
        settings = get_settings()
        if not re.search(r"\b\d{6}\b", text) and (parse_dob(text, date.today()) or redoes_birth_date(text)):
            return await self._back_to_birth_date(dispatcher, tracker, text)
        result = await in_db(lambda s: identity.check_code(s, settings, tracker.sender_id, text))
        if result.outcome is Outcome.EXPIRED:
            dispatcher.utter_message(text=result.message)
            return [SlotSet(slot, None) for slot in VERIFY_SLOTS] + [SlotSet(REQUESTED_SLOT, "verify_name")]
        return self._after(dispatcher, result, retry_slot="verify_code")

    async def _back_to_birth_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> list[EventType]:
        """A mistyped birth date, or no code: the code is given up (a counted attempt) and the birth date asked
        again, or read at once when the words hold one ("sorry, it's 05/07/1961")."""
        settings = get_settings()
        result = await in_db(lambda s: identity.give_up_code(s, settings, tracker.sender_id))
        if result.outcome is Outcome.LOCKED:
            dispatcher.utter_message(text=result.message)
            return self._done(False, None)
        # The words were taken as the code (the slot's mapping); they are none.
        if parse_dob(text, date.today()) is not None:
            return [SlotSet("verify_code", None)] + await self._dob(dispatcher, tracker, text)
        dispatcher.utter_message(text=result.message)
        return [SlotSet("verify_code", None), SlotSet("verify_dob", None), SlotSet(REQUESTED_SLOT, "verify_dob")]

    def _after(self, dispatcher: CollectingDispatcher, result: identity.Result, retry_slot: str) -> list[EventType]:
        if result.outcome is Outcome.VERIFIED:
            dispatcher.utter_message(text=result.message)
            return self._done(True, result.patient_id)
        dispatcher.utter_message(text=result.message)
        if result.outcome is Outcome.LOCKED:
            return self._done(False, None)
        return [SlotSet(retry_slot, None), SlotSet(REQUESTED_SLOT, retry_slot)]

    @staticmethod
    def _done(verified: bool, patient_id: Any) -> list[EventType]:
        return [SlotSet(slot, None) for slot in VERIFY_SLOTS] + [
            SlotSet("patient_verified", verified),
            SlotSet("patient_id", patient_id),
            SlotSet(REQUESTED_SLOT, None),
        ]
