"""The few calls the console makes to Rasa's HTTP API (enabled only behind its token).

While staff hold a conversation it is paused (`ConversationPaused`): Rasa keeps storing the patient's
messages but predicts nothing, so the assistant stays quiet; closing resumes it. A staff reply is
appended as a `bot` event so the conversation's history shows it; in a web chat Rasa also sends it through
the chat's socket, so the open widget shows it at once.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import requests

from bot.conversations import Channel, channel_of
from bot.settings import Settings


class AssistantUnavailable(RuntimeError):
    """Rasa did not take the events: nothing was changed, the staff member can try again."""


def _append(settings: Settings, conversation_id: str, events: list[dict], live: bool = False) -> None:
    # Rasa's router does not decode "%2B": an SMS conversation's "+1555..." must stay as it is in the path.
    url = f"http://127.0.0.1:{settings.rasa_port}/conversations/{quote(conversation_id, safe='+:')}/tracker/events"
    try:
        params = {"token": settings.rasa_auth_token}
        if live and channel_of(conversation_id) is Channel.WEB:
            # Rasa sends the appended bot message through the web chat's socket to the conversation's room,
            # so an open widget shows it at once (texts go out through the SMS gateway instead).
            params.update(output_channel=Channel.WEB.value, execute_side_effects="true")
        response = requests.post(url, params=params, json=events, timeout=10)
    except requests.RequestException as exc:
        raise AssistantUnavailable("The assistant is not reachable right now; try again in a moment.") from exc
    if response.status_code != 200:
        raise AssistantUnavailable(f"The assistant refused the change (HTTP {response.status_code}).")


def pause(settings: Settings, conversation_id: str) -> None:
    _append(settings, conversation_id, [{"event": "pause", "timestamp": time.time()}])


def resume(settings: Settings, conversation_id: str) -> None:
    _append(settings, conversation_id, [{"event": "resume", "timestamp": time.time()}])


def say(settings: Settings, conversation_id: str, text: str, staff: str | None) -> None:
    """Record a message to the patient in the conversation, marked as written by `staff` (None: automatic)."""
    metadata: dict[str, object] = {"staff": staff} if staff else {"console": True}
    event = {"event": "bot", "text": text, "timestamp": time.time(), "metadata": metadata}
    _append(settings, conversation_id, [event], live=True)
