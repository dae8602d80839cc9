"""Free-text opt-out and opt-in ("please stop texting me"): the same consent ledger as the STOP keyword."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import channel_of, in_db, profile
from actions.identity import verified_patient_id
from bot import consent
from bot.models import ConsentAction, Patient


async def _phone(tracker: Tracker) -> str | None:
    """Over SMS, the sender's number; on the web, the verified patient's mobile on file."""
    if channel_of(tracker) == "sms":
        return tracker.sender_id
    patient_id = await verified_patient_id(tracker)
    if patient_id is None:
        return None
    return await in_db(lambda s: s.get(Patient, patient_id).mobile)


class _Consent(Action):
    action: ConsentAction

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        phone = await _phone(tracker)
        clinic = profile()
        if phone is None:
            dispatcher.utter_message(
                text="To stop our texts, reply STOP to any of them; reply START to get them again. "
                f"You can also call us at {clinic['phone']}."
            )
            return []

        def record(session: Session) -> None:
            consent.record(session, phone, self.action, "conversation")

        await in_db(record)
        text = consent.opt_out_text(clinic) if self.action is ConsentAction.OPT_OUT else consent.opt_in_text(clinic)
        dispatcher.utter_message(text=text)
        return []


class OptOut(_Consent):
    action = ConsentAction.OPT_OUT

    def name(self) -> str:
        return "action_opt_out"


class OptIn(_Consent):
    action = ConsentAction.OPT_IN

    def name(self) -> str:
        return "action_opt_in"
