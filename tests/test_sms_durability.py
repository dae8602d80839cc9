"""A text Twilio got its 200 for is answered exactly once, even if Rasa is killed before it could answer.

Twilio never retries an acknowledged webhook, so the text must already be stored when the 200 leaves.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.messaging.models import InboundMessage
from bot.process import die_with_parent
from bot.settings import PROJECT_ROOT
from bot.stack import commands, process_env
from tests.harness import running_assistant

pytestmark = pytest.mark.rasa
LEASE_SECONDS = 3


def restart_rasa(assistant, log: Path) -> None:
    """Start the Rasa process again the way the stack starts it (a service manager's restart)."""
    stack, settings = assistant.stack, assistant.settings
    stack.processes["rasa"] = subprocess.Popen(
        commands(settings, stack.model)["rasa"],
        cwd=PROJECT_ROOT,
        env={**stack.env, **process_env(settings)["rasa"]},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    stack.wait_ready(300)


def test_rasa_killed_right_after_the_200_answers_once_after_restart(tmp_path: Path) -> None:
    number = "+15550177701"
    with running_assistant(tmp_path, overrides={"SMS_INBOUND_LEASE_SECONDS": str(LEASE_SECONDS)}) as assistant:
        rasa, actions = assistant.stack.processes["rasa"], assistant.stack.processes["actions"]
        os.killpg(actions.pid, signal.SIGSTOP)  # the FAQ answer waits on the action server: the turn cannot end
        try:
            assert assistant.text(number, "what are your hours").status_code == 200
            time.sleep(1.0)  # Rasa has taken the text and is waiting on the action
            os.killpg(rasa.pid, signal.SIGKILL)
            rasa.wait(30)
        finally:
            os.killpg(actions.pid, signal.SIGCONT)
        assert assistant.texts_to(number, 1, timeout=0.5) == []  # nothing was answered before the crash
        with transaction(assistant.database_url) as s:
            (pending,) = s.execute(select(InboundMessage).where(InboundMessage.from_number == number)).scalars()
            assert pending.body == "what are your hours" and pending.handled_at is None

        restart_rasa(assistant, tmp_path / "logs" / "rasa.log")
        (reply,) = assistant.texts_to(number, 1, timeout=120)
        assert "8:00 AM-5:00 PM" in reply, reply  # the hours, from the clinic profile
        time.sleep(3 * LEASE_SECONDS)  # further rounds of the take-over find nothing more to do
        assert len(assistant.texts_to(number, 2, timeout=0)) == 1
        with transaction(assistant.database_url) as s:
            handled = s.execute(select(InboundMessage).where(InboundMessage.from_number == number)).scalar_one()
            assert handled.handled_at is not None and handled.body is None
