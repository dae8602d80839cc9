"""How a simulated patient reaches the assistant: signed Twilio webhooks with every field Twilio sends, blanks
included (replies read at the fake Twilio)
or the web chat's Socket.IO connection (replies as they stream, until the server says the turn is done).
"""
from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import requests
import websockets

from tests.harness import RunningAssistant
from tests.twilio_payloads import form_body, inbound_sms, signature

# Carrier keywords never reach Rasa: the channel answers them itself with one text.
KEYWORDS = re.compile(r"^\s*(stop|stopall|unsubscribe|cancel|end|quit|revoke|optout|start|unstop|help|info)\s*$", re.I)


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)  # of the last message that had any

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class Channel(Protocol):
    conversation_id: str

    def send(self, text: str) -> Reply: ...

    def close(self) -> None: ...


class SmsChannel:
    def __init__(self, assistant: RunningAssistant, mobile: str) -> None:
        self.assistant = assistant
        self.conversation_id = mobile
        self.url = f"{assistant.settings.public_base_url}/webhooks/sms/webhook"

    def _user_turns(self) -> tuple[int, str | None]:
        response = requests.get(f"{self.assistant.rasa_url}/conversations/{self.conversation_id}/tracker",
                                params={"token": self.assistant.settings.rasa_auth_token}, timeout=10)
        events = response.json().get("events") or [] if response.status_code == 200 else []
        users = sum(1 for e in events if e.get("event") == "user")
        last = next((e for e in reversed(events) if e.get("event") == "action"), None)
        return users, last and last.get("name")

    def _texts(self) -> list[str]:
        return [m["Body"] for m in self.assistant.twilio.sent if m["To"] == self.conversation_id]

    def send(self, text: str) -> Reply:
        seen, (users, _) = len(self._texts()), self._user_turns()
        twilio = self.assistant.twilio
        form = inbound_sms(self.conversation_id, text, to=twilio.from_number, account_sid=twilio.account_sid)
        answer = requests.post(self.url, data=form_body(form), timeout=30, headers={
            "X-Twilio-Signature": signature(twilio.auth_token, self.url, form),
            "Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 200, (answer.status_code, answer.text)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if KEYWORDS.match(text):
                if len(self._texts()) > seen:
                    break
            else:
                now_users, last_action = self._user_turns()
                if now_users > users and last_action == "action_listen":
                    break
            time.sleep(0.03)
        return Reply(self._texts()[seen:])

    def close(self) -> None:
        pass


class WebChannel:
    """One browser session: a token from /chat/session, then a Socket.IO v4 websocket spoken by hand (as in
    tests/test_webchat_channel.py)."""

    def __init__(self, assistant: RunningAssistant) -> None:
        self.assistant = assistant
        self.loop = asyncio.new_event_loop()
        self.ws: Any = None
        self.conversation_id = self.loop.run_until_complete(self._open())

    async def _open(self) -> str:
        base = self.assistant.rasa_url
        async with aiohttp.ClientSession() as http, http.post(f"{base}/chat/session") as reply:
            token = (await reply.json())["token"]
        self.ws = await websockets.connect(base.replace("http", "ws", 1) + "/chat/socket.io/?EIO=4&transport=websocket")
        assert (await self.ws.recv()).startswith("0")
        await self.ws.send("40" + json.dumps({"token": token}))
        assert (await asyncio.wait_for(self.ws.recv(), 10)).startswith("40")
        return token.split(".")[0]

    async def _turn(self, text: str) -> Reply:
        await self.ws.send("42" + json.dumps(["user_uttered", {"message": text}]))
        reply = Reply()
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), 30)
            if frame == "2":
                await self.ws.send("3")
                continue
            if not frame.startswith("42"):
                continue
            name, *args = json.loads(frame[2:])
            if name == "turn_done":
                return reply
            if name == "bot_uttered" and args:
                reply.texts.append(args[0].get("text") or "")
                if args[0].get("quick_replies"):
                    reply.buttons = [{"title": b["title"], "payload": b["payload"]} for b in args[0]["quick_replies"]]

    def send(self, text: str) -> Reply:
        return self.loop.run_until_complete(self._turn(text))

    def close(self) -> None:
        self.loop.run_until_complete(self.ws.close())
        self.loop.close()
