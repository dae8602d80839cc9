"""The web chat channel, in-process against its own blueprint on a real loopback server (no model).

What a patient relies on: the conversation id is the one the server issued, nobody can open or read
a conversation with a made-up or altered token, and a reload shows their own conversation again.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
import websockets
from rasa.core.channels.channel import UserMessage, register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from bot.channels.webchat import WebChatInput, issue_session, verify_session
from bot.settings import get_settings

DAY = 24 * 3600
BUTTONS = [{"title": "Yes, book it", "payload": "/affirm"}, {"title": "No thanks", "payload": "/deny"}]


class EchoAgent:
    """Stands in for Rasa's agent: replies with buttons and records each turn in a real tracker store.

    As in Rasa, a turn holds its conversation's lock, sends its answer first and is saved when it ends;
    a test may hold the end back (`turn_may_end`).
    """

    def __init__(self) -> None:
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.lock_store = InMemoryLockStore()
        self.received: list[UserMessage] = []
        self.turn_may_end = asyncio.Event()
        self.turn_may_end.set()

    async def handle_message(self, message: UserMessage) -> None:
        async with self.lock_store.lock(message.sender_id):
            self.received.append(message)
            tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
            tracker.update(UserUttered(message.text))
            tracker.update(BotUttered("Shall I book it?", data={"buttons": BUTTONS}))
            await message.output_channel.send_text_with_buttons(message.sender_id, "Shall I book it?", BUTTONS)
            await self.turn_may_end.wait()
            await self.tracker_store.save(tracker)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def serving() -> AsyncIterator[tuple[str, EchoAgent]]:
    """The channel registered exactly as `rasa run` registers it, served on a free loopback port."""
    Sanic.test_mode = True
    app = Sanic(f"webchat_test_{_free_port()}")
    agent = EchoAgent()
    app.ctx.agent = agent
    register([WebChatInput.from_credentials({})], app, route="/webhooks/")
    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    try:
        yield f"http://127.0.0.1:{port}", agent
    finally:
        server.close()
        await server.wait_closed()


async def _new_token(http: aiohttp.ClientSession, url: str) -> str:
    async with http.post(f"{url}/chat/session") as reply:
        assert reply.status == 200
        return (await reply.json())["token"]


class Refused(Exception):
    pass


async def _connect(url: str, auth: Any) -> websockets.WebSocketClientProtocol:
    """A Socket.IO v4 connection over a websocket, as the browser's client opens it.

    Spoken by hand: python-engineio's own client needs a newer aiohttp than rasa pins, and its
    long-polling fallback takes ~30 s to disconnect.
    """
    ws = await websockets.connect(url.replace("http", "ws", 1) + "/chat/socket.io/?EIO=4&transport=websocket")
    assert (await ws.recv()).startswith("0")  # Engine.IO open
    await ws.send("40" + ("" if auth is None else json.dumps(auth)))  # Socket.IO connect with auth
    answer = await asyncio.wait_for(ws.recv(), 5)
    if answer.startswith("44"):  # connect error
        await ws.close()
        raise Refused(json.loads(answer[2:])["message"])
    assert answer.startswith("40")
    return ws


async def _emit(ws: websockets.WebSocketClientProtocol, event: str, data: Any) -> None:
    await ws.send("42" + json.dumps([event, data]))


async def _next_event(ws: websockets.WebSocketClientProtocol) -> tuple[str, Any]:
    while True:
        frame = await asyncio.wait_for(ws.recv(), 5)
        if frame == "2":  # ping
            await ws.send("3")
        elif frame.startswith("42"):
            name, *args = json.loads(frame[2:])
            return name, (args[0] if args else None)


def test_a_session_token_proves_its_id_and_nothing_else() -> None:
    secret = "server secret"
    session_id, token = issue_session(secret)
    assert session_id.startswith("web-") and token.startswith(session_id + ".")
    assert verify_session(secret, token, DAY) == session_id

    other_id, _ = issue_session(secret)
    _, issued, signature = token.split(".")
    forged = [
        None,
        "",
        "garbage",
        token + "x",
        f"{other_id}.{issued}.{signature}",  # someone else's id
        f"{session_id}.{int(issued) + 1}.{signature}",  # extended lifetime
        issue_session("another server's secret")[1],
    ]
    for candidate in forged:
        assert verify_session(secret, candidate, DAY) is None, candidate

    _, old = issue_session(secret, now=1_000_000)
    assert verify_session(secret, old, DAY, now=1_000_000 + DAY + 1) is None


def test_the_clinic_page_embeds_the_widget_with_one_tag_and_serves_every_asset_itself() -> None:
    async def scenario() -> None:
        async with serving() as (url, _), aiohttp.ClientSession() as http:
            async with http.get(f"{url}/chat") as page:  # follows the redirect to /chat/
                body = await page.text()
            assert page.status == 200 and page.url.path == "/chat/" and "Maple Grove Family Clinic" in body
            assert body.count("<script") == 1 and 'src="/chat/widget.js"' in body
            assert "://" not in body.split("<script", 1)[1].split(">", 1)[0]  # nothing from a CDN
            for asset, kind in [
                ("widget.js", "javascript"),
                ("widget.css", "text/css"),
                ("socket.io.min.js", "javascript"),
            ]:
                async with http.get(f"{url}/chat/{asset}") as reply:
                    assert reply.status == 200, asset
                    assert kind in reply.headers["content-type"]
            async with http.get(f"{url}/chat/secret_key") as reply:
                assert reply.status == 404

    asyncio.run(scenario())


def test_the_socket_refuses_a_missing_or_forged_session() -> None:
    async def scenario() -> None:
        async with serving() as (url, agent), aiohttp.ClientSession() as http:
            genuine = await _new_token(http, url)
            session_id, issued, signature = genuine.split(".")
            forged = [
                None,
                {},
                "a bare string",
                {"token": "web-" + "0" * 32 + ".1.abc"},
                {"token": f"web-{'1' * 32}.{issued}.{signature}"},
                {"token": issue_session("not our secret")[1]},
            ]
            for auth in forged:
                with pytest.raises(Refused, match="session_invalid"):
                    await _connect(url, auth)
            assert agent.received == []

    asyncio.run(scenario())


def test_messages_use_the_issued_session_and_a_reconnect_continues_it() -> None:
    async def scenario() -> None:
        async with serving() as (url, agent), aiohttp.ClientSession() as http:
            token = await _new_token(http, url)
            session_id = verify_session(get_settings().secret_key, token, DAY)
            for _visit in range(2):  # first visit, then a reload with the stored token
                ws = await _connect(url, {"token": token})
                # A browser cannot pick another conversation by naming it in the message.
                await _emit(ws, "user_uttered", {"message": "book me in", "session_id": "web-" + "2" * 32})
                name, reply = await _next_event(ws)
                assert name == "bot_uttered" and reply["text"] == "Shall I book it?"
                assert [(b["title"], b["payload"]) for b in reply["quick_replies"]] == [
                    ("Yes, book it", "/affirm"),
                    ("No thanks", "/deny"),
                ]
                assert await _next_event(ws) == ("turn_done", None)
                await ws.close()
            assert [(m.sender_id, m.input_channel, m.text) for m in agent.received] == [
                (session_id, "webchat", "book me in")
            ] * 2

    asyncio.run(scenario())


def test_history_shows_a_conversation_only_to_the_holder_of_its_token() -> None:
    async def scenario() -> None:
        async with serving() as (url, agent), aiohttp.ClientSession() as http:
            mine, theirs = await _new_token(http, url), await _new_token(http, url)
            secret = get_settings().secret_key
            tracker = await agent.tracker_store.get_or_create_tracker(verify_session(secret, mine, DAY))
            for event in [
                UserUttered("can i book for friday"),
                BotUttered("Friday 9:00 with Dr. Lee?", data={"buttons": BUTTONS}),
                UserUttered("/affirm"),
                BotUttered("Booked: Friday 9:00 with Dr. Lee."),
            ]:
                tracker.update(event)
            await agent.tracker_store.save(tracker)

            async def history(token: str | None) -> tuple[int, Any]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                async with http.get(f"{url}/chat/history", headers=headers) as reply:
                    return reply.status, await reply.json()

            status, body = await history(mine)
            assert status == 200
            assert [(m["sender"], m["text"]) for m in body["messages"]] == [
                ("user", "can i book for friday"),
                ("bot", "Friday 9:00 with Dr. Lee?"),
                ("user", "Yes, book it"),  # the title the patient clicked, not the payload
                ("bot", "Booked: Friday 9:00 with Dr. Lee."),
            ]
            assert body["messages"][1]["buttons"] == BUTTONS

            assert await history(theirs) == (200, {"messages": []})
            session_id, issued, signature = mine.split(".")
            _, their_issued, their_signature = theirs.split(".")
            for forged in [None, "nonsense", f"{session_id}.{their_issued}.{their_signature}"]:
                status, _ = await history(forged)
                assert status == 401

    asyncio.run(scenario())


def test_a_page_loaded_while_a_turn_is_answered_shows_that_turn() -> None:
    """A patient asks, sees the answer and reloads (or opens another page of the clinic's site) before
    the server has saved the turn: the new page still shows the question and the answer."""

    async def scenario() -> None:
        async with serving() as (url, agent), aiohttp.ClientSession() as http:
            token = await _new_token(http, url)
            session_id = verify_session(get_settings().secret_key, token, DAY)
            ws = await _connect(url, {"token": token})
            agent.turn_may_end.clear()
            await _emit(ws, "user_uttered", {"message": "book me in"})
            assert (await _next_event(ws))[0] == "bot_uttered"  # answered, not saved yet

            async def history() -> list[Any]:
                async with http.get(f"{url}/chat/history", headers={"Authorization": f"Bearer {token}"}) as reply:
                    return (await reply.json())["messages"]

            reload = asyncio.ensure_future(history())

            async def reload_waits_for_the_turn() -> None:
                # The turn ends only once the reload's request queues behind it in the conversation's
                # lock: the order a patient hits by chance, here every time.
                while len(agent.lock_store.get_lock(session_id).tickets) < 2:
                    await asyncio.sleep(0.01)

            await asyncio.wait_for(reload_waits_for_the_turn(), 10)
            agent.turn_may_end.set()
            assert [(m["sender"], m["text"]) for m in await reload] == [
                ("user", "book me in"),
                ("bot", "Shall I book it?"),
            ]
            await ws.close()

    asyncio.run(scenario())
