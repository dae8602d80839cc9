"""One question per turn: when the booking form explains why it cannot go on ("closed then ... What time would
work?", "We don't have a Dr. Smith ... Who would you like to see?"), its own question for the slot is not asked
after it (round-4 testers got both, two questions in one reply)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.booking_form import ValidateBookingForm
from actions.questions import ActionAskVisit, ActionAskWhen, asked_this_turn
from actions.wording import TIME_NOT_CAUGHT
from tests.domain import project_domain
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import clinic, run, tracker, user, verified  # noqa: F401


def _said(messages: list[dict]) -> list[dict[str, Any]]:
    """The dispatcher's messages as the bot events Rasa records (a domain response carries its name)."""
    return [
        {"event": "bot", "text": m.get("text"), "metadata": {"utter_action": m["response"]} if m.get("response")
         else {}}
        for m in messages
    ]


def _turn(request: str) -> tuple[str, list[dict], list[dict]]:
    """The booking form started by `request`, then the form's question for the slot it asks next: that slot,
    what the form said and what the question said."""
    slots, said = run(ValidateBookingForm(), tracker(request, "book_appointment", activated="booking_form"))
    asked = slots["requested_slot"]
    action = {"visit": ActionAskVisit(), "when": ActionAskWhen()}[asked]
    events = [user(request, "book_appointment"), {"event": "active_loop", "name": "booking_form"}, *_said(said)]
    form_turn = tracker(request, "book_appointment", activated="booking_form")
    _, question = run(action, Tracker(form_turn.sender_id, {}, form_turn.latest_message, events, False, None,
                                      {"name": "booking_form"}, "action_listen"))
    return asked, said, question


@pytest.mark.parametrize(
    "request_text, slot",
    [
        ("I'd like to see Dr. Smith next week", "visit"),  # "Who would you like to see, or what kind of visit?"
        ("sick visit saturday at 2pm", "when"),  # "That's outside our opening hours. ... What time would work?"
        ("book a sick visit on january 3 2021", "when"),  # "That date has already passed. Which day ...?"
    ],
)
def test_an_explanation_that_asks_is_the_only_question(
    app_db: str, verified: Clinic, request_text: str, slot: str  # noqa: F811
) -> None:
    asked, said, question = _turn(request_text)
    assert asked == slot
    assert len(said) == 1 and said[0]["text"].endswith("?")
    assert question == []


@pytest.mark.parametrize("request_text, slot", [("i need an appointment", "visit"), ("book a sick visit", "when")])
def test_the_forms_question_is_asked_when_nothing_else_asked(
    app_db: str, verified: Clinic, request_text: str, slot: str  # noqa: F811
) -> None:
    _, said, question = _turn(request_text)
    assert said == [] and [m["response"] for m in question] == [f"utter_ask_{slot}"]


def test_only_the_assistants_own_question_this_turn_counts() -> None:
    request = user("where do you park and book me a checkup")
    faq = {"event": "bot", "text": "... Would you like to book a first visit?",
           "metadata": {"utter_action": "utter_faq/new_patient"}}
    earlier = {"event": "bot", "text": "Which day works?", "metadata": {}}
    assert asked_this_turn([request, {"event": "bot", "text": "Which other day works?", "metadata": {}}])
    assert not asked_this_turn([request, faq])  # an answer from the domain's responses is not the form's question
    assert not asked_this_turn([earlier, request])  # a question of an earlier turn
    assert not asked_this_turn([request, {"event": "bot", "text": "Sorry, I didn't catch a day or time.",
                                          "metadata": {}}])


def test_a_time_not_caught_is_said_once_with_the_forms_examples(app_db: str, verified: Clinic) -> None:  # noqa: F811
    """Round 4: "Sorry, I didn't catch a day or time. You can say ..." and then "When would you like to come in?
    You can say things like ..." in one reply."""
    slots = {"visit": f"{verified.office_visit}:", "requested_slot": "when"}
    result, said = run(ValidateBookingForm(), tracker("purple elephants", slots=slots))
    assert result["requested_slot"] == "when" and [m["text"] for m in said] == [TIME_NOT_CAUGHT]
    events = [user("purple elephants"), *_said(said)]
    form_turn = tracker("purple elephants", slots=slots)
    _, question = run(ActionAskWhen(), Tracker(form_turn.sender_id, slots, form_turn.latest_message, events, False,
                                               None, {"name": "booking_form"}, "action_listen"))
    examples = [utterance["text"] for utterance in project_domain()["responses"]["utter_ask_when"]]
    reply = " ".join([TIME_NOT_CAUGHT, *(examples if question else [])])
    assert [m["response"] for m in question] == ["utter_ask_when"] and reply.count("tomorrow at 3") == 1
