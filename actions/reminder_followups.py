"""What is said just after a reminder request that is about it: a new time for the plan just saved, and a
reminder asked for someone else. The conversation rules (bot.dialogue.policy) send these here."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import wording_reminders as wording
from actions.common import in_db, profile
from actions.identity import latest_text, verified_patient_id
from bot.reminders.changes import correct_saved


class CorrectSavedReminder(Action):
    """ "actually make it 9 instead" right after "Saved: metformin at 8:00 AM": that plan is retimed, in the
    patient's words only (a bare hour stays on its side of noon; several times ask which one moves)."""

    def name(self) -> str:
        return "action_correct_saved_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        plan_id = tracker.get_slot("saved_plan")
        text = latest_text(tracker)
        change = (
            await in_db(lambda s: correct_saved(s, patient_id, int(plan_id), text))
            if patient_id is not None and plan_id is not None else None
        )
        if change is not None and change.which_time:
            dispatcher.utter_message(text=wording.which_time_to_change(change.medication, change.which_time))
        elif change is not None and change.changed:
            dispatcher.utter_message(text=wording.changed(change.changed[0], change.status, retimed=True))
        else:
            dispatcher.utter_message(text=wording.PLAN_CHANGE_UNCLEAR)
        # Once answered it is no longer "just saved": a time said later is read as what it says.
        return [SlotSet("saved_plan", None)]


class SomeoneElsesReminder(Action):
    """ "my mom takes lisinopril at 8, remind her": nothing is set on this patient's record for another person,
    and nothing personal is read, so no identity is asked for; the conversation goes on."""

    def name(self) -> str:
        return "action_someone_elses_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=wording.someone_elses(profile().phone))
        return [SlotSet("pending_request", None), SlotSet("medication_request", None), SlotSet("saved_plan", None)]
