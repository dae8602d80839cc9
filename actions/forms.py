"""One base for the assistant's forms, on the SDK's own `validate_<slot>` / `next_requested_slot` machinery.

What every form does the same way, before the slot validators run:
- on activation (`on_start`), fill what the request itself already said, so nothing is asked twice;
- "stop" (and the like) ends the form, saying so (`on_stop`);
- an interruption (a question, a request for a person) is left to its own rule, and the open question is
  asked again after it;
- an answer the classifier took for something else, but which fits the open question, still answers it
  (the domain's from_text mappings skip such messages, so the validator is handed the words here).
"""
from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from actions.identity import ask_again, interrupted, just_activated, latest_text, wants_to_stop


class ConversationForm(FormValidationAction, abc.ABC):
    """Subclasses name the form, write `validate_<slot>` methods and may override the two hooks. Abstract, so
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

    def slots(self, domain: DomainDict) -> list[str]:
        return self.domain_slots(domain)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if just_activated(tracker, self.form_name()):
            started = await self.on_start(dispatcher, tracker, domain)
            if started is None:
                return [SlotSet("requested_slot", None)]
            tracker.add_slots(started)
            return started + await super().run(dispatcher, tracker, domain)
        if wants_to_stop(tracker):
            return await self.on_stop(dispatcher, tracker) + [SlotSet(s, None) for s in self.slots(domain)] + [
                SlotSet("requested_slot", None)]
        if interrupted(tracker):
            return ask_again(tracker)
        requested = tracker.get_slot("requested_slot")
        if requested and requested not in tracker.slots_to_validate() and hasattr(self, f"validate_{requested}"):
            validator: Any = getattr(self, f"validate_{requested}")
            validated = await call_potential_coroutine(validator(latest_text(tracker), dispatcher, tracker, domain))
            events = [SlotSet(slot, value) for slot, value in validated.items()]
            tracker.add_slots(events)
            return events
        return await super().run(dispatcher, tracker, domain)
