"""`nightingale up` (what `make run` ends in) brings everything up and Ctrl-C leaves nothing running."""
import os
import signal
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


def test_ctrl_c_stops_every_process_it_started(tmp_path: Path) -> None:
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}: `make test` trains it first")
    port = free_port()
    env = {**os.environ, "NIGHTINGALE_DATA_DIR": str(tmp_path), "RASA_PORT": str(port),
           "ACTION_PORT": str(free_port())}
    env["PYTHONUNBUFFERED"] = "1"  # read its lines as it prints them
    up = subprocess.Popen([str(Path(sys.executable).parent / "nightingale"), "up"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed: list[str] = []
    # A thread drains its output: select() on a buffered pipe misses lines already read into the buffer.
    reader = threading.Thread(target=lambda: printed.extend(up.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 600  # generous: a loaded 2-core machine takes minutes
        while not any("Press Ctrl-C" in line for line in list(printed)):
            assert time.monotonic() < deadline and up.poll() is None, "".join(printed)
            time.sleep(0.5)
        assert requests.get(f"http://127.0.0.1:{port}/chat/", timeout=5).status_code == 200
        started = process_tree([up.pid])
        assert len(started) >= 4  # the command itself, Rasa, the action server, the dispatcher

        up.send_signal(signal.SIGINT)
        up.wait(60)
        reader.join(10)
    finally:
        if up.poll() is None:  # a failed assertion above: stop it the way an operator would
            up.send_signal(signal.SIGINT)
            up.wait(90)
    assert up.returncode == 0
    assert f"web chat:      http://localhost:{port}/chat/" in "".join(printed)
    time.sleep(0.5)
    assert [pid for pid in started if _alive(pid)] == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping is left
