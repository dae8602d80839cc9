"""A patient's phone for the console's browser tests: signed Twilio-shaped texts in, the fake Twilio's texts out."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from twilio.request_validator import RequestValidator

from tests.harness import RunningAssistant


def wait_for(found: Callable[[], object], what: str, timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never happened: {what}")


class Phone:
    """A patient's phone: texts go to the SMS webhook signed as Twilio signs them; answers land in the fake."""

    def __init__(self, assistant: RunningAssistant, number: str) -> None:
        self.assistant, self.number, self.count = assistant, number, 0

    def text(self, body: str) -> None:
        self.count += 1
        url = f"{self.assistant.settings.public_base_url}/webhooks/sms/webhook"
        params = {
            "MessageSid": f"SMconsole{self.count:04d}",
            "From": self.number,
            "To": self.assistant.twilio.from_number,
            "AccountSid": self.assistant.twilio.account_sid,
            "NumMedia": "0",
            "Body": body,
        }
        signature = RequestValidator(self.assistant.twilio.auth_token).compute_signature(url, params)
        requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10).raise_for_status()

    def received(self) -> list[str]:
        return [m["Body"] for m in self.assistant.twilio.sent if m["To"] == self.number]

    def wait_for_text(self, fragment: str) -> None:
        wait_for(lambda: any(fragment in body for body in self.received()), f"a text with {fragment!r}")
