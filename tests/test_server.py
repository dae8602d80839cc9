"""The Rasa server as the stack runs it: its mended hot spots behave exactly as Rasa's own code, and
conversations kept in the SQLite tracker store survive the process that wrote them."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server import _resolve_event_type, _validate_action_result
from bot.tracker_store import ConversationStore

ACTION = RemoteAction("action_answer_faq", None)


def test_a_valid_action_answer_is_accepted() -> None:
    answer = {"events": [{"event": "slot", "name": "handoff_offered", "value": True}],
              "responses": [{"text": "We are open 8-5."}]}
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
