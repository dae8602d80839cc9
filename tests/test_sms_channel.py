"""The SMS channel served on loopback (Sanic, exactly as `rasa run` registers it) with a fake Twilio:
signatures, replays, keywords, splitting, status callbacks. A stand-in agent replaces Rasa."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.channels.sms import SmsInput
from bot.clinic import load_profile
from bot.db import transaction, utcnow
from bot.messaging import consent, inbound
from bot.messaging.gateway import TwilioGateway
from bot.messaging.models import ConsentEvent, InboundMessage, SmsMessage
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import settings_for
from tests.twilio_payloads import inbound_sms, status_callback

PUBLIC = "https://clinic.example"  # the URL Twilio signs; the server itself listens on loopback
PATIENT = "+15550300001"
LONG_REPLY = (
    "Our clinic is open Monday to Friday from 8 AM. " * 6 + "\n\n" + "Parking is behind the building. " * 6
).strip()


class Agent:
    """Stands in for Rasa: records what reached NLU and answers through the channel's output."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.pause: asyncio.Event | None = None

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.pause is not None:
            await self.pause.wait()
        reply = LONG_REPLY if message.text == "long please" else f"You said: {message.text}"
        await message.output_channel.send_text_message(message.sender_id, reply)


@dataclass
class Stack:
    url: str
    fake: FakeTwilio
    agent: Agent
    channel: SmsInput
    database_url: str
    post: Callable[..., Awaitable[int]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signed_headers(token: str, path: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(PUBLIC + path, params)}


@asynccontextmanager
async def serving(database_url: str, tmp: Path) -> AsyncIterator[Stack]:
    with FakeTwilio() as fake:
        settings = settings_for(database_url, fake, tmp, PUBLIC_BASE_URL=PUBLIC)
        gateway = TwilioGateway(fake.account_sid, fake.auth_token, fake.from_number, fake.base_url)
        channel = SmsInput(settings, gateway)
        Sanic.test_mode = True
        app = Sanic(f"sms_test_{_free_port()}")
        agent = Agent()
        app.ctx.agent = agent
        register([channel], app, route="/webhooks/")
        port = _free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        await server.start_serving()
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:

            async def post(
                path: str, params: dict[str, str], headers: dict[str, str] | None = None, drain: bool = True
            ) -> int:
                if headers is None:
                    headers = signed_headers(fake.auth_token, path, params)
                async with http.post(url + path, data=params, headers=headers) as answer:
                    await answer.read()
                    if drain:
                        await channel.drain()
                    return answer.status

            try:
                yield Stack(url, fake, agent, channel, database_url, post)
            finally:
                server.close()
                await server.wait_closed()


def sms(body: str | None, sid: str = "SM0001", sender: str = PATIENT) -> dict[str, str]:
    """A text as Twilio posts it: every field, several blank, all signed (see tests/twilio_payloads.py)."""
    params = inbound_sms(sender, body or "", sid=sid)
    if body is None:
        del params["Body"]
    return params


def run(scenario: Callable[[Stack], Awaitable[None]], database_url: str, tmp: Path) -> None:
    async def main() -> None:
        async with serving(database_url, tmp) as stack:
            await scenario(stack)

    asyncio.run(main())


def counts(url: str) -> tuple[int, int]:
    with transaction(url) as s:
        inbound = s.execute(select(func.count()).select_from(InboundMessage)).scalar_one()
        events = s.execute(select(func.count()).select_from(ConsentEvent)).scalar_one()
    return inbound, events


WEBHOOK = "/webhooks/sms/webhook"


def test_forged_missing_and_tampered_signatures_are_refused_before_anything_happens(
    db_url: str, tmp_path: Path
) -> None:
    async def scenario(stack: Stack) -> None:
        params = sms("STOP")
        good = signed_headers(stack.fake.auth_token, WEBHOOK, params)
        assert await stack.post(WEBHOOK, params, headers={}) == 403  # missing
        assert await stack.post(WEBHOOK, params, headers=signed_headers("not the token", WEBHOOK, params)) == 403
        assert await stack.post(WEBHOOK, {**params, "Body": "hello"}, headers=good) == 403  # tampered body
        assert await stack.post(WEBHOOK, {**params, "From": "+15550300999"}, headers=good) == 403  # tampered sender
        local_url = {
            "X-Twilio-Signature": RequestValidator(stack.fake.auth_token).compute_signature(stack.url + WEBHOOK, params)
        }
        assert await stack.post(WEBHOOK, params, headers=local_url) == 403  # signed for another URL
        assert await stack.post(WEBHOOK, sms(None), headers={}) == 403  # even a malformed request: 403 first
        assert counts(stack.database_url) == (0, 0)
        assert stack.agent.received == [] and stack.fake.requests == []

    run(scenario, db_url, tmp_path)


def test_no_auth_token_configured_means_every_request_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        stack.channel._settings = stack.channel.settings.with_overrides(twilio_auth_token=None)
        assert await stack.post(WEBHOOK, sms("hi")) == 403
        assert stack.agent.received == []

    run(scenario, sqlite_url, tmp_path)


def test_a_text_reaches_the_assistant_once_as_the_patients_number(db_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        assert await stack.post(WEBHOOK, sms("when are you open")) == 200
        assert await stack.post(WEBHOOK, sms("when are you open")) == 200  # Twilio's retry / a replay
        assert [(m.sender_id, m.text, m.input_channel) for m in stack.agent.received] == [
            (PATIENT, "when are you open", "sms")
        ]
        assert [(m["To"], m["Body"]) for m in stack.fake.sent] == [(PATIENT, "You said: when are you open")]
        assert stack.fake.sent[0]["StatusCallback"] == PUBLIC + "/webhooks/sms/status"

    run(scenario, db_url, tmp_path)


def test_missing_body_is_a_bad_request_not_a_crash(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        assert await stack.post(WEBHOOK, sms(None)) == 400
        assert stack.agent.received == [] and counts(stack.database_url) == (0, 0)

    run(scenario, sqlite_url, tmp_path)


def test_long_replies_are_split_at_sentence_and_paragraph_boundaries(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms("long please"))
        parts = [m["Body"] for m in stack.fake.sent]
        assert len(parts) == 2 and all(len(p) <= 320 for p in parts)
        assert parts[0].endswith("from 8 AM.") and parts[1].startswith("Parking")
        assert " ".join(parts).split() == LONG_REPLY.split()  # nothing lost

    run(scenario, sqlite_url, tmp_path)


def test_a_numbered_list_is_never_split_between_texts() -> None:
    from bot.messaging.inbound import split_text

    question = "Please call our nurse line or I can ask someone to contact you or book you a visit. " * 4
    parts = split_text(question.strip() + "\n1) Have someone contact me\n2) Book a visit")
    assert all(len(p) <= 320 for p in parts) and parts[-1] == "1) Have someone contact me\n2) Book a visit"


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "  Stop ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
)
def test_every_opt_out_keyword_records_and_confirms_once(word: str, sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms(word, sid="SM1"))
        await stack.post(WEBHOOK, sms(word, sid="SM2"))  # a second STOP: no second text
        with transaction(stack.database_url) as s:
            assert consent.is_opted_out(s, PATIENT)
        assert stack.agent.received == []
        confirmed = (
            "Maple Grove Clinic: You are unsubscribed and will receive no more texts from us. Reply START to "
            + ("resubscribe. This did not cancel any appointment: to cancel one, call us at +1 (555) 010-2000."
               if word == "CANCEL" else "resubscribe. Questions: +1 (555) 010-2000")
        )
        assert [m["Body"] for m in stack.fake.sent] == [confirmed]

    run(scenario, sqlite_url, tmp_path)


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_opt_in_keywords_resubscribe(word: str, sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms("STOP", sid="SM1"))
        await stack.post(WEBHOOK, sms(word, sid="SM2"))
        with transaction(stack.database_url) as s:
            assert not consent.is_opted_out(s, PATIENT)
        assert "subscribed to appointment and medication reminders again" in stack.fake.sent[-1]["Body"]
        assert stack.agent.received == []

    run(scenario, sqlite_url, tmp_path)


def test_yes_from_a_subscribed_patient_is_an_ordinary_answer(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms("yes"))
        assert [m.text for m in stack.agent.received] == ["yes"]

    run(scenario, sqlite_url, tmp_path)


@pytest.mark.parametrize("word", ["HELP", "info"])
def test_help_keywords_name_the_clinic_contact_and_opt_out(word: str, sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms(word))
        (reply,) = [m["Body"] for m in stack.fake.sent]
        assert "Maple Grove Clinic" in reply and "+1 (555) 010-2000" in reply and "Reply STOP to opt out" in reply
        assert stack.agent.received == []

    run(scenario, sqlite_url, tmp_path)


def test_sentences_containing_keywords_go_to_the_assistant(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        await stack.post(WEBHOOK, sms("please stop texting me"))
        assert [m.text for m in stack.agent.received] == ["please stop texting me"]  # the opt_out intent's job

    run(scenario, sqlite_url, tmp_path)


STATUS = "/webhooks/sms/status"


def test_delivery_status_never_moves_backwards_and_is_signature_checked(db_url: str, tmp_path: Path) -> None:
    def status(state: str, code: str = "") -> dict[str, str]:
        return status_callback("SMabc", state, PATIENT, code)

    def current(url: str) -> str:
        with transaction(url) as s:
            return s.execute(select(SmsMessage.status).where(SmsMessage.sid == "SMabc")).scalar()

    async def scenario(stack: Stack) -> None:
        assert await stack.post(STATUS, status("delivered"), headers={}) == 403
        assert current(stack.database_url) is None
        for state in ("queued", "sent", "delivered"):
            assert await stack.post(STATUS, status(state)) == 204
        assert await stack.post(STATUS, status("sent")) == 204  # late and out of order
        assert current(stack.database_url) == "delivered"

    run(scenario, db_url, tmp_path)


def test_undelivered_21610_callback_records_an_opt_out(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        params = status_callback("SMdef", "undelivered", PATIENT, "21610")
        assert await stack.post(STATUS, params) == 204
        with transaction(stack.database_url) as s:
            assert consent.is_opted_out(s, PATIENT)

    run(scenario, sqlite_url, tmp_path)


def test_genuine_twilio_payloads_with_blank_fields_get_in(db_url: str, tmp_path: Path) -> None:
    """Twilio signs `FromCity=` and the other blanks too; a check over a form that drops them refused real STOPs."""

    async def scenario(stack: Stack) -> None:
        stop, question = sms("STOP", sid="SM1"), sms("when are you open", sid="SM2", sender="+15550300002")
        assert [name for name, value in stop.items() if value == ""]  # the payload really has blanks
        assert await stack.post(WEBHOOK, stop) == 200
        assert await stack.post(WEBHOOK, question) == 200
        with transaction(stack.database_url) as s:
            assert consent.is_opted_out(s, PATIENT)
        assert [m.text for m in stack.agent.received] == ["when are you open"]

    run(scenario, db_url, tmp_path)


def test_a_picture_only_mms_gets_a_friendly_text_only_answer(sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        mms = inbound_sms(
            PATIENT, "", media=[("https://api.twilio.com/2010-04-01/Accounts/AC/Media/ME1", "image/jpeg")]
        )
        assert await stack.post(WEBHOOK, mms) == 200
        (reply,) = [m["Body"] for m in stack.fake.sent]
        assert "can only read text" in reply and "+1 (555) 010-2000" in reply
        assert stack.agent.received == []

    run(scenario, sqlite_url, tmp_path)


@pytest.mark.parametrize("sender", ["", "clinic", "whatsapp:+15550300001", "+1"])
def test_a_sender_that_is_not_a_phone_number_is_a_bad_request(sender: str, sqlite_url: str, tmp_path: Path) -> None:
    async def scenario(stack: Stack) -> None:
        assert await stack.post(WEBHOOK, sms("hello", sender=sender)) == 400
        assert stack.agent.received == [] and counts(stack.database_url) == (0, 0)

    run(scenario, sqlite_url, tmp_path)


@pytest.mark.parametrize("code", ["12345678901234567890", "-1", "3.5", "abc", ""])
def test_odd_error_codes_in_a_signed_status_callback_are_not_a_crash(
    code: str, sqlite_url: str, tmp_path: Path
) -> None:
    async def scenario(stack: Stack) -> None:
        assert await stack.post(STATUS, status_callback("SModd", "failed", PATIENT, code)) == 204
        with transaction(stack.database_url) as s:
            stored = s.execute(select(SmsMessage.status, SmsMessage.error_code).where(SmsMessage.sid == "SModd")).one()
        assert stored == ("failed", None)

    run(scenario, sqlite_url, tmp_path)


def test_a_text_is_stored_before_it_is_acknowledged_and_its_body_dropped_once_handled(
    sqlite_url: str, tmp_path: Path
) -> None:
    async def scenario(stack: Stack) -> None:
        stack.agent.pause = asyncio.Event()  # the assistant is still thinking when Twilio gets its 200
        assert await stack.post(WEBHOOK, sms("can i book a visit", sid="SMkeep"), drain=False) == 200
        with transaction(stack.database_url) as s:
            row = s.get(InboundMessage, "SMkeep")
            assert (row.body, row.handled_at) == ("can i book a visit", None) and row.lease_until is not None
        stack.agent.pause.set()
        await stack.channel.drain()
        with transaction(stack.database_url) as s:
            row = s.get(InboundMessage, "SMkeep")
            assert row.body is None and row.handled_at is not None

    run(scenario, sqlite_url, tmp_path)


def test_a_text_whose_handler_died_is_taken_over_once_and_answered_once(sqlite_url: str, tmp_path: Path) -> None:
    profile = load_profile(settings_for(sqlite_url, None, tmp_path).clinic_profile)
    past = utcnow() - timedelta(minutes=5)

    def stored_unhandled(sid: str, body: str) -> None:
        with transaction(sqlite_url) as s:  # as a process that died after the 200 left it
            inbound.receive(s, sid, PATIENT, body, profile, past, past + timedelta(seconds=60))

    async def scenario(stack: Stack) -> None:
        stored_unhandled("SMlost", "what are your hours")
        stored_unhandled("SManswered", "is there parking")
        with transaction(sqlite_url) as s:
            inbound.reserve_reply(s, "SManswered", 1)  # its reply went out just before the crash
        app = SimpleNamespace(ctx=SimpleNamespace())
        assert await stack.channel.recover(app, stack.agent.handle_message) == 2
        assert await stack.channel.recover(app, stack.agent.handle_message) == 0  # once
        await stack.channel.drain()
        assert [m.text for m in stack.agent.received] == ["what are your hours", "is there parking"]
        assert [m["Body"] for m in stack.fake.sent] == ["You said: what are your hours"]
        with transaction(sqlite_url) as s:
            assert (
                s.execute(
                    select(func.count()).select_from(InboundMessage).where(InboundMessage.handled_at.is_(None))
                ).scalar_one()
                == 0
            )

    run(scenario, sqlite_url, tmp_path)
