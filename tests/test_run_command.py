"""`nightingale up` (what `make run` ends in) brings everything up and Ctrl-C leaves nothing running."""

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from bot.stack import MODEL_PATH
from tests.harness import free_port, process_tree

pytestmark = pytest.mark.rasa
REST_TOKEN = "integration-" + "7" * 32


def _start(tmp_path: Path, **settings: str) -> tuple[subprocess.Popen, list[str], int]:
    """`nightingale up` as an operator starts it, once it has printed that it is ready."""
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}: `make test` trains it first")
    port = free_port()
    env = {
        **os.environ,
        "NIGHTINGALE_DATA_DIR": str(tmp_path),
        "RASA_PORT": str(port),
        "ACTION_PORT": str(free_port()),
        **settings,
    }
    env["PYTHONUNBUFFERED"] = "1"  # read its lines as it prints them
    up = subprocess.Popen(
        [str(Path(sys.executable).parent / "nightingale"), "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    # A thread drains its output: select() on a buffered pipe misses lines already read into the buffer.
    threading.Thread(target=lambda: printed.extend(up.stdout), daemon=True).start()
    deadline = time.monotonic() + 600  # generous: a loaded 2-core machine takes minutes
    while not any("Press Ctrl-C" in line for line in list(printed)):
        if time.monotonic() > deadline or up.poll() is not None:
            _interrupt(up)
            pytest.fail("".join(printed))
        time.sleep(0.5)
    return up, printed, port


def _interrupt(up: subprocess.Popen) -> None:
    if up.poll() is None:
        up.send_signal(signal.SIGINT)
        up.wait(90)


def _all_gone(pids: list[int], within: float = 60) -> list[int]:
    deadline = time.monotonic() + within
    while (alive := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    return alive


def test_ctrl_c_stops_every_process_it_started(tmp_path: Path) -> None:
    # An earlier install kept a token starting with "-", which `rasa run --auth-token` read as an option.
    (tmp_path / "rasa_token").write_text("-c3vQx_kept-by-an-old-install")
    up, printed, port = _start(tmp_path)
    try:
        assert requests.get(f"http://127.0.0.1:{port}/chat/", timeout=5).status_code == 200
        started = process_tree([up.pid])
        assert len(started) >= 4  # the command itself, Rasa, the action server, the dispatcher
        token = (tmp_path / "rasa_token").read_text()
        assert not token.startswith("-")
        assert [pid for pid in started if token in _command_line(pid)] == []  # no local user can read it
        for name in ("nightingale.db", "tracker.db", "rasa_token", "secret_key"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        up.send_signal(signal.SIGINT)
        up.wait(60)
    finally:
        _interrupt(up)  # a failed assertion above: stop it the way an operator would
    assert up.returncode == 0
    assert f"web chat:      http://localhost:{port}/chat/" in "".join(printed)
    assert "console: texts are NOT delivered" in "".join(printed)  # a fresh machine says where texts go
    assert _all_gone(started) == []


def test_a_deployment_set_for_twilio_without_its_credentials_refuses_to_start(tmp_path: Path) -> None:
    env = {**os.environ, "NIGHTINGALE_DATA_DIR": str(tmp_path), "SMS_GATEWAY": "twilio", "TWILIO_ACCOUNT_SID": "AC1"}
    env.pop("TWILIO_AUTH_TOKEN", None)
    up = subprocess.run(
        [str(Path(sys.executable).parent / "nightingale"), "up"], env=env, capture_output=True, text=True, timeout=120
    )
    assert up.returncode == 2
    assert "TWILIO_AUTH_TOKEN" in up.stderr and "refusing to start" in up.stderr


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_two_rasa_workers_answer_and_a_killed_supervisor_leaves_nothing_running(tmp_path: Path) -> None:
    action_port = free_port()
    up, _, port = _start(tmp_path, RASA_WORKERS="2", ACTION_PORT=str(action_port), REST_CHANNEL_TOKEN=REST_TOKEN)
    try:
        reply = requests.post(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            json={"sender": "worker-test", "message": "what are your hours"},
            headers={"Authorization": f"Bearer {REST_TOKEN}"},
            timeout=60,
        )
        assert "hours" in reply.json()[0]["text"]
        assert _listening_addresses(action_port) == ["127.0.0.1"]  # Rasa's action server is not public
        started = process_tree([up.pid])
        assert len(started) >= 6  # the command, Rasa and its 2 workers, the action server, the dispatcher
        up.kill()  # no chance to clean up: the kernel must tell the children
        up.wait(10)
    finally:
        _interrupt(up)
    assert _all_gone(started) == []


def _listening_addresses(port: int) -> list[str]:
    """Local addresses of the TCP sockets listening on `port`, from /proc/net/tcp (IPv4)."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.append(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return sorted(set(found))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping is left
