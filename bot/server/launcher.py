"""Rasa's command line as the stack runs it (`python -m bot.server.launcher run ...`), with two Rasa 3.6 hot
spots mended. Both keep Rasa's behaviour; they only stop repeating work whose answer never changes.

- Rasa checks every custom action's answer with `jsonschema.validate`, which first checks the schema itself
  against the 2020-12 meta-schema and only then the answer: 17 ms of CPU per action call on this machine, a
  third of the server's time under load. `jsonschema` advises a validator built once when one schema checks
  many instances; the answer is still validated in full, with the same error as before.
- Every event read back from the tracker store finds its class by walking all `Event` subclasses
  (`Event.resolve_by_type`): a conversation of 60 events walks the class tree 60 times per turn, 5% of
  the server's CPU. The class found for a type name is remembered; unknown names still go to Rasa.

One behaviour is added where Rasa has no hook for it: when the intent classifier suspected an emergency it
could not confirm (`emergency_suspected` in the parse), the patient is told 911 and 988 before the answer to
their request, which still comes (a confirmed emergency gets the full crisis reply and ends the request).

With `RASA_WORKERS` > 1 Sanic forks the workers from this process; `_as_worker` makes each one end on
SIGTERM at any time and die with its parent.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.process import die_with_parent
from bot.safety import suspected_emergency_note

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)
_unpatched_validate = RemoteAction._validate_action_result
_unpatched_resolve = Event.resolve_by_type
_unpatched_handle = MessageProcessor._handle_message_with_tracker
_event_classes: dict[str, type[Event]] = {}


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    # Same outcome as `jsonschema.validate` (the best-matching error); on an invalid answer Rasa's own
    # method runs, so the error carries Rasa's wording.
    if best_match(_VALIDATOR.iter_errors(result)) is None:
        return True
    return _unpatched_validate(self, result)


def _resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = _unpatched_resolve(type_name, default)
    # Only a class that really carries the name is remembered, never the caller's default.
    if found is not None and found.type_name == type_name:
        _event_classes[type_name] = found
    return found


async def _handle_message_with_tracker(
    self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker
) -> None:
    """After NLU: when the classifier suspected an emergency it could not confirm, the patient is told 911 and
    988 first, and the turn goes on to answer what they asked (a confirmed emergency gets the crisis reply)."""
    await _unpatched_handle(self, message, tracker)
    note = suspected_emergency_note(tracker.latest_message.parse_data if tracker.latest_message else {})
    if note is None:
        return
    tracker.update(BotUttered(note))
    if message.output_channel is not None:
        await message.output_channel.send_text_message(message.sender_id, note)


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_type)
    MessageProcessor._handle_message_with_tracker = _handle_message_with_tracker


def _as_worker() -> None:
    """In each Sanic worker forked from this process. Until a worker has loaded its model and installed its
    own handler, SIGTERM would run the handler inherited from the parent, which only signals the parent's
    other workers: a worker stopped while still loading lived on and kept the parent waiting for it.
    The default action ends it; a parent killed outright takes its workers with it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()


def with_api_token(argv: list[str], token: str) -> list[str]:
    """Rasa takes its API token only as an argument. Added here, inside the process, it stays out of
    /proc/<pid>/cmdline (readable by every local user); the `=` form keeps any token from reading as an option."""
    return [*argv, f"--auth-token={token}"] if "--enable-api" in argv else argv


def main(argv: list[str]) -> int:
    from rasa.__main__ import main as rasa_main

    from bot.settings import get_settings

    install()
    os.register_at_fork(after_in_child=_as_worker)
    sys.argv = ["rasa", *with_api_token(argv, get_settings().rasa_auth_token)]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
