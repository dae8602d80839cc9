"""What every form and action asks of a conversation: its latest words and intent, whether it was
interrupted or asked to stop, who is acting and which verified patient (if any) it belongs to."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.common import channel_of, in_db
from bot import identity
from bot.clinic import load_profile
from bot.dialogue.answers import fits, is_stop
from bot.dialogue.offers import switch_answer
from bot.dialogue.switching import steps_aside, switches
from bot.settings import get_settings

# Intents that leave a form's question unanswered so their own rules can reply (the form resumes after).
INTERRUPTIONS = frozenset(
    {"emergency", "faq", "human_handoff", "medical_advice", "opt_out", "list_appointments", "request_refill"}
)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def wants_to_stop(tracker: Tracker) -> bool:
    return is_stop(latest_text(tracker))


def interrupted(tracker: Tracker) -> bool:
    """An interruption's own rule answers it, unless the words fit the open question (then they answer it)."""
    if latest_intent(tracker) not in INTERRUPTIONS or wants_to_stop(tracker):
        return False
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
    if steps_aside(tracker.get_slot("requested_slot"), latest_intent(tracker), confidence):
        return True
    settings = get_settings()
    now = load_profile(settings.clinic_profile).local_now()
    return latest_intent(tracker) == "emergency" or not fits(
        tracker.get_slot("requested_slot"), latest_text(tracker), now, settings.booking_horizon_days
    )


def wants_to_switch(tracker: Tracker) -> bool:
    """A clear new request inside the active form, or the answer to the form's "shall I switch?"."""
    intent = tracker.latest_message.get("intent") or {}
    if tracker.get_slot("switch_to") and switch_answer(latest_text(tracker), intent.get("name")) is not None:
        return True
    settings = get_settings()
    return switches(
        (tracker.active_loop or {}).get("name") or "", tracker.get_slot("requested_slot"), intent.get("name"),
        intent.get("confidence") or 0.0, tracker.get_slot("pending_request"), latest_text(tracker),
        load_profile(settings.clinic_profile).local_now(), settings.booking_horizon_days,
    )


def answered_elsewhere(tracker: Tracker, form: str) -> bool:
    """True when another action already answered the latest message (an interruption's rule, or the "carry
    on" of a declined switch): the form then only asks its open question again, never reads the message as
    its answer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in ("action_listen", "action_extract_slots", form):
            return True
    return False


def ask_again(tracker: Tracker) -> list[EventType]:
    """Once an interruption is answered, the form repeats its open question. Left alone, Rasa would ask for
    the first empty slot in the domain's order, which need not be the open one (a name over SMS, where only
    the birth date is asked)."""
    return [SlotSet("requested_slot", tracker.get_slot("requested_slot"))]


def just_activated(tracker: Tracker, form: str) -> bool:
    """True on the form's first run: it was activated after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def actor(tracker: Tracker) -> str:
    channel = channel_of(tracker)
    return {"sms": "patient:sms", "webchat": "patient:web"}.get(channel, f"patient:{channel}")


async def verified_patient_id(tracker: Tracker) -> int | None:
    """Re-checked in the database: a slot alone never opens personal details."""
    return await in_db(lambda s: identity.verified_patient(s, tracker.sender_id))
