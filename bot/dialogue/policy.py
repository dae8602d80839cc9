"""Dialogue policy: the conversation rules no classifier may overrule.

- A numbered reply ("2", "#2", "option two", "1 - also where do I park?") outside a form goes to
  `action_numbered_reply`, which reads it against the offer it follows (a request after the number follows the
  choice); so does a yes or no to the bot's own yes/no offer ("Would you like to book
  another time?"). After that action has only asked something, the bot listens.
- Inside a form, "stop" (and the like) goes to the form, which ends it; so does an answer that fits the
  open question, even if the classifier took it for a question or a new request. A clear new request
  switches to it (`action_switch_request`, which first asks when the form holds details the patient gave;
  the yes or no to that goes back to it), and "I can't make it" anywhere is a question about the appointment.
- Outside a form, a bare answer nobody asked for that names a kind of clinician ("cardiology", "my pcp"), or a
  kind of visit with when ("physical w/ alvarez thu 2pm"), is a request to be seen: the switch puts it back as a
  booking.
The answer to the refill action's "Which medicine is the refill for?" ("lisinopril", "both please", "the one for
blood pressure") goes back to it; the classifier reads a bare name as nothing and it fell back.
Right after a reminder is saved, a new time for it ("actually make it 9 instead") retimes that plan, never an
appointment; right after a booking, "wait, I meant wednesday" moves the appointment just booked (the patient
picks the new time), never books a second one; a reminder asked for someone else ("my mom takes lisinopril at 8,
remind her") is declined before any identity check, since a plan is the texting patient's own. Emergencies are
never overruled. Priority 5 is above RulePolicy's 4, so these win ties at confidence 1.
"""
from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.clinic import load_profile
from bot.dialogue.answers import corrects_a_booking, describes_an_appointment, fits, is_stop
from bot.dialogue.offers import (
    RESOLVED_KEY,
    about_missing_a_visit,
    choice_number,
    last_offer,
    switch_answer,
    yes_no,
)
from bot.dialogue.switching import ANSWER, REQUESTS, steps_aside, switches
from bot.nlu.clauses import REQUESTS as TEXT_REQUESTS
from bot.nlu.clinicians import asks_for_a_visit
from bot.reminders.for_whom import for_someone_else
from bot.reminders.form_answers import corrects_times
from bot.reminders.refill_answers import refill_answer
from bot.reminders.reply_words import puts_off
from bot.settings import get_settings

