"""The REST channel (`rest`) for integrations: off unless the operator sets `REST_CHANNEL_TOKEN`.

Rasa's stock REST channel is open to anyone, lets the caller pick any conversation id (`sender`) and reads
its own channel name from the JSON body, so a caller could speak as an SMS patient. This one:
- answers 404 while no token is configured, 401 without `Authorization: Bearer <REST_CHANNEL_TOKEN>`;
- keeps its callers in their own namespace: `"sender": "abc"` is the conversation `api:abc`, which no SMS
  or web chat conversation can be (see `bot.conversations`), so a caller reaches only its own conversations;
- never takes the channel name or metadata from the body;
- answers 400, with the reason, to anything but `{"sender": "<id>", "message": "<text>"}`.
Replies come back in the response, as with Rasa's REST channel.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.conversations import API_PREFIX, api_conversation
from bot.settings import Settings, get_settings

MAX_MESSAGE_CHARS = 2000
_CALLER_ID = re.compile(r"[A-Za-z0-9+][A-Za-z0-9._@+:-]{0,63}")


class BadRequest(ValueError):
    pass


def read_turn(raw: bytes) -> tuple[str, str]:
    """(caller's id, text) from a request body; BadRequest says what is wrong."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest('the body must be a JSON object: {"sender": "...", "message": "..."}')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not _CALLER_ID.fullmatch(sender):
        raise BadRequest("sender must be 1-64 letters, digits or . _ @ + : - (starting with a letter, digit or +)")
    if not isinstance(message, str) or not message.strip():
        raise BadRequest("message must be a non-empty string")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"message must be at most {MAX_MESSAGE_CHARS} characters")
    return sender, message


def authorised(settings: Settings, request: Request) -> bool:
    expected = settings.rest_channel_token
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


class IntegrationInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> IntegrationInput:
        return cls()

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.rest_channel_token else "off"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.rest_channel_token:
                return response.json({"error": "the REST channel is off (REST_CHANNEL_TOKEN is not set)"}, status=404)
            if not authorised(self.settings, request):
                return response.json({"error": "a valid bearer token is required"}, status=401)
            try:
                caller, text = read_turn(request.body or b"")
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400)
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, api_conversation(caller), input_channel=self.name()))
            # Callers see their own id back, not our namespace.
            answers = [
                {**m, "recipient_id": caller} if m.get("recipient_id", "").startswith(API_PREFIX) else m
                for m in collector.messages
            ]
            return response.json(answers)

        return rest
