"""A fake Twilio REST server on loopback: real HTTP, the Messages API, scripted failures.

    with FakeTwilio() as fake:
        fake.script(429, "ok", "timeout", 21610)   # the next requests' answers, in order
        ... point TWILIO_API_BASE at fake.base_url ...
        fake.sent  # accepted messages: [{"To", "From", "Body", "sid", ...}]

Scripted answers: "ok" (201), 429 (rate limited), 500 (server error, nothing sent), "timeout" (the
message IS accepted but the answer comes only after `timeout_delay` seconds: an unknown outcome for
the client), 21610 (recipient opted out), 30006 (landline), and any other int as a 400 error code.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")


class FakeTwilio:
    def __init__(self, latency: float = 0.0, timeout_delay: float = 2.0) -> None:
        self.account_sid = "AC" + uuid.uuid4().hex
        self.auth_token = uuid.uuid4().hex
        self.from_number = "+15550009999"
        self.latency = latency
        self.timeout_delay = timeout_delay
        self.sent: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self._script: deque[str | int] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *responses: str | int) -> None:
        with self._lock:
            self._script.extend(responses)

    def env(self) -> dict[str, str]:
        """Environment variables that point the project's settings at this server."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM_NUMBER": self.from_number,
            "TWILIO_API_BASE": self.base_url,
        }

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- request handling -------------------------------------------------------------------------
    def _authorised(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}"

    def _next_answer(self) -> str | int:
        with self._lock:
            return self._script.popleft() if self._script else "ok"

    def _create(self, form: dict[str, str]) -> tuple[int, dict[str, Any], float]:
        """(HTTP status, JSON answer, delay before answering)."""
        self.requests.append(dict(form))
        answer = self._next_answer()
        if answer in ("ok", "timeout"):
            message = {
                "sid": "SM" + uuid.uuid4().hex,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "date_created": format_datetime(datetime.now(timezone.utc)),
            }
            with self._lock:
                self.sent.append({**form, "sid": message["sid"], "date_created": message["date_created"]})
            return 201, message, self.timeout_delay if answer == "timeout" else 0.0
        if answer == 429:
            return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}, 0.0
        if answer == 500:
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}, 0.0
        messages = {21610: "Attempt to send to unsubscribed recipient", 30006: "Landline or unreachable carrier"}
        return 400, {"code": int(answer), "message": messages.get(int(answer), "error"), "status": 400}, 0.0

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        to = query.get("To", [None])[0]
        with self._lock:
            found = [m for m in self.sent if to is None or m.get("To") == to]
        return {
            "messages": [
                {
                    "sid": m["sid"],
                    "to": m["To"],
                    "from": m.get("From"),
                    "body": m.get("Body"),
                    "date_created": m["date_created"],
                }
                for m in reversed(found)
            ]
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle + delayed ACK stall each answer ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, *_args: object) -> None:  # keep test output clean
                pass

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a scripted timeout)

            def _route(self) -> bool:
                match = PATH.match(urlparse(self.path).path)
                if not match or match["sid"] != fake.account_sid:
                    self._answer(404, {"code": 20404, "message": "Not found"})
                    return False
                if not fake._authorised(self.headers.get("Authorization")):
                    self._answer(401, {"code": 20003, "message": "Authenticate"})
                    return False
                return True

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                if len(raw) < length:
                    # The client died mid-request (a SIGKILLed dispatcher): Twilio never sees a
                    # truncated request as a message, so neither do we.
                    self.close_connection = True
                    return
                if not self._route():
                    return
                if fake.latency:
                    time.sleep(fake.latency)
                form = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
                if not form.get("To") or not form.get("Body"):
                    self._answer(400, {"code": 21604, "message": "A 'To' phone number and a Body are required"})
                    return
                status, payload, delay = fake._create(form)
                if delay:
                    time.sleep(delay)
                self._answer(status, payload)

            def do_GET(self) -> None:  # noqa: N802
                if self._route():
                    self._answer(200, fake._list(parse_qs(urlparse(self.path).query)))

        return Handler
