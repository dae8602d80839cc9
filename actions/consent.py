"""Free-text opt-out and opt-in ("please stop texting me"): the same consent ledger as the STOP keyword."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import wording
from actions.common import channel_of, in_db, profile
from actions.identity import latest_text, verified_patient_id
from bot.conversations import Channel, sms_number
from bot.messaging import consent
from bot.messaging.models import ConsentAction
from bot.models import Patient
from bot.nlu.medication_readings import about_medicines


async def _phone(tracker: Tracker) -> str | None:
    """Over SMS, the sender's number (signed by Twilio); elsewhere, the verified patient's mobile on file."""
    number = sms_number(tracker.sender_id)
    if number is not None:
        return number
    patient_id = await verified_patient_id(tracker)
    if patient_id is None:
        return None
    return await in_db(lambda s: s.get(Patient, patient_id).mobile)


async def _record(action: ConsentAction, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    phone = await _phone(tracker)
    clinic = profile()
    if phone is None:
        dispatcher.utter_message(text=wording.how_to_stop_texts(clinic))
        return []

    def record(session: Session) -> bool:
        return consent.record(session, phone, action, "conversation")

    if not await in_db(record) and action is ConsentAction.OPT_OUT and channel_of(tracker) == Channel.SMS.value:
        return []  # an opted-out number gets one confirmation text, nothing more
    text = consent.opt_out_text(clinic) if action is ConsentAction.OPT_OUT else consent.opt_in_text(clinic)
    dispatcher.utter_message(text=text)
    return []


# Two plain actions rather than a shared base class: rasa-sdk registers every Action subclass it can
# find, and a base without a name stops the action server from starting.
class OptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if about_medicines(latest_text(tracker)):
            # "stop texting me about my meds" read as an opt-out would end every text and leave the plans
            # active: it is a change to the medication plans, asked after the identity check like any other.
            # (STOP and the carrier's keywords over SMS are settled by the channel before this.)
            return [SlotSet("pending_request", "medications"), SlotSet("medication_request", "stop"),
                    FollowupAction("verify_form")]
        return await _record(ConsentAction.OPT_OUT, dispatcher, tracker)


class OptIn(Action):
    def name(self) -> str:
        return "action_opt_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return await _record(ConsentAction.OPT_IN, dispatcher, tracker)
