"""`action_numbered_reply`: a number (or a yes/no to the bot's own yes/no offer) answers the offer it follows.

The choice is put in the conversation as the request it stands for (the choice's payload as the intent,
with the slots that intent's mappings set), so the rules carry on exactly as if the patient had clicked
the button; a number with no open offer, or out of range, is asked about instead.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, FollowupAction, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import in_db, request_event
from actions.identity import latest_intent, latest_text
from bot.conversations import sms_number
from bot.dialogue.answers import taken_back, yes_or_no
from bot.dialogue.offers import (
    REMINDER_CHOICES,
    RESOLVED_KEY,
    Choice,
    Kind,
    about_missing_a_visit,
    choice_number,
    last_offer,
    payload_request,
    resolve,
    switch_answer,
    yes_no,
)
from bot.dialogue.switching import ANSWER
from bot.nlu.clauses import AFTER_CHOICE_KEY, ALSO_REQUEST_KEY, after_a_number, named_again
from bot.reminders.replies import appointment_reminder_sent_at, dose_reminder_unanswered_at
from bot.reminders.reply_words import puts_off

NO = "/deny"
MOVE_OR_CANCEL_INTENTS = ("cancel_appointment", "reschedule_appointment")


async def dose_reminder_at(tracker: Tracker) -> float | None:
    """When an unanswered medication reminder reached this SMS conversation (epoch seconds)."""
    number = sms_number(tracker.sender_id)
    if number is None:
        return None
    sent = await in_db(lambda s: dose_reminder_unanswered_at(s, number))
    return sent.timestamp() if sent else None


async def dose_reminder_is_newest(tracker: Tracker) -> bool:
    """Whether an unanswered medication reminder is the newest question here (newer than the bot's last offer)."""
    _, offer_at = last_offer(tracker.events)
    dosed = await dose_reminder_at(tracker)
    return dosed is not None and (offer_at is None or dosed > offer_at)


def snoozed(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """The reply ("later", "not right now") put back as a snooze of the dose reminder, which its rule queues."""
    return as_request(tracker, domain, "snooze_reminder", "later:/snooze_reminder")


async def reminder_at(tracker: Tracker) -> float | None:
    """When the latest fresh appointment reminder reached this SMS conversation (epoch seconds)."""
    number = sms_number(tracker.sender_id)
    if number is None:
        return None
    sent = await in_db(lambda s: appointment_reminder_sent_at(s, number))
    return sent.timestamp() if sent else None


async def appointment_reminder_is_newest(tracker: Tracker) -> bool:
    """Whether a fresh appointment reminder ("Reply 1 to confirm ...") is the newest question here."""
    _, offer_at = last_offer(tracker.events)
    reminded = await reminder_at(tracker)
    return reminded is not None and (offer_at is None or reminded > offer_at)


def confirms_reminder(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """The reply put back as the reminder's "Confirm" choice: its rules check who is texting, then confirm."""
    return chosen_request(tracker, domain, REMINDER_CHOICES[0], True)


def request_turn(tracker: Tracker, intents: tuple[str, ...]) -> tuple[str, list[dict]]:
    """The words of the latest request for one of `intents` and the events up to it (what the patient had
    seen when they asked); ("", all events) when they never asked."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        parse_data = event.get("parse_data") or {}
        if event.get("event") == "user" and parse_data.get("intent", {}).get("name") in intents:
            if parse_data.get(RESOLVED_KEY):  # a choice: what the patient had seen is before the reply itself
                index = max(i for i in range(index) if events[i].get("event") == "user")
            return event.get("text") or "", events[: index + 1]
    return "", events


def has_follow_on(tracker: Tracker, intents: Collection[str]) -> bool:
    """Whether the text of the latest `intents` request made a second request (what `follow_on` puts back)."""
    return bool((request_event(tracker, intents).get("parse_data") or {}).get(ALSO_REQUEST_KEY))


def follow_on(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, intents: Collection[str]
) -> list[EventType]:
    """The second request the text of the latest `intents` request made (bot.nlu.clauses), put back in the
    conversation as said, once that request is answered; nothing inside a form. The patient is told what
    comes next, so its first question does not read as part of the answer before it."""
    if (tracker.active_loop or {}).get("name"):
        return []
    if not has_follow_on(tracker, intents):
        return []
    event = request_event(tracker, intents)
    also = (event.get("parse_data") or {})[ALSO_REQUEST_KEY]
    bridge = wording.next_request(also["label"])
    if bridge:
        dispatcher.utter_message(text=bridge)
    if also["label"].startswith("faq/"):  # "1 - also where do I park?": the question after the choice
        return as_request(tracker, domain, "faq", f"also:/{also['label']}", faq=also["label"], text=also["text"])
    said = named_again(also["text"], (event.get("text") or "").replace(also["text"], " "))
    return as_request(tracker, domain, also["label"], f"also:/{also['label']}", text=said)


def _slots_for(intent: str, domain: DomainDict) -> list[EventType]:
    """What the domain's from_intent mappings set for `intent` outside a form (they run only on real input)."""
    events = []
    for name, slot in (domain.get("slots") or {}).items():
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_intent" and mapping.get("intent") == intent:
                events.append(SlotSet(name, mapping.get("value")))
    return events


def chosen_request(tracker: Tracker, domain: DomainDict, choice: Choice, reminder: bool) -> list[EventType]:
    """The choice put back as its request; a request said after the number ("1 - also where do I park?") goes
    with it, put back in turn once the choice is done (`follow_on`), and the choice's own words are the number:
    "1, and can I bring my daughter along?" is no confirmation of the daughter's appointment."""
    after = tracker.latest_message.get(AFTER_CHOICE_KEY)
    chosen = after_a_number(latest_text(tracker)) if after else None
    return as_request(tracker, domain, choice.payload.lstrip("/").split("{")[0],
                      ("reminder:" if reminder else "") + choice.payload,
                      text=chosen[0] if chosen else None, also=after if chosen else None)


def as_request(
    tracker: Tracker, domain: DomainDict, intent: str, resolved: str, faq: str | None = None, text: str | None = None,
    also: dict[str, str] | None = None, marks: dict[str, Any] | None = None,
) -> list[EventType]:
    """The patient's latest words put back in the conversation as a request for `intent`, as if just said
    (`faq`: the FAQ topic, as the response selector would have picked it; `text`: the words of the button
    chosen, when they say more than "1" or "yes", as "book a new patient visit" does; `also`: a second request
    of the same text, which `follow_on` starts once this one is done; `marks`: what the request's form reads
    from it besides its words)."""
    text = latest_text(tracker) if text is None else text
    parse_data: dict[str, Any] = {
        "intent": {"name": intent, "confidence": 1.0}, "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": [], "text": text, RESOLVED_KEY: resolved,
    }
    if also:
        parse_data[ALSO_REQUEST_KEY] = also
    parse_data.update(marks or {})
    if faq:
        parse_data["response_selector"] = {"all_retrieval_intents": ["faq"],
                                           "faq": {"response": {"intent_response_key": faq, "confidence": 1.0}}}
    return [ActionExecuted("action_listen"),
            UserUttered(text, parse_data=parse_data, input_channel=tracker.get_latest_input_channel()),
            *_slots_for(intent, domain)]


class ActionNumberedReply(Action):
    def name(self) -> str:
        return "action_numbered_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        offer, offer_at = last_offer(tracker.events)
        number = choice_number(latest_text(tracker))
        if number is None:  # yes or no to the bot's own yes/no offer, or a yes to an appointment reminder
            text = latest_text(tracker)
            if taken_back(text):  # "yes wait no": nothing is done on a yes the patient took back
                dispatcher.utter_message(text=wording.YES_OR_NO)
                return []
            affirmed = latest_intent(tracker) == "affirm" and yes_or_no(text) is not False
            put_off = latest_intent(tracker) == "deny" and puts_off(text)
            reminded = await reminder_at(tracker) if affirmed else None
            if reminded is not None and (offer_at is None or reminded > offer_at):
                # "yep that's fine" to "Reply 1 to confirm, 2 to cancel", the newest question: it named the visit.
                return confirms_reminder(tracker, domain)
            pair = yes_no(offer)
            if (affirmed or put_off) and reminded is None and await dose_reminder_is_newest(tracker):
                if put_off:  # "not right now" to "time for your metformin": later, so the dose is snoozed
                    return snoozed(tracker, domain)
                # "ok" to "time for your metformin": taken, or just seen? Asked, never guessed.
                dispatcher.utter_message(text=wording.DOSE_TAKEN_OR_NOT, buttons=wording.DOSE_CHOICES)
                return []
            if pair is None:
                dispatcher.utter_message(response="utter_anything_else")
                return []
            said = yes_or_no(text)
            yes = said if said is not None else latest_intent(tracker) == "affirm"
            choice, reminder = (pair[0] if yes else pair[1]), False
        else:
            resolution = resolve(number, offer, offer_at, await reminder_at(tracker))
            if resolution.kind is Kind.NO_OFFER:
                dispatcher.utter_message(response="utter_number_without_offer", number=str(number))
                return []
            if resolution.kind is Kind.OUT_OF_RANGE:
                if resolution.reminder:
                    dispatcher.utter_message(response="utter_reminder_choices")
                else:
                    dispatcher.utter_message(response="utter_number_out_of_range", last=str(len(resolution.choices)),
                                             buttons=[{"title": c.title, "payload": c.payload}
                                                      for c in resolution.choices])
                return []
            if resolution.chosen is None:  # CHOSEN always names its choice
                return []
            choice, reminder = resolution.chosen, resolution.reminder
        if choice.payload == NO:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        words = payload_request(choice.payload)
        if words is not None:
            intent, faq = words
            return as_request(tracker, domain, intent, choice.payload, faq=faq, text=choice.payload)
        if not choice.payload.startswith("/"):  # words no button of this assistant sends
            dispatcher.utter_message(response="utter_number_without_offer", number=str(number))
            return []
        return chosen_request(tracker, domain, choice, reminder)


# The slots that, once filled, mean a form holds something the patient gave (a switch asks before dropping it).
_GIVEN = {"booking_form": ("visit", "when", "appointment_id"),
          "medication_reminder_form": ("reminder_medication", "reminder_times", "reminder_days", "reminder_until")}


def half_done(tracker: Tracker) -> str | None:
    """What the active form would drop if it ended now; None when the patient has given it nothing yet."""
    loop = (tracker.active_loop or {}).get("name") or ""
    if not any(tracker.get_slot(slot) is not None for slot in _GIVEN.get(loop, ())):
        return None
    if loop == "booking_form" and tracker.get_slot("pending_request") == "reschedule":
        return wording.MOVING_APPOINTMENT
    return wording.DOING[loop]


class ActionSwitchRequest(Action):
    """A new request inside a form ends the form and starts the request; words about not making it to an
    appointment become a question about that appointment (move or cancel?), whatever the classifier said.
    When the form holds details the patient gave, it asks first (`switch_to` keeps the request meanwhile):
    yes switches, no carries on with the form's open question."""

    def name(self) -> str:
        return "action_switch_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        loop = (tracker.active_loop or {}).get("name")
        pending = tracker.get_slot("switch_to")
        if pending:
            if switch_answer(latest_text(tracker), latest_intent(tracker)):
                # The request is put back in the words it was made in ("a refill of my omeprazole"), not "yes".
                return _switch(tracker, domain, pending, request_event(tracker, (pending,)).get("text"))
            where = half_done(tracker) or wording.WHERE_WE_WERE
            dispatcher.utter_message(response="utter_switch_declined", doing=where)
            return [SlotSet("switch_to", None), FollowupAction(loop)] if loop else [SlotSet("switch_to", None)]
        intent = latest_intent(tracker) or ""
        if loop is None and intent == ANSWER:
            intent = "book_appointment"  # a bare answer naming a clinician, with no question open
        if about_missing_a_visit(latest_text(tracker)) and intent not in MOVE_OR_CANCEL_INTENTS:
            intent = "confirm_appointment"  # its action asks whether to move or cancel the appointment it names
        doing = half_done(tracker)
        if doing is None or intent not in wording.INSTEAD:
            return _switch(tracker, domain, intent)
        dispatcher.utter_message(
            response="utter_ask_switch", doing=doing, instead=wording.INSTEAD[intent],
            buttons=[] if sms_number(tracker.sender_id) else wording.YES_NO_BUTTONS,
        )
        return [SlotSet("switch_to", intent)]


def _switch(tracker: Tracker, domain: DomainDict, intent: str, text: str | None = None) -> list[EventType]:
    request = as_request(tracker, domain, intent, f"switch:/{intent}", text=text or None)
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("switch_to", None), *request]
