"""One base for the assistant's forms, on the SDK's own `validate_<slot>` / `next_requested_slot` machinery.

What every form does the same way:
- on activation (`on_start`), fill what the request itself already said, so nothing is asked twice; those
  values are read from the request by the form itself and are not validated again as answers;
- a clear new request (or the answer to "shall I stop that and ... instead?") is declined, so the
  conversation-rules policy can switch: while a form is active, Rasa's loop prediction overrules all others;
- "stop" (and the like) ends the form (`on_stop` says so, or sets what the closing action reads);
- an interruption (a question, a request for a person) is left to its own rule, and the open question is
  asked again after it;
- the open question's `validate_<slot>` gets the answer: the slot mapping's value, or the words themselves
  when the classifier took them for something else (the domain's from_text mappings skip such messages);
- a validator may name the next question itself by returning `requested_slot` (None ends the form);
  otherwise `next_requested_slot` decides: here the first empty one of `required_slots`, said explicitly
  (the SDK's default leaves it to Rasa when `required_slots` is not overridden).
"""
from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from actions.common import faq_values, request_event
from actions.identity import (
    answered_elsewhere,
    ask_again,
    interrupted,
    just_activated,
    latest_intent,
    latest_text,
    wants_to_stop,
    wants_to_switch,
)
from bot.dialogue.offers import last_offer, number_in
from bot.dialogue.switching import OWN_REQUESTS
from bot.nlu.clauses import ALSO_FAQ_KEY
from bot.reminders.drugs import first_drug

# Asked of the assistant inside a form; each has its response in the domain (utter_<intent>).
_ABOUT_THE_ASSISTANT = frozenset({"bot_challenge", "help"})
_SURE = 0.8
# FAQ answers that end by offering to book (the domain's buttons); asked on the way into a form, only the fact.
OFFERS_A_BOOKING = frozenset({"faq/telehealth"})


class ConversationForm(FormValidationAction, abc.ABC):
    """Subclasses name the form, write `validate_<slot>` methods and may override the hooks. Abstract, so
    the action server (which registers every Action subclass) skips it."""

    @abc.abstractmethod
    def name(self) -> str:
        """validate_<form name>"""

    async def on_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        """Events for the form's first run (slots the request filled); None ends the form at once."""
        return []

    async def on_stop(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        return []

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in required if tracker.get_slot(slot) is None), None))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not just_activated(tracker, self.form_name()) and not wants_to_stop(tracker) and wants_to_switch(tracker):
            # Declined: Rasa's loop then lets the conversation-rules policy switch (or ask first). The open
            # slot the mapping filled with these words is emptied again.
            requested = tracker.get_slot(REQUESTED_SLOT)
            emptied = [SlotSet(requested, None)] if requested else []
            return emptied + [ActionExecutionRejected(self.form_name())]
        # A switch the form asked about ("shall I stop that and ...?") is dropped by any answer the form takes.
        dropped = [SlotSet("switch_to", None)] if tracker.get_slot("switch_to") else []
        return dropped + await self._run(dispatcher, tracker, domain)

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if just_activated(tracker, self.form_name()):
            request = request_event(tracker, OWN_REQUESTS.get(self.form_name(), ()), self.form_name())
            also_faq = (request.get("parse_data") or {}).get(ALSO_FAQ_KEY)
            if also_faq:  # "what's the parking like and can I book a flu shot": the question first
                values = await faq_values()
                if also_faq["label"] in OFFERS_A_BOOKING:  # the booking is already under way: no second menu
                    dispatcher.utter_message(text=values[also_faq["label"].split("/")[1]])
                else:
                    dispatcher.utter_message(response=f"utter_{also_faq['label']}", **values)
            started = await self.on_start(dispatcher, tracker, domain)
            if started is None:
                return [SlotSet(REQUESTED_SLOT, None)]
            return started + await self._then(dispatcher, tracker, domain, started)
        if wants_to_stop(tracker):
            reset: list[EventType] = [SlotSet(slot, None) for slot in self.domain_slots(domain)]
            return reset + await self.on_stop(dispatcher, tracker) + [SlotSet(REQUESTED_SLOT, None)]
        if interrupted(tracker) or answered_elsewhere(tracker, self.form_name()):
            return ask_again(tracker)
        if asks_about_the_assistant(tracker):  # "wait am i talking to a robot": answered, never taken as an answer
            dispatcher.utter_message(response=f"utter_{latest_intent(tracker)}")
            return ask_again(tracker)
        requested = tracker.get_slot(REQUESTED_SLOT)
        validator: Any = getattr(self, f"validate_{requested}", None) if requested else None
        if validator is None:
            return await super().run(dispatcher, tracker, domain)
        value = offered_choice(tracker) or tracker.slots_to_validate().get(requested, latest_text(tracker))
        validated = await call_potential_coroutine(validator(value, dispatcher, tracker, domain))
        events: list[EventType] = [SlotSet(slot, v) for slot, v in validated.items()]
        return events + await self._then(dispatcher, tracker, domain, events)

    async def _then(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, events: list[EventType]
    ) -> list[EventType]:
        """The next question, unless `events` named it."""
        if any(e.get("event") == "slot" and e.get("name") == REQUESTED_SLOT for e in events):
            return []
        tracker.add_slots(events)
        return [await self.next_requested_slot(dispatcher, tracker, domain)]


def asks_about_the_assistant(tracker: Tracker) -> bool:
    """A question about the assistant itself, sure and naming no drug: no rule answers it inside a form, so the
    form does (its words once became a medication's name)."""
    intent = tracker.latest_message.get("intent") or {}
    return (
        intent.get("name") in _ABOUT_THE_ASSISTANT
        and (intent.get("confidence") or 0.0) >= _SURE
        and first_drug(latest_text(tracker)) is None
    )


def offered_choice(tracker: Tracker) -> str | None:
    """The words of the button a digit picks, when the question just asked offered buttons with words ("1" to
    "What kind of visit? 1) Checkup 2) Sick visit" is "checkup"); None for anything else."""
    number = number_in(latest_text(tracker))
    offer, _ = last_offer(tracker.events)
    if number is None or not 1 <= number <= len(offer) or offer[number - 1].payload.startswith("/"):
        return None
    return offer[number - 1].payload


def slot_values(events: list[EventType]) -> dict[str, Any]:
    """Slot events as a validator's answer."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
