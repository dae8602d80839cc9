"""Replies to a medication reminder (TAKEN, SKIP, snooze) and refill requests. Over SMS the replying patient
is the one the signed number belongs to; on the web, the verified patient."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import wording_reminders as wording
from actions.common import VERIFY_FORM, channel_of, faq_values, in_db, previous_action, request_text
from actions.identity import latest_text, verified_patient_id
from actions.offers import (
    appointment_reminder_is_newest,
    chosen_request,
    dose_reminder_is_newest,
    follow_on,
    snoozed,
)
from bot.conversations import sms_number
from bot.dialogue.offers import REMINDER_CHOICES
from bot.handoff import request_handoff
from bot.reminders import replies as reply_service
from bot.reminders.models import AdherenceAction
from bot.reminders.refill_answers import refill_answer
from bot.reminders.replies import (
    file_refills,
    not_taken,
    patient_by_mobile,
    record_adherence,
    request_refill,
)
from bot.reminders.reply_words import (
    RefillAsk,
    puts_off,
    refill_ask,
    refill_medication,
    says_unwell,
    snooze_for,
)
from bot.scheduling.relative import says_relative


async def replying_patient(tracker: Tracker) -> int | None:
    """Who is answering a reminder: over SMS the number the reminder went to; on the web a verified patient."""
    number = sms_number(tracker.sender_id)
    if number is not None:
        return await in_db(lambda s: patient_by_mobile(s, number))
    return await verified_patient_id(tracker)


# What "Which medicine is the refill for?" offered, kept for the answer to it.
REFILL_CHOICES = "refill_choices"
ADHERENCE = {
    "medication_taken": AdherenceAction.TAKEN,
    "medication_skipped": AdherenceAction.SKIPPED,
    "snooze_reminder": AdherenceAction.SNOOZED,
}


class RecordAdherence(Action):
    def name(self) -> str:
        return "action_record_adherence"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        action = ADHERENCE.get(intent or "", AdherenceAction.TAKEN)
        if action is AdherenceAction.SNOOZED and await _moves_the_reminded_visit(tracker):
            # "can you make it half an hour later?" to an appointment reminder: its Reschedule choice, with the words.
            return chosen_request(tracker, domain, REMINDER_CHOICES[2], True)
        patient_id = await replying_patient(tracker)
        unnoted = (
            await in_db(lambda s: not_taken(s, patient_id, latest_text(tracker)))
            if action is AdherenceAction.TAKEN else None
        )
        if unnoted is not None and unnoted.reminded:
            dispatcher.utter_message(text=wording.which_dose_taken(unnoted.reminded))
            return []
        if unnoted is not None:  # "took 3 of them": not noted as taken; who can advise now
            nurse_line = (await faq_values())["nurse_line"]
            dispatcher.utter_message(text=wording.dose_mistake(nurse_line), buttons=wording.DOSE_MISTAKE_BUTTONS)
            return []
        snooze = snooze_for(latest_text(tracker)) or reply_service.SNOOZE
        result = await in_db(lambda s: record_adherence(s, patient_id, action, snooze)) if patient_id else None
        if result is None:
            dispatcher.utter_message(text=wording.NO_REMINDER_TO_ANSWER)
        else:  # the snooze said is the snooze queued
            dispatcher.utter_message(text=wording.noted(action, snooze))
            if action is AdherenceAction.SKIPPED and says_unwell(latest_text(tracker)):
                dispatcher.utter_message(text=wording.skipped_unwell((await faq_values())["nurse_line"]))
        # "taken. also need a refill please": the request said beside the reply follows it.
        return follow_on(dispatcher, tracker, domain, tuple(ADHERENCE))


async def _moves_the_reminded_visit(tracker: Tracker) -> bool:
    """A time relative to the visit, said when the newest question is an appointment reminder, not a dose's."""
    if not says_relative(latest_text(tracker)) or await dose_reminder_is_newest(tracker):
        return False
    return await appointment_reminder_is_newest(tracker)


