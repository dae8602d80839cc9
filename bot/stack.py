"""The running assistant: Rasa server, action server and reminder dispatcher as supervised child processes.

`Stack` writes Rasa's endpoints and credentials from the settings, starts each process in its own process
group, waits until Rasa answers, and on stop (Ctrl-C, SIGTERM, or any child dying) ends every one of them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from bot.process import die_with_parent
from bot.settings import PROJECT_ROOT, Settings

MODEL_PATH = PROJECT_ROOT / "models" / "nightingale.tar.gz"
SMS_CHANNEL = "bot.channels.sms.SmsInput"
WEB_CHANNEL = "bot.channels.webchat.WebChatInput"
# Off unless the operator sets REST_CHANNEL_TOKEN; Rasa's own "rest" channel is never enabled.
REST_CHANNEL = "bot.channels.rest.IntegrationInput"


TRACKER_STORE = "bot.server.tracker_store.ConversationStore"


def tracker_store_config(url: str) -> dict:
    """Rasa's SQLTrackerStore takes the URL in pieces."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {"type": TRACKER_STORE, "dialect": "sqlite", "db": parsed.database}
    return {
        "type": TRACKER_STORE,
        "dialect": parsed.drivername,
        "url": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }


def lock_store_config(settings: Settings) -> dict | None:
    """Rasa keeps one message per conversation in flight; several Rasa processes must share that lock."""
    if settings.redis_url:  # processes on several machines
        parsed = make_url(settings.redis_url)
        return {
            "type": "redis",
            "url": parsed.host,
            "port": parsed.port or 6379,
            "db": int(parsed.database or 0),
            "password": parsed.password,
        }
    if settings.rasa_workers > 1:  # workers on this machine
        return {"type": "bot.server.lock_store.HostLockStore", "path": str(settings.data_dir / "locks")}
    return None


def write_rasa_config(settings: Settings) -> tuple[Path, Path]:
    """Rasa reads files; ours are derived from the settings each start, never edited by hand."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    endpoints: dict = {
        "action_endpoint": {"url": f"http://127.0.0.1:{settings.action_port}/webhook"},
        "tracker_store": tracker_store_config(settings.tracker_store_url),
    }
    lock_store = lock_store_config(settings)
    if lock_store:
        endpoints["lock_store"] = lock_store
    endpoints_path = settings.data_dir / "endpoints.yml"
    credentials_path = settings.data_dir / "credentials.yml"
    endpoints_path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    channels: dict[str, dict] = {
        SMS_CHANNEL: {},
        WEB_CHANNEL: {"session_max_age_hours": settings.webchat_session_hours},
    }
    if settings.rest_channel_token:
        channels[REST_CHANNEL] = {}
    credentials_path.write_text(yaml.safe_dump(channels, sort_keys=False))
    return endpoints_path, credentials_path


def commands(settings: Settings, model: Path) -> dict[str, list[str]]:
    endpoints, credentials = write_rasa_config(settings)
    bin_dir = Path(sys.executable).parent
    return {
        "actions": [
            str(bin_dir / "rasa"),
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(settings.action_port),
        ],
        "rasa": [
            sys.executable,
            "-m",
            "bot.server.launcher",
            "run",
            "--model",
            str(model),
            "--port",
            str(settings.rasa_port),
            "--credentials",
            str(credentials),
            "--endpoints",
            str(endpoints),
            # The HTTP API only ever runs behind a token (CVE-2024-49375); the launcher reads the token
            # from the data folder, so it never shows in any process's command line.
            "--enable-api",
            *(["--cors", *settings.cors_origins] if settings.cors_origins else []),
        ],
        "dispatcher": [sys.executable, "-m", "bot.reminders.dispatcher"],
        "console": [sys.executable, "-m", "bot.console"],
    }


def process_env(settings: Settings) -> dict[str, dict[str, str]]:
    """Rasa's and rasa-sdk's own knobs, which they read from their environment."""
    return {
        "rasa": {"SANIC_WORKERS": str(settings.rasa_workers)},
        # Only Rasa on this machine calls the action server: it listens on loopback, not on every interface.
        "actions": {"SANIC_HOST": "127.0.0.1"},
    }


@dataclass
class Stack:
    settings: Settings
    env: dict[str, str]
    model: Path = MODEL_PATH
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, timeout: float = 300.0) -> None:
        extra_env = process_env(self.settings)
        for name, argv in commands(self.settings, self.model).items():
            out = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                out = open(self.log_dir / f"{name}.log", "ab")
            self.processes[name] = subprocess.Popen(
                argv,
                cwd=PROJECT_ROOT,
                env={**self.env, **extra_env.get(name, {})},
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probes = {
            "rasa": f"http://127.0.0.1:{self.settings.rasa_port}/",
            "actions": f"http://127.0.0.1:{self.settings.action_port}/health",
            "console": f"http://127.0.0.1:{self.settings.console_port}/signin",
        }
        pending = dict(probes)
        while pending:
            self.check_alive()
            for name, url in list(pending.items()):
                if _answers(url):
                    del pending[name]
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")
            time.sleep(0.5)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}{self._log_tail(name)}")

    def _log_tail(self, name: str, lines: int = 15) -> str:
        if self.log_dir is None:
            return ""  # its output went to this terminal
        log = self.log_dir / f"{name}.log"
        tail = log.read_text(errors="replace").splitlines()[-lines:] if log.exists() else []
        return "; its log ends:\n" + "\n".join(tail)

    def stop(self, grace: float = 15.0) -> None:
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
