"""The SMS channel (`sms`): Twilio webhooks in, replies out through our gateway.

Rasa's stock Twilio channel trusts every request. This one, in order:
1. checks `X-Twilio-Signature` against the configured public URL over every parameter exactly as posted,
   blank ones included (Twilio signs `FromCity=` too), and answers 403 to a missing or wrong signature
   before reading anything else (fail closed: no auth token configured means no SMS in);
2. answers 400 to a request without `Body`, an E.164 `From` or `MessageSid`;
3. stores the text before answering Twilio (`bot.messaging.inbound.receive`): its MessageSid makes a retry or a
   replay act once; carrier keywords (STOP, START, HELP ...) and picture-only messages are settled there
   (a STOP also ends the conversation's open form: the patient said stop);
4. hands any other text to Rasa in the background and answers Twilio at once. The text stays leased to this
   process until it is handled; if the process dies first, another one (or this one, restarted) takes it
   over when the lease runs out (`_recover`). Each reply is recorded before it is sent, so a text handled
   twice never answers twice. Replies go through the gateway on a worker thread, split at sensible
   boundaries.
The conversation id is the sender's E.164 number: only this channel can produce such an id
(`bot.conversations`). `/webhooks/sms/status` takes delivery-status callbacks (same signature check); a
status never moves backwards.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.clinic import load_profile
from bot.context import app_context
from bot.conversations import Channel, channel_of
from bot.db import transaction, utcnow
from bot.messaging import inbound
from bot.messaging.gateway import SendStatus, SmsGateway
from bot.messaging.inbound import Disposition, Inbound, apply_status, record_outbound, split_text
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SEND_ATTEMPTS = 3
# Twilio's error codes are 5 digits; anything longer than this is not one (and would overflow the column).
_ERROR_CODE = re.compile(r"\d{1,9}")


def posted_parameters(request: Request) -> RequestParameters:
    """The form exactly as posted. Sanic's `request.form` drops blank values, which Twilio signs too."""
    try:
        parsed = parse_qs((request.body or b"").decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        parsed = {}
    return RequestParameters(parsed)


class SmsOutput(OutputChannel):
    """Sends Rasa's replies as texts; every gateway call runs on a worker thread."""

    def __init__(self, channel: SmsInput, inbound_sid: str | None = None) -> None:
        self.channel = channel
        self.inbound_sid = inbound_sid
        self._sent = 0

    @classmethod
    def name(cls) -> str:
        return "sms"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text):
            self._sent += 1
            if self.inbound_sid is not None and not await self.channel.reserve_reply(self.inbound_sid, self._sent):
                continue  # answered before a crash: never twice
            await self.channel.send(recipient_id, part)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        choices = "\n".join(f"{i}) {button['title']}" for i, button in enumerate(buttons, start=1))
        await self.send_text_message(recipient_id, f"{text}\n{choices}")

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SmsInput:
        return cls()

    def __init__(self, settings: Settings | None = None, gateway: SmsGateway | None = None) -> None:
        self._settings = settings
        self._gateway = gateway
        self._tasks: set[asyncio.Task] = set()
        self._recovery: asyncio.Task | None = None

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    @property
    def gateway(self) -> SmsGateway:
        return self._gateway or app_context().gateway

    # -- helpers ----------------------------------------------------------------------------------
    def _signed(self, request: Request, params: RequestParameters) -> bool:
        token = self.settings.twilio_auth_token
        signature = request.headers.get("X-Twilio-Signature")
        if not token or not signature:
            return False
        url = self.settings.public_base_url + request.path
        if request.query_string:
            url += "?" + request.query_string
        return RequestValidator(token).validate(url, params, signature)

    def _lease_until(self) -> datetime:
        return utcnow() + timedelta(seconds=self.settings.sms_inbound_lease_seconds)

    async def _db(self, work: Callable[..., T], *args: Any) -> T:
        """`work(session, *args)` in one committed transaction, on a worker thread (the loop never blocks)."""

        def run() -> T:
            with transaction(self.settings.database_url) as session:
                return work(session, *args)

        return await asyncio.to_thread(run)

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the texts being handled and the replies being sent to finish (tests wait on it)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def send(self, to: str, body: str) -> None:
        """Send one text; a rate limit or a refused connection is retried briefly (nothing went out)."""
        callback = f"{self.settings.public_base_url}/webhooks/sms/status"
        for attempt in range(SEND_ATTEMPTS):
            result = await asyncio.to_thread(self.gateway.send, to, body, callback)
            if result.status is SendStatus.ACCEPTED and result.sid:
                await self._db(record_outbound, result.sid, to)
                return
            if result.status is not SendStatus.RETRY:
                break
            await asyncio.sleep(result.retry_after or 0.5 * 2**attempt)
        logger.warning("reply not sent: %s %s", result.status.value, result.error_code or result.detail)

    async def reserve_reply(self, inbound_sid: str, seq: int) -> bool:
        return bool(await self._db(inbound.reserve_reply, inbound_sid, seq))

    async def _renew_while(self, sid: str) -> None:
        """Keeps the lease of a text this process is still handling (a slow turn is not taken over)."""
        while True:
            await asyncio.sleep(self.settings.sms_inbound_lease_seconds / 3)
            await self._db(inbound.renew, sid, self._lease_until())

    async def _handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: Inbound) -> None:
        renewing = asyncio.create_task(self._renew_while(text.sid))
        try:
            message = UserMessage(
                text.body,
                SmsOutput(self, text.sid),
                text.phone,
                input_channel=self.name(),
                message_id=text.sid,
                metadata={"message_sid": text.sid},
            )
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - one failed turn must not take the channel down
            logger.exception("processing an SMS failed")
        finally:
            renewing.cancel()
        # A turn that raised is not retried: it would fail the same way, again and again.
        await self._db(inbound.finish, text.sid, utcnow())

    async def recover(self, app: Sanic, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> int:
        """Handle texts whose handler died (their lease ran out); returns how many were taken over.

        A text already in its conversation was handled up to the save of its turn: only marked done."""
        stale = await self._db(inbound.claim_stale, utcnow(), self._lease_until())
        agent = getattr(app.ctx, "agent", None)
        for text in stale:
            tracker = await agent.tracker_store.retrieve(text.phone) if agent is not None else None
            if tracker is not None and any(
                isinstance(e, UserUttered) and e.message_id == text.sid for e in tracker.events
            ):
                await self._db(inbound.finish, text.sid, utcnow())
            else:
                await self._handle(on_new_message, text)
        return len(stale)

    async def _end_request(self, app: Sanic, phone: str) -> None:
        """A carrier STOP never reaches Rasa, yet the patient said stop: a form left open would take their
        next text, maybe weeks later after START, as the answer to a question asked before it. The form and
        what it had gathered are cleared in the conversation, under its lock, as the form's own stop does."""
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None or agent.domain is None:
            return
        try:
            async with agent.lock_store.lock(phone):
                tracker = await agent.tracker_store.retrieve(phone)
                form = tracker.active_loop_name if tracker is not None else None
                if tracker is None or not form:
                    return
                for slot in [*agent.domain.required_slots_for_form(form), REQUESTED_SLOT]:
                    tracker.update(SlotSet(slot, None))
                tracker.update(ActiveLoop(None))
                await agent.tracker_store.save(tracker)
        except Exception:  # noqa: BLE001 - the opt-out itself is recorded; only the form stays open
            logger.exception("ending the request of an opted-out conversation failed")

    async def _recover_forever(self, app: Sanic, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        pause = max(0.5, self.settings.sms_inbound_lease_seconds / 2)
        while True:
            try:
                await self.recover(app, on_new_message)
            except Exception:  # noqa: BLE001 - the next round tries again; the texts stay stored
                logger.exception("taking over unhandled texts failed")
            await asyncio.sleep(pause)

    # -- routes -----------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("sms_webhook", __name__)

        @sms.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sms.listener("after_server_start")
        async def take_over_unhandled(app: Sanic, _loop: Any) -> None:
            # Kept apart from `_tasks`: it runs for the life of the server, `drain` waits for messages only.
            self._recovery = asyncio.create_task(self._recover_forever(app, on_new_message))

        @sms.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            params = posted_parameters(request)
            if not self._signed(request, params):
                return response.text("forbidden", status=403)
            body, sender, sid = params.get("Body"), params.get("From") or "", params.get("MessageSid")
            if body is None or not sid or len(sid) > 64:
                return response.text("Body and MessageSid are required", status=400)
            if channel_of(sender) is not Channel.SMS:
                return response.text("From must be an E.164 phone number", status=400)
            profile = load_profile(self.settings.clinic_profile)
            now, lease = utcnow(), self._lease_until()
            receipt = await self._db(inbound.receive, sid, sender, body, profile, now, lease)
            if receipt.reply:
                self._background(self.send(sender, receipt.reply))
            if receipt.opted_out:
                self._background(self._end_request(request.app, sender))
            if receipt.disposition is Disposition.FOR_ASSISTANT:
                self._background(self._handle(on_new_message, Inbound(sid, sender, body)))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        @sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            params = posted_parameters(request)
            if not self._signed(request, params):
                return response.text("forbidden", status=403)
            sid, state = params.get("MessageSid"), params.get("MessageStatus")
            if not sid or not state or len(sid) > 64 or len(state) > 20:
                return response.text("MessageSid and MessageStatus are required", status=400)
            code = params.get("ErrorCode") or ""
            error = int(code) if _ERROR_CODE.fullmatch(code) else None
            to = (params.get("To") or "")[:20]
            await self._db(apply_status, sid, to, state, error)
            return response.empty()

        return sms