NUMBERED_REPLY_ACTION = "action_numbered_reply"
# After an action that no rule or story follows, the bot listens. Without it RulePolicy's core fallback (at its
# threshold, 0.3 in config.yml) spoke after such actions ("You have no reminders to stop." then "Sorry, I didn't
# understand"), and after itself, until Rasa's limit of 10 actions a turn. Rules and stories (1.0) still win.
LISTEN_AFTER_ACTION = 0.35
NEVER_OVERRULED = frozenset({"emergency"})
SWITCH_ACTION = "action_switch_request"
CONFIRM_ACTION = "action_confirm_appointment"
REFILL_ACTION = "action_request_refill"
REFILL_CHOICES = "refill_choices"
MOVE_OR_CANCEL = frozenset({"cancel_appointment", "reschedule_appointment"})
SAVE_ACTION = "action_save_medication_reminder"
CORRECT_SAVED_ACTION = "action_correct_saved_reminder"
SOMEONE_ELSES_ACTION = "action_someone_elses_reminder"
NEW_PLAN = "set_medication_reminder"
BOOK_ACTION = "action_book_appointment"
CORRECT_BOOKING_ACTION = "action_correct_booking"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class ConversationRulesPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 5}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._decide(tracker, domain)
        probabilities = self._default_predictions(domain)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        elif _after_an_action(tracker):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = LISTEN_AFTER_ACTION
        return self._prediction(probabilities)

    def _decide(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        since_user: list[Any] = []
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted):
                since_user.append(event.action_name)
        loop = tracker.active_loop_name
        # A form that declined the message (a new request, the answer to "shall I switch?") leaves it to us;
        # otherwise Rasa's loop prediction overrules every policy while a form is active.
        declined = bool(loop) and since_user == [loop] and tracker.is_active_loop_rejected
        if since_user and not declined:  # not the first prediction after the message
            asked = since_user[0] == NUMBERED_REPLY_ACTION or (
                since_user[0] == SWITCH_ACTION and tracker.get_slot("switch_to") is not None)
            return ACTION_LISTEN_NAME if asked else None
        message = tracker.latest_message
        if message is None or (message.intent or {}).get("name") in NEVER_OVERRULED:
            return None
        text = message.text or ""
        intent_name = (message.intent or {}).get("name")
        saved = loop is None and _just_saved(tracker)
        # Also when a switch or a second request in the same text put it back ("... and remind my mom at 8").
        if loop is None and for_someone_else(text) and (
            intent_name == NEW_PLAN or (saved and intent_name not in REQUESTS - {NEW_PLAN})
        ):
            return SOMEONE_ELSES_ACTION  # "can you set one for my wife too" just after saving one reads as nothing
        if _after_numbered_reply(tracker):
            return None
        if loop:
            settings = get_settings()
            now = load_profile(settings.clinic_profile).local_now()
            requested = tracker.get_slot("requested_slot")
            intent = message.intent or {}
            if is_stop(text):
                return None if declined else loop
            if tracker.get_slot("switch_to") and switch_answer(text, intent.get("name")) is not None:
                return SWITCH_ACTION  # the answer to its "shall I stop that and ... instead?"
            if steps_aside(requested, intent.get("name"), intent.get("confidence") or 0.0):
                return None  # its rule files it, then the form asks its question again
            if switches(loop, requested, intent.get("name"), intent.get("confidence") or 0.0,
                        tracker.get_slot("pending_request"), text, now, settings.booking_horizon_days):
                return SWITCH_ACTION  # before `fits`: a sure request may hold words that would also answer
            if fits(requested, text, now, settings.booking_horizon_days):
                return None if declined else loop
            return None
        if _answers_which_refill(tracker, text, intent_name):
            return REFILL_ACTION  # "lisinopril", "both please" to "Which medicine is the refill for?"
        if choice_number(text) is not None:
            return NUMBERED_REPLY_ACTION
        if saved and corrects_times(text):
            return CORRECT_SAVED_ACTION
        if _just_booked(tracker) and corrects_a_booking(
            text, load_profile(get_settings().clinic_profile).local_now(), get_settings().booking_horizon_days
        ):
            return CORRECT_BOOKING_ACTION  # "wait, I meant wednesday": a move of that one, never a second booking
        if (tracker.get_slot("confirm_target") is not None and (message.intent or {}).get("name") not in REQUESTS
                and describes_an_appointment(text)):
            return CONFIRM_ACTION  # "the bennett one" after a wrong proposal or the list: that one is asked about
        if about_missing_a_visit(text) and (message.intent or {}).get("name") not in MOVE_OR_CANCEL:
            return SWITCH_ACTION
        if (message.intent or {}).get("name") in ("affirm", "deny") and not tracker.get_slot("handoff_offered"):
            offer, _ = last_offer(_tail(tracker))
            # With nothing offered, a yes may answer an appointment reminder (the action looks; else "anything
            # else?" rather than "Sorry, I didn't understand" after "You're booked").
            # "not right now" may put off a dose reminder (the action looks; else "anything else?").
            if yes_no(offer) or (not offer and (intent_name == "affirm" or puts_off(text))):
                return NUMBERED_REPLY_ACTION
        if (message.intent or {}).get("name") == ANSWER and asks_for_a_visit(text):
            return SWITCH_ACTION
        return None


def _answers_which_refill(tracker: DialogueStateTracker, text: str, intent: str | None) -> bool:
    """True when the message picks a medicine in answer to "Which medicine is the refill for?", asked by the refill
    action just before it (it keeps what it offered in `refill_choices`). Another request or a question that
    names a drug ("remind me to take lisinopril at 8") is that request."""
    choices = tracker.get_slot(REFILL_CHOICES)
    if choices is None or (intent in TEXT_REQUESTS and intent != "request_refill") or intent == "faq":
        return False
    if _last_action_before_message(tracker) != REFILL_ACTION:
        return False
    return bool(refill_answer(text, list(choices)))


def _last_action_before_message(tracker: DialogueStateTracker) -> str | None:
    """The last action, other than listening, before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_user:
                return None
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


def _just_saved(tracker: DialogueStateTracker) -> bool:
    """True when the turn before the latest message saved a medication plan (it names it in `saved_plan`)."""
    if tracker.get_slot("saved_plan") is None:
        return False
    users = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            users += 1
            if users == 2:
                return False
        elif users == 1 and isinstance(event, ActionExecuted) and event.action_name == SAVE_ACTION:
            return True
    return False


def _just_booked(tracker: DialogueStateTracker) -> bool:
    """True when the turn before the latest message booked (or moved) an appointment and said so."""
    users, booked, told = 0, False, False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            users += 1
            if users == 2:
                break
        elif users == 1 and isinstance(event, ActionExecuted) and event.action_name == BOOK_ACTION:
            told = True
        elif users == 1 and isinstance(event, SlotSet) and event.key == "slot_choice":
            booked = booked or str(event.value or "").startswith("booked:")
    return booked and told


def _after_an_action(tracker: DialogueStateTracker) -> bool:
    """True when an action other than listening has run since the latest user message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return True
    return False


def _tail(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The events since the user message before the latest one, as dicts."""
    tail, users = [], 0
    for event in reversed(tracker.events):
        tail.append(event.as_dict())
        if isinstance(event, UserUttered):
            users += 1
            if users == 2:
                break
    return list(reversed(tail))


def _after_numbered_reply(tracker: DialogueStateTracker) -> bool:
    """True when the latest user message is the choice action_numbered_reply resolved (it marks it)."""
    return bool((tracker.latest_message.parse_data or {}).get(RESOLVED_KEY))
