"""Core actions: FAQ answers, the crisis reply, hand-off to a person, fallback, declining medical advice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import wording
from actions.common import channel_of, faq_values, in_db, previous_action
from actions.offers import appointment_reminder_is_newest, confirms_reminder, follow_on, half_done
from actions.reminder_replies import replying_patient
from actions.wording_reminders import DOSE_MISTAKE_BUTTONS, dose_mistake, stop_reminders_offer
from bot import handoff, safety
from bot.dialogue.answers import wants_to_be_seen
from bot.nlu.clauses import ALSO_FAQ_KEY, ALSO_REQUEST_KEY, ONE_STEP
from bot.nlu.language import looks_spanish
from bot.nlu.readings import about_someone_elses_texts, names_a_death
from bot.reminders.replies import reminded_medication
from bot.reminders.reply_words import says_dose_mistake, says_given_up
from bot.scheduling.confirming import says_coming

FAQ_SELECTOR = "faq"


class ActionAnswerFaq(Action):
    """Answers `faq/<topic>` with the wording from the domain and the facts from the clinic profile."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        selected = tracker.latest_message.get("response_selector", {}).get(FAQ_SELECTOR, {})
        key = selected.get("response", {}).get("intent_response_key")
        if not key:
            dispatcher.utter_message(response="utter_fallback")
            return []
        values = await faq_values()
        dispatcher.utter_message(response=f"utter_{key}", **values)
        second_faq = tracker.latest_message.get(ALSO_FAQ_KEY)
        if second_faq:  # "where do you park and when are you open": both answered
            dispatcher.utter_message(response=f"utter_{second_faq['label']}", **values)
        # "where do you park, and can I book a checkup friday": the booking starts from its own words.
        return follow_on(dispatcher, tracker, domain, ("faq",))


class ActionEmergency(Action):
    """The fixed crisis reply first (a poisoning adds Poison Control), then a record for staff; any form in progress
    is stopped."""

    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=safety.CRISIS_REPLY)
        category = tracker.latest_message.get("emergency_category")
        if category == "poisoning":
            dispatcher.utter_message(text=wording.POISONING_NOTE)
        detected_by = "rule" if category else "classifier"
        await in_db(
            lambda s: safety.record_event(
                s, tracker.sender_id, channel_of(tracker), category or "unspecified", detected_by
            )
        )
        return _end_any_form()


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        text = tracker.latest_message.get("text") or ""
        spanish = looks_spanish(text)
        reason = "spanish" if spanish else "asked" if intent in ("human_handoff", "affirm") else intent or "asked"
        if about_someone_elses_texts(text):  # staff change that person's record; the sender's texts stay on
            reason = "someone_elses_texts"
        if names_a_death(text):
            dispatcher.utter_message(text=wording.CONDOLENCES)
        await in_db(
            lambda s: handoff.request_handoff(
                s, tracker.sender_id, channel_of(tracker), reason, tracker.get_slot("patient_id")
            )
        )
        values = await faq_values()
        dispatcher.utter_message(response="utter_handoff_recorded", **values)
        if spanish:
            dispatcher.utter_message(text=wording.handoff_in_spanish(values["phone"]))
        doing = half_done(tracker)
        if doing:  # the form ends here: the patient is told, so their next words are not taken as its answer
            dispatcher.utter_message(text=wording.handoff_stopped(doing))
        return [SlotSet("handoff_offered", False), *_end_any_form()]


class ActionRunningLate(Action):
    """"Running 10 minutes late": the front desk sees it with the conversation; no appointment changes. "I'll be
    there but maybe 10 min late" to a fresh reminder that asked "Reply 1 to confirm" also confirms it: the patient
    said they will come, to a question that named the appointment."""

    def name(self) -> str:
        return "action_running_late"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        await in_db(
            lambda s: handoff.request_handoff(
                s, tracker.sender_id, channel_of(tracker), "running_late", tracker.get_slot("patient_id")
            )
        )
        dispatcher.utter_message(response="utter_running_late", **(await faq_values()))
        if says_coming(tracker.latest_message.get("text") or "") and await appointment_reminder_is_newest(tracker):
            return confirms_reminder(tracker, domain)
        return []


class ActionDeclineMedicalAdvice(Action):
    def name(self) -> str:
        return "action_decline_medical_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        given_up = await _given_up_drug(tracker) if says_given_up(text) else None
        if given_up:  # "I'm not taking that anymore, the doctor stopped it" to its reminder: news, not a question
            offer, buttons = stop_reminders_offer(given_up)
            dispatcher.utter_message(text=offer, buttons=buttons)
            return []
        values = await faq_values()
        if says_dose_mistake(text):  # "took 2 by accident": who can advise now, and that nothing was recorded
            dispatcher.utter_message(text=dose_mistake(values["nurse_line"]), buttons=DOSE_MISTAKE_BUTTONS)
        else:  # "my kid has a fever, should I bring him in?": no advice, but the visit they ask about is offered.
            seen = wants_to_be_seen(text)
            response = "utter_medical_advice_visit" if seen else "utter_medical_advice"
            dispatcher.utter_message(response=response, **values)
        # "is it normal that it upsets my stomach, and refill my metformin": a one-step request beside the
        # question is done too (a visit is already offered above, so a booking beside it is left to that offer).
        also = (tracker.latest_message.get(ALSO_REQUEST_KEY) or {}).get("label")
        return follow_on(dispatcher, tracker, domain, ("medical_advice",)) if also in ONE_STEP else []


async def _given_up_drug(tracker: Tracker) -> str | None:
    """The drug of the dose reminder the patient is answering, if one went out recently."""
    patient_id = await replying_patient(tracker)
    return await in_db(lambda s: reminded_medication(s, patient_id)) if patient_id is not None else None


class ActionFallback(Action):
    """First miss: say what the assistant can do. Second miss in a row: offer a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        second_miss = previous_action(tracker) == self.name()
        dispatcher.utter_message(response="utter_fallback_offer_person" if second_miss else "utter_fallback")
        return [SlotSet("handoff_offered", second_miss)]


def _end_any_form() -> list[EventType]:
    # Emitted whether or not a form is active, so every rule sees the same events after these actions.
    return [ActiveLoop(None), SlotSet("requested_slot", None)]
