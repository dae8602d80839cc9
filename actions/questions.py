"""The booking form's questions for the kind of visit and the time: one question per turn.

When the form explains why it cannot go on with what was said ("The clinic is closed on Christmas Day. ...
Which other day works?", "We don't have a Dr. Smith ... Who would you like to see?"), that explanation
already asks; Rasa would ask the slot's own question after it all the same, and the patient got two
questions to answer at once. These actions ask the domain's question only when nothing said this turn did.
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


def asked_this_turn(events: list[dict[str, Any]]) -> bool:
    """True when a message the assistant wrote itself since the patient's latest message ends with a question.
    Answers from the domain's responses (an FAQ answered on the way in, which may end "Would you like to
    book ...?") are no question of the form's and do not count."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") != "bot" or (event.get("metadata") or {}).get("utter_action"):
            continue
        if (event.get("text") or "").rstrip().endswith("?"):
            return True
    return False


class AskUnlessAsked(Action, abc.ABC):
    """Abstract, so the action server (which registers every Action subclass) skips it."""

    @abc.abstractmethod
    def slot(self) -> str:
        """The slot asked for: action_ask_<slot> says the domain's utter_ask_<slot>."""

    def name(self) -> str:
        return f"action_ask_{self.slot()}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not asked_this_turn(tracker.events):
            dispatcher.utter_message(response=f"utter_ask_{self.slot()}")
        return []


class ActionAskVisit(AskUnlessAsked):
    def slot(self) -> str:
        return "visit"


class ActionAskWhen(AskUnlessAsked):
    def slot(self) -> str:
        return "when"
