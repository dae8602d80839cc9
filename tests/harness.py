"""The whole assistant started on free ports in a scratch folder, for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

from bot.schema import migrate
from bot.settings import Settings, load_settings, new_secret
from bot.stack import MODEL_PATH, Stack
from tests.fake_twilio import FakeTwilio
from tests.twilio_payloads import inbound_sms, signature


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(root_pids: list[int]) -> list[int]:
    """Every live process under the given roots (from /proc, no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
    seen, stack = [], list(root_pids)
    while stack:
        pid = stack.pop()
        seen.append(pid)
        stack.extend(children.get(pid, []))
    return seen


class RunningAssistant:
    """What a patient reaches: Rasa with our channels, the action server, the dispatcher, a migrated
    database holding the demo clinic, and a fake Twilio behind the SMS gateway."""

    def __init__(self, settings: Settings, twilio: FakeTwilio, stack: Stack) -> None:
        self.settings = settings
        self.twilio = twilio
        self.stack = stack
        self.rasa_url = f"http://127.0.0.1:{settings.rasa_port}"
        self.database_url = settings.database_url

    def say(self, sender: str, text: str) -> list[dict]:
        """One turn over the REST channel, authenticated as an integration (its conversation is `api:<sender>`)."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers=self.rest_headers,
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def text(self, sender: str, body: str, signed: bool = True) -> requests.Response:
        """A text from `sender` as Twilio delivers it: every field, blanks included, signed with the auth token."""
        url = f"{self.settings.public_base_url}/webhooks/sms/webhook"
        form = inbound_sms(sender, body, to=self.twilio.from_number, account_sid=self.twilio.account_sid)
        headers = {"X-Twilio-Signature": signature(self.twilio.auth_token, url, form)} if signed else {}
        return requests.post(url, data=form, headers=headers, timeout=30)

    def texts_to(self, number: str, count: int, timeout: float = 30.0) -> list[str]:
        """The texts sent to `number` so far, waiting up to `timeout` for at least `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            bodies = [m["Body"] for m in self.twilio.sent if m["To"] == number]
            if len(bodies) >= count or time.monotonic() > deadline:
                return bodies
            time.sleep(0.2)

    @property
    def rest_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.rest_channel_token}"}


@contextmanager
def running_assistant(
    data_dir: Path, model: Path = MODEL_PATH, overrides: Mapping[str, str] | None = None
) -> Iterator[RunningAssistant]:
    from bot.scheduling.demo import load_demo

    if not model.exists():
        raise FileNotFoundError(f"no trained model at {model}: `make test` trains it first")
    with FakeTwilio() as twilio:
        rasa_port = free_port()
        env = {
            **os.environ,
            "NIGHTINGALE_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'nightingale.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data_dir / 'tracker.db'}",
            "RASA_PORT": str(rasa_port),
            "ACTION_PORT": str(free_port()),
            "CONSOLE_PORT": str(free_port()),  # two stacks at once (a session's and a test's) must not collide
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{rasa_port}",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": twilio.from_number,
            "TWILIO_API_BASE": twilio.base_url,
            "REST_CHANNEL_TOKEN": new_secret(),
            **(overrides or {}),
        }
        settings = load_settings(env)
        migrate(settings.database_url)
        load_demo(settings.database_url)
        stack = Stack(settings=settings, env=env, model=model, log_dir=data_dir / "logs")
        stack.start()
        try:
            yield RunningAssistant(settings, twilio, stack)
        finally:
            stack.stop()
