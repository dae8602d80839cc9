"""The web chat channel (`webchat`): Rasa's Socket.IO channel with server-issued, signed sessions.

Stock `socketio` lets the browser pick its conversation id, so anyone who learns or guesses one reads
and writes that conversation. Here the server issues the id: `POST /chat/session` returns a token
`<session id>.<issued at>.<HMAC-SHA256>` signed with `settings.secret_key`; the browser keeps it and
presents it when the socket connects, and the connection is refused unless the signature and age check
out. The id inside the token becomes the conversation id (sender_id), so actions can trust it.

The same blueprint serves the widget (`/chat/widget.js`, one script tag on any page), its stylesheet,
the locally installed Socket.IO browser client (no CDN), a demo clinic page at `/chat/`, and
`/chat/history`, which re-renders a conversation after a reload for the holder of its token only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from string import Template
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError

from bot.clinic import load_profile
from bot.settings import PROJECT_ROOT, get_settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SOCKETIO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKETIO_PATH = "/chat/socket.io"
# Keeps the signature of a web chat session apart from anything else signed with the same secret.
_SIGNING_CONTEXT = b"nightingale-webchat-session\x00"
_SESSION_ID = re.compile(r"web-[0-9a-f]{32}")
MAX_MESSAGE_CHARS = 2000
HISTORY_LIMIT = 200
# How often a history request checks whether the turn it waits for has ended (Rasa's default is 1 s).
HISTORY_LOCK_POLL_SECONDS = 0.05
# Told to the browser when its token is refused, so it asks for a fresh session instead of retrying.
SESSION_INVALID = "session_invalid"

_ASSETS = {
    "widget.js": (STATIC_DIR / "widget.js", "application/javascript; charset=utf-8"),
    "widget.css": (STATIC_DIR / "widget.css", "text/css; charset=utf-8"),
    "socket.io.min.js": (SOCKETIO_CLIENT, "application/javascript; charset=utf-8"),
}


def _signature(secret: str, body: str) -> str:
    mac = hmac.new(secret.encode(), _SIGNING_CONTEXT + body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def issue_session(secret: str, now: float | None = None) -> tuple[str, str]:
    """A new random conversation id and the signed token that proves it was issued here."""
    session_id = f"web-{secrets.token_hex(16)}"
    body = f"{session_id}.{int(time.time() if now is None else now)}"
    return session_id, f"{body}.{_signature(secret, body)}"


def verify_session(secret: str, token: Any, max_age_seconds: float, now: float | None = None) -> str | None:
    """The conversation id inside a genuine, unexpired token; None for anything else."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    session_id, issued, signature = parts
    if not _SESSION_ID.fullmatch(session_id) or not issued.isdigit():
        return None
    if not hmac.compare_digest(signature, _signature(secret, f"{session_id}.{issued}")):
        return None
    age = (time.time() if now is None else now) - int(issued)
    return session_id if 0 <= age <= max_age_seconds else None


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def conversation_messages(events: list[Any]) -> list[dict[str, Any]]:
    """What the patient saw: user and bot texts in order, quick replies on the bot's messages.

    A quick-reply click sends its payload (e.g. `/affirm`); the patient saw the button's title, so the
    title is shown again, taken from the bot message that offered it (never from the browser).
    """
    messages: list[dict[str, Any]] = []
    offered: dict[str, str] = {}
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            messages.append({"sender": "user", "text": offered.get(event.text, event.text)})
            offered = {}
        elif isinstance(event, BotUttered) and event.text:
            buttons = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in (event.data or {}).get("buttons") or []
            ]
            messages.append({"sender": "bot", "text": event.text, "buttons": buttons})
            offered = {b["payload"]: b["title"] for b in buttons} or offered
    return messages[-HISTORY_LIMIT:]


def _clinic_page() -> str:
    profile = load_profile(get_settings().clinic_profile)
    template = Template((STATIC_DIR / "clinic.html").read_text(encoding="utf-8"))
    facts = {
        "name": profile.name,
        "short_name": profile.short_name,
        "phone": profile.phone,
        "address": profile.address,
    }
    return template.substitute({key: html.escape(str(value)) for key, value in facts.items()})


