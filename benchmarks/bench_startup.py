"""Time from the run command to the web chat page answering; with --train, training from scratch too.

.venv/bin/python -m benchmarks.bench_startup [--train]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.common import save
from bot.settings import PROJECT_ROOT, new_secret
from tests.harness import free_port

BIN = Path(sys.executable).parent


def training_seconds(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "rasa"),
            "train",
            "--force",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--config",
            "config.yml",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def startup_seconds(data_dir: Path) -> float:
    """`nightingale up` (migrations, demo clinic, three processes) until the page and a chat turn answer."""
    port = free_port()
    token = new_secret()
    env = {
        **os.environ,
        "NIGHTINGALE_DATA_DIR": str(data_dir),
        "RASA_PORT": str(port),
        "ACTION_PORT": str(free_port()),
        "REST_CHANNEL_TOKEN": token,
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "nightingale"), "up"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError("nightingale up exited early")
            try:
                page = requests.get(f"http://127.0.0.1:{port}/chat/", timeout=2)
                reply = requests.post(
                    f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                    json={"sender": "bench", "message": "what are your hours"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=10,
                )
                if page.status_code == 200 and reply.ok and reply.json():
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.25)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="also time `rasa train --force` (about 15 min here)")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as scratch:
        if args.train:
            figures["training_from_scratch_s"] = round(training_seconds(Path(scratch) / "models"), 1)
        figures["run_command_to_page_answering_s"] = round(startup_seconds(Path(scratch) / "var"), 1)
    save("startup", figures)


if __name__ == "__main__":
    main()
