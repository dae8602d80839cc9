"""The SMS channel (`sms`): Twilio webhooks in, replies out through our gateway.

Rasa's stock Twilio channel trusts every request. This one, in order:
1. checks `X-Twilio-Signature` against the configured public URL and answers 403 to a missing or wrong
   signature before reading anything else (fail closed: no auth token configured means no SMS in);
2. answers 400 to a request without `Body`, `From` or `MessageSid`;
3. processes each `MessageSid` once (remembered in the database, so a Twilio retry or a replay is dropped);
4. applies the carrier keywords (STOP, START, HELP ...) before NLU;
5. hands the text to Rasa in the background and answers Twilio at once; replies go through the gateway
   on a worker thread, split at sensible boundaries.
The conversation id is the sender's E.164 number. `/webhooks/sms/status` takes delivery-status
callbacks (same signature check); a status never moves backwards.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Coroutine, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot import consent
from bot.clinic import load_profile
from bot.db import transaction
from bot.settings import Settings, get_settings
from bot.sms.gateway import SendStatus, SmsGateway, gateway_from_settings
from bot.sms.inbound import apply_status, first_time_seen, record_outbound, split_text

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SEND_ATTEMPTS = 3


class SmsOutput(OutputChannel):
    """Sends Rasa's replies as texts; every gateway call runs on a worker thread."""

    def __init__(self, channel: "SmsInput") -> None:
        self.channel = channel

    @classmethod
    def name(cls) -> Text:
        return "sms"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text):
            await self.channel.send(recipient_id, part)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: list[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        choices = "\n".join(f"{i}) {button['title']}" for i, button in enumerate(buttons, start=1))
        await self.send_text_message(recipient_id, f"{text}\n{choices}")

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        if isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SmsInput":
        return cls()

    def __init__(self, settings: Settings | None = None, gateway: SmsGateway | None = None) -> None:
        self._settings = settings
        self._gateway = gateway
        self._tasks: set[asyncio.Task] = set()

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    @property
    def gateway(self) -> SmsGateway:
        if self._gateway is None:
            self._gateway = gateway_from_settings(self.settings)
        return self._gateway

    # -- helpers ----------------------------------------------------------------------------------
    def _signed(self, request: Request) -> bool:
        token = self.settings.twilio_auth_token
        signature = request.headers.get("X-Twilio-Signature")
        if not token or not signature:
            return False
        url = self.settings.public_base_url + request.path
        if request.query_string:
            url += "?" + request.query_string
        return RequestValidator(token).validate(url, request.form or {}, signature)

    async def _db(self, work: Callable[[Any], Any]) -> Any:
        def run() -> Any:
            with transaction(self.settings.database_url) as session:
                return work(session)

        return await asyncio.to_thread(run)

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for background work (processing and replies) to finish; used by tests and shutdown."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def send(self, to: str, body: str) -> None:
        """Send one text; a rate limit or a refused connection is retried briefly (nothing went out)."""
        callback = f"{self.settings.public_base_url}/webhooks/sms/status"
        for attempt in range(SEND_ATTEMPTS):
            result = await asyncio.to_thread(self.gateway.send, to, body, callback)
            if result.status is SendStatus.ACCEPTED and result.sid:
                await self._db(lambda s: record_outbound(s, result.sid, to))
                return
            if result.status is not SendStatus.RETRY:
                break
            await asyncio.sleep(result.retry_after or 0.5 * 2**attempt)
        logger.warning("reply not sent: %s %s", result.status.value, result.error_code or result.detail)

    async def _process(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - one failed turn must not take the channel down
            logger.exception("processing an SMS failed")

    # -- routes -----------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("sms_webhook", __name__)

        @sms.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sms.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._signed(request):
                return response.text("forbidden", status=403)
            form = request.form or {}
            body, sender, sid = form.get("Body"), form.get("From"), form.get("MessageSid")
            if body is None or not sender or not sid:
                return response.text("Body, From and MessageSid are required", status=400)
            if not await self._db(lambda s: first_time_seen(s, sid, sender)):
                return response.text(EMPTY_TWIML, content_type="text/xml")
            profile = load_profile(self.settings.clinic_profile)
            handled, reply = await self._db(lambda s: consent.handle_keyword(s, sender, body, profile))
            if handled:
                if reply:
                    self._background(self.send(sender, reply))
            else:
                message = UserMessage(
                    body, SmsOutput(self), sender, input_channel=self.name(), metadata={"message_sid": sid}
                )
                self._background(self._process(on_new_message, message))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        @sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            if not self._signed(request):
                return response.text("forbidden", status=403)
            form = request.form or {}
            sid, state = form.get("MessageSid"), form.get("MessageStatus")
            if not sid or not state:
                return response.text("MessageSid and MessageStatus are required", status=400)
            code = form.get("ErrorCode")
            error = int(code) if code and code.isdigit() else None
            await self._db(lambda s: apply_status(s, sid, form.get("To") or "", state, error))
            return response.empty()

        return sms