class WebChatInput(SocketIOInput):
    """Socket.IO chat whose conversation id is issued and signed by the server."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(session_max_age_hours=float(credentials.get("session_max_age_hours", 7 * 24)))

    def __init__(self, session_max_age_hours: float = 7 * 24) -> None:
        super().__init__(socketio_path=SOCKETIO_PATH)
        # How long a browser may resume its conversation; after that it starts a new one and,
        # in particular, proves the patient's identity again.
        self.session_max_age_seconds = session_max_age_hours * 3600

    def url_prefix(self) -> str:
        # Rasa mounts channels under /webhooks/; an absolute prefix puts the page at /chat/.
        return "/chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        secret = get_settings().secret_key
        # An empty list leaves cross-origin checks to Sanic (rasa run --cors), as stock socketio does.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        chat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        self.sio = sio

        def verified(token: Any) -> str | None:
            return verify_session(secret, token, self.session_max_age_seconds)

        # Strict, so the page is exactly /chat/ (Sanic would otherwise register it as /chat).
        @chat.route("/", methods=["GET"], strict_slashes=True)
        async def clinic_page(_: Request) -> HTTPResponse:
            return response.html(_clinic_page())

        @chat.route("", methods=["GET"], strict_slashes=True)
        async def clinic_page_without_slash(_: Request) -> HTTPResponse:
            return response.redirect("/chat/")

        @chat.route("/<asset:str>", methods=["GET"])
        async def asset(_: Request, asset: str) -> HTTPResponse:
            if asset not in _ASSETS:
                return response.text("not found", status=404)
            path, content_type = _ASSETS[asset]
            if not path.exists():
                return response.text("web chat assets are not installed: run `npm ci`", status=503)
            return await response.file(path, mime_type=content_type, headers={"Cache-Control": "no-cache"})

        @chat.route("/session", methods=["POST"])
        async def new_session(_request: Request) -> HTTPResponse:
            _, token = issue_session(secret)
            return response.json({"token": token}, headers={"Cache-Control": "no-store"})

        @chat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            sender_id = verified(_bearer(request))
            if sender_id is None:
                return response.json({"error": SESSION_INVALID}, status=401)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None:
                return response.json({"messages": []}, headers={"Cache-Control": "no-store"})
            # Rasa sends a turn's answers as they come and saves the turn only when it ends. A page
            # loaded meanwhile (a reload, another page of the clinic's site) waits for that turn, or it
            # would show neither the question nor, if the answer went out before it connected, the answer.
            async with agent.lock_store.lock(sender_id, wait_time_in_seconds=HISTORY_LOCK_POLL_SECONDS):
                tracker = await agent.tracker_store.retrieve_full_tracker(sender_id)
            messages = conversation_messages(list(tracker.events)) if tracker else []
            return response.json({"messages": messages}, headers={"Cache-Control": "no-store"})

        @sio.on("connect")
        async def connect(sid: str, _environ: dict, auth: dict | None) -> None:
            sender_id = verified(auth.get("token") if isinstance(auth, dict) else None)
            if sender_id is None:
                logger.info("Refused a web chat connection without a valid session token.")
                raise ConnectionRefusedError(SESSION_INVALID)
            await sio.save_session(sid, {"sender_id": sender_id})
            # Every tab of one conversation joins its room: the bot's replies reach all of them.
            await sio.enter_room(sid, sender_id)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            sender_id = (await sio.get_session(sid)).get("sender_id")
            text = data.get("message") if isinstance(data, dict) else None
            if not sender_id or not isinstance(text, str) or not text.strip():
                return
            message = UserMessage(
                text[:MAX_MESSAGE_CHARS],
                SocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
            )
            try:
                await on_new_message(message)
            finally:
                # Ends the typing indicator: the turn is over, however many replies it had.
                await sio.emit("turn_done", room=sid)

        return chat
