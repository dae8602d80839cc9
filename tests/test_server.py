"""The Rasa server as the stack runs it: its mended hot spots behave exactly as Rasa's own code,
conversations kept in the SQLite tracker store survive the process that wrote them, and worker processes
take turns on a conversation."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import LockError
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.launcher import _resolve_event_type, _validate_action_result
from bot.server.lock_store import HostLockStore
from bot.server.tracker_store import ConversationStore
from bot.settings import PROJECT_ROOT

ACTION = RemoteAction("action_answer_faq", None)


def test_a_valid_action_answer_is_accepted() -> None:
    answer = {
        "events": [{"event": "slot", "name": "handoff_offered", "value": True}],
        "responses": [{"text": "We are open 8-5."}],
    }
    assert _validate_action_result(ACTION, answer) is True


def test_an_invalid_action_answer_fails_with_rasas_own_message() -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _validate_action_result(ACTION, {"events": "not a list"})


def test_event_classes_resolve_as_rasa_resolves_them() -> None:
    for name in ("user", "action", "slot", "session_started", "bot"):
        assert _resolve_event_type(name) is Event.resolve_by_type(name)
    assert _resolve_event_type("no_such_event", default=SlotSet) is SlotSet
    # The default given once is never remembered as the class of that name.
    with pytest.raises(ValueError, match="Unknown event name"):
        _resolve_event_type("no_such_event")


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("what are your hours", {"name": "faq", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer_faq"))
    return tracker


def test_a_conversation_saved_by_one_store_is_read_by_another(tmp_path: Path) -> None:
    """Two Rasa processes (or a restart) share the file: what one saved, the next one reads in full."""
    path = tmp_path / "tracker.db"
    writer = ConversationStore(Domain.empty(), dialect="sqlite", db=str(path))
    tracker = _conversation("+15550001111")
    asyncio.run(writer.save(tracker))
    tracker.update(UserUttered("thanks", {"name": "thank", "confidence": 0.9}))
    asyncio.run(writer.save(tracker))  # only the new event is appended

    reader = ConversationStore(Domain.empty(), dialect="sqlite", db=str(path))
    restored = asyncio.run(reader.retrieve("+15550001111"))
    assert restored is not None
    assert [e.as_dict()["event"] for e in restored.events] == ["action", "user", "action", "user"]
    assert restored.latest_message.text == "thanks"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


HOLDER = """
import asyncio, sys
from bot.server.lock_store import HostLockStore

async def hold():
    async with HostLockStore(path=sys.argv[1]).lock(sys.argv[2]):
        print("held", flush=True)
        sys.stdin.readline()  # until the test lets go, or kills this worker

asyncio.run(hold())
"""


def _other_stripe(store: HostLockStore, conversation: str) -> str:
    return next(f"c{n}" for n in range(1000) if store._stripe(f"c{n}") != store._stripe(conversation))


async def _take(store: HostLockStore, conversation: str, lifetime: float) -> None:
    async with store.lock(conversation, lock_lifetime=lifetime):
        pass


def test_a_conversation_locked_by_one_worker_waits_in_another_until_it_lets_go_or_dies(tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    worker = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(locks), "+15550001111"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        assert worker.stdout.readline().strip() == "held"
        store = HostLockStore(path=str(locks))
        with pytest.raises(LockError):
            asyncio.run(_take(store, "+15550001111", lifetime=0.3))
        asyncio.run(_take(store, _other_stripe(store, "+15550001111"), lifetime=0.3))  # others go on
        worker.kill()  # a worker dying mid-turn must not leave the conversation locked
        worker.wait()
        asyncio.run(_take(store, "+15550001111", lifetime=30))
    finally:
        worker.kill()


def test_one_workers_messages_for_a_conversation_run_one_at_a_time_in_arrival_order(tmp_path: Path) -> None:
    store = HostLockStore(path=str(tmp_path))
    seen: list[str] = []

    async def turn(n: int) -> None:
        async with store.lock("+15550001111"):
            seen.append(f"start {n}")
            await asyncio.sleep(0.01)  # a turn awaits its action server
            seen.append(f"end {n}")

    async def main() -> None:
        await asyncio.gather(*(turn(n) for n in range(5)))

    asyncio.run(main())
    assert seen == [f"{edge} {n}" for n in range(5) for edge in ("start", "end")]
