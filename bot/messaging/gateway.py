"""The SMS gateway: send one text and say plainly what became of it.

`SendResult.status` is what a caller needs to decide the next step:
- ACCEPTED: the provider took the message (it has a `sid`); delivery updates come by status callback.
- RETRY: nothing went out (429, connection refused); safe to send again later, with backoff.
- FAILED: final (e.g. 21610 recipient opted out, 30006 landline, invalid number); never resend.
- UNKNOWN: the request left but no answer came (read timeout, 5xx): it may have gone out, so it must
  be reconciled (`Reconcilable.find_sent`), not blindly resent.
"""

from __future__ import annotations

import enum
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

import requests

from bot.settings import Settings

log = logging.getLogger(__name__)

# Twilio error codes after which the same message must never be tried again.
FINAL_ERROR_CODES = frozenset({21211, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007})
OPTED_OUT_CODE = 21610


class SendStatus(str, enum.Enum):
    ACCEPTED = "accepted"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    sid: str | None = None
    error_code: int | None = None
    retry_after: float | None = None  # seconds, when the provider said so (Retry-After)
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.status is SendStatus.ACCEPTED


class SmsGateway(Protocol):
    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        """Send `body` to the E.164 number `to`; `status_callback` is where delivery updates go."""
        ...


@runtime_checkable
class Reconcilable(Protocol):
    def find_sent(self, to: str, body: str, since: datetime) -> list[str]:
        """Sids of messages the provider holds for `to` with exactly `body`, created at or after `since`."""
        ...


class TwilioGateway:
    """Twilio's Messages REST API over plain HTTP with one pooled connection per thread;
    `api_base` is configurable so tests point it at a local fake."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_base: str = "https://api.twilio.com",
        timeout: tuple[float, float] = (5.0, 15.0),
    ) -> None:
        self.account_sid = account_sid
        self.from_number = from_number
        self.url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = (account_sid, auth_token)
        self._timeout = timeout
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        data = {"To": to, "From": self.from_number, "Body": body}
        if status_callback:
            data["StatusCallback"] = status_callback
        try:
            response = self._session().post(self.url, data=data, auth=self._auth, timeout=self._timeout)
        except requests.ConnectionError as exc:
            # ConnectTimeout is a ConnectionError too: the request never reached the provider.
            if isinstance(exc, requests.ReadTimeout):
                return SendResult(SendStatus.UNKNOWN, detail="timeout")
            return SendResult(SendStatus.RETRY, detail="connection error")
        except requests.Timeout:
            return SendResult(SendStatus.UNKNOWN, detail="timeout")
        return _interpret(response)

    def find_sent(self, to: str, body: str, since: datetime) -> list[str]:
        params = {"To": to, "From": self.from_number, "DateSent>": f"{since:%Y-%m-%d}", "PageSize": "200"}
        response = self._session().get(self.url, params=params, auth=self._auth, timeout=self._timeout)
        response.raise_for_status()
        found = []
        for message in response.json().get("messages", []):
            created = parsedate_to_datetime(message["date_created"])
            if message.get("body") == body and created >= since:
                found.append((created, message["sid"]))
        return [sid for _created, sid in sorted(found)]


def _interpret(response: requests.Response) -> SendResult:
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    code = payload.get("code") if isinstance(payload, dict) else None
    code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    if response.status_code in (200, 201):
        return SendResult(SendStatus.ACCEPTED, sid=payload.get("sid"))
    if response.status_code == 429 or code == 20429:
        return SendResult(
            SendStatus.RETRY, error_code=code or 429, retry_after=_retry_after(response), detail="rate limited"
        )
    if response.status_code >= 500:
        # The provider may have queued the message before failing: do not resend blindly.
        return SendResult(SendStatus.UNKNOWN, error_code=code, detail=f"http {response.status_code}")
    if code in FINAL_ERROR_CODES or response.status_code in (400, 404):
        return SendResult(SendStatus.FAILED, error_code=code, detail=str(payload.get("message", ""))[:200])
    return SendResult(SendStatus.FAILED, error_code=code, detail=f"http {response.status_code}")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


class ConsoleGateway:
    """SMS_GATEWAY=console, the default on a machine with no Twilio settings (development, demos): prints
    what it would send. `nightingale up` says so at start; a deployment configured for Twilio never falls
    back to it (`bot.settings` refuses to start without the credentials)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        self.sent.append((to, body))
        print(f"[sms to {to}] {body}", flush=True)
        return SendResult(SendStatus.ACCEPTED, sid=f"CONSOLE{uuid.uuid4().hex}")


def gateway_from_settings(settings: Settings) -> SmsGateway:
    if settings.twilio_enabled:
        return TwilioGateway(
            settings.twilio_account_sid or "",
            settings.twilio_auth_token or "",
            settings.twilio_from_number or "",
            settings.twilio_api_base,
        )
    log.warning("SMS_GATEWAY=console: texts are printed, not delivered")
    return ConsoleGateway()