class Goodbye(Action):
    """A farewell, unless it puts off a dose just reminded about: "later" to "Time for your medication" is a
    snooze (the default, or the delay said), put back as that reply; nothing is noted as taken or skipped."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if puts_off(latest_text(tracker)) and await dose_reminder_is_newest(tracker):
            return snoozed(tracker, domain)
        dispatcher.utter_message(response="utter_goodbye")
        return []


class RequestRefill(Action):
    """Files a refill only when one is asked for: a question about refills is answered, one already filled
    is noted, and one that has not come is passed to staff to check (bot.reminders.reply_words.refill_ask)."""

    def name(self) -> str:
        return "action_request_refill"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        # Back from the identity check this action started (web chat): the request is the words before it.
        checked = tracker.latest_action_name == VERIFY_FORM
        text = (request_text(tracker, ("request_refill",)) if checked else latest_text(tracker)).lower()
        asked = None if checked else asked_which_refill(tracker)
        if asked is not None:
            answered = await self._answered(dispatcher, tracker, domain, text, asked)
            if answered is not None:
                return answered
        ask = refill_ask(text, refill_medication(text) is not None)
        # A question or a refill already filled needs no identity: nothing personal is read or recorded.
        if ask is RefillAsk.QUESTION:
            dispatcher.utter_message(text=wording.REFILL_HOW)
            return follow_on(dispatcher, tracker, domain, ("request_refill",))
        if ask is RefillAsk.ALREADY_DONE:
            dispatcher.utter_message(text=wording.REFILL_ALREADY_DONE)
            return follow_on(dispatcher, tracker, domain, ("request_refill",))
        patient_id = await replying_patient(tracker)
        if ask is RefillAsk.STATUS:
            await in_db(
                lambda s: request_handoff(s, tracker.sender_id, channel_of(tracker), "refill", patient_id)
            )
            dispatcher.utter_message(text=wording.REFILL_STATUS)
            return follow_on(dispatcher, tracker, domain, ("request_refill",))
        if patient_id is None:
            if checked:  # stopped or locked out: the form has said why
                return []
            if sms_number(tracker.sender_id) is None:
                # On the web, who is asking is checked as for a reminder; its rule comes back here.
                return [SlotSet("pending_request", "refill"), SlotSet("medication_request", None),
                        FollowupAction(VERIFY_FORM)]
            dispatcher.utter_message(text=wording.REFILL_NEEDS_IDENTITY)
            return []

        setting_up = tracker.get_slot("reminder_medication")
        result = await in_db(lambda s: file_refills(s, patient_id, text, channel_of(tracker), setting_up))
        if result.skipped:
            dispatcher.utter_message(text=wording.SKIPPED_OUT_OF_PILLS)
        if result.filed:
            dispatcher.utter_message(text=wording.refill_sent(result.filed))
        if result.asks:
            dispatcher.utter_message(text=wording.which_refill(result.ask_which, result.condition))
            return [SlotSet(REFILL_CHOICES, result.ask_which)]
        return [SlotSet(REFILL_CHOICES, None), *follow_on(dispatcher, tracker, domain, ("request_refill",))]

    @staticmethod
    async def _answered(
        dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, text: str, asked: list[str]
    ) -> list[EventType] | None:
        """The answer to "Which medicine is the refill for?" filed (the request it answers may have said more:
        that follows); None when it picks no medicine, and the words are read as a request of their own."""
        picked = refill_answer(text, asked)
        patient_id = await replying_patient(tracker) if picked else None
        if patient_id is None:
            return None
        await in_db(lambda s: [request_refill(s, patient_id, m, channel_of(tracker)) for m in picked])
        dispatcher.utter_message(text=wording.refill_sent(picked))
        return [SlotSet(REFILL_CHOICES, None), *follow_on(dispatcher, tracker, domain, ("request_refill",))]


def asked_which_refill(tracker: Tracker) -> list[str] | None:
    """The plans "Which medicine is the refill for?" offered, when it is the question the latest message answers
    (this action ran last before it); None otherwise."""
    choices = tracker.get_slot(REFILL_CHOICES)
    return list(choices) if previous_action(tracker) == "action_request_refill" and choices is not None else None
