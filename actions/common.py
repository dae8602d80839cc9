"""What every action needs: settings, the clinic profile, and database work off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot import conversations, faq
from bot.clinic import ClinicProfile, load_profile
from bot.db import transaction
from bot.nlu.clauses import ALSO_REQUEST_KEY, named_again
from bot.reminders import policy as reminder_policy
from bot.scheduling import holidays
from bot.settings import get_settings

T = TypeVar("T")
VERIFY_FORM = "verify_form"


def profile() -> ClinicProfile:
    return load_profile(get_settings().clinic_profile)


async def in_db(work: Callable[[Session], T]) -> T:
    """Run `work` in one committed transaction on a worker thread (rasa-sdk's loop must not block)."""

    def run() -> T:
        with transaction(get_settings().database_url) as session:
            return work(session)

    return await asyncio.to_thread(run)


def channel_of(tracker: Tracker) -> str:
    """The channel that proved this conversation, read from its id: never the `input_channel` a request
    body may have claimed (see `bot.conversations`)."""
    return conversations.channel_of(tracker.sender_id).value


def request_text(tracker: Tracker, intents: Collection[str], before_form: str | None = None) -> str:
    """What the patient said when asking for one of `intents` ("" when they never did); verification and
    other turns may have come in between. With `before_form`, only a request made before that form started
    counts: answers inside it ("3", "actually thursday") can read as the same intents."""
    event = request_event(tracker, intents, before_form)
    text = event.get("text") or ""
    # "a checkup friday afternoon, and remind me to take metformin at 7pm": the 7pm is the second request's.
    also = (event.get("parse_data") or {}).get(ALSO_REQUEST_KEY) or {}
    if also.get("text") and also.get("label") not in intents:
        text = named_again(text.replace(also["text"], " ").strip(), also["text"])
    return text


def request_event(tracker: Tracker, intents: Collection[str], before_form: str | None = None) -> dict[str, Any]:
    """The user event of that request (as `request_text`), {} when there was none. An answer to the identity
    check is never the request: a web patient's name ("Nova Tester", "Anna Kim") classed as a booking was
    read for a provider (Dr. Novak, Dr. Kim)."""
    started = before_form is None
    answers = identity_answers(tracker)
    for event in reversed(tracker.events):
        if not started:
            started = event.get("event") == "active_loop" and event.get("name") == before_form
        elif (
            event.get("event") == "user"
            and id(event) not in answers
            and (event.get("parse_data") or {}).get("intent", {}).get("name") in intents
        ):
            return event
    return {}


def identity_answers(tracker: Tracker) -> set[int]:
    """The user events (by `id`) that answered the identity check (name, date of birth, code): the patient's
    own details, never words about what they want. Words the check declined (a new request, see
    actions.forms) are no answer."""
    loop, answers, latest = None, set(), 0
    for event in tracker.events:
        kind = event.get("event")
        if kind == "active_loop":
            loop = event.get("name")
        elif kind == "user" and loop == VERIFY_FORM:
            latest = id(event)
            answers.add(latest)
        elif kind == "action_execution_rejected" and event.get("name") == VERIFY_FORM:
            answers.discard(latest)
    return answers


async def faq_values() -> dict[str, Any]:
    """What the FAQ answers' placeholders are filled with: the clinic profile, its upcoming holidays and when
    appointment reminders go out (the reminder policy, which staff may change in the console)."""
    clinic = profile()
    today = clinic.local_now().date()
    closed, policy = await in_db(
        lambda s: (holidays.upcoming(s, today), reminder_policy.current(s, get_settings()))
    )
    return faq.values(clinic, closed, policy.offsets)


def previous_action(tracker: Tracker) -> str | None:
    """The bot's last real action (not listening) before the latest user message, None when there was none."""
    seen_latest_user_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest_user_message:
                return None
            seen_latest_user_message = True
        elif seen_latest_user_message and event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None
