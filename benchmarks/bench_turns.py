"""Turn latency and throughput over Rasa's REST channel with the action server in the loop,
and the peak memory of the whole running assistant, with one Rasa process (the default) and with two.

    .venv/bin/python -m benchmarks.bench_turns
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

import requests

from benchmarks.common import peak_rss_mb, save, summary_ms
from tests.harness import running_assistant

# A patient-like mix: FAQ answers (action server + profile), rules, a fallback, a hand-off.
MESSAGES = [
    "hi",
    "what are your hours",
    "where are you located",
    "do you take aetna",
    "is there parking",
    "are you a bot",
    "what can you do",
    "how do i get my medical records",
    "thanks",
    "bye",
]
SEQUENTIAL_TURNS = 500
CONCURRENT_CONVERSATIONS = 20
TURNS_PER_CONVERSATION = 25


@dataclass(frozen=True)
class Rest:
    """The REST channel as an integration calls it: its address and bearer token."""

    url: str
    headers: dict[str, str]


def turn(session: requests.Session, rest: Rest, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = session.post(rest.url, json={"sender": sender, "message": text}, headers=rest.headers, timeout=60)
    response.raise_for_status()
    if not response.json():
        raise RuntimeError("empty reply")
    return time.perf_counter() - started


def sequential(url: Rest) -> list[float]:
    with requests.Session() as session:
        texts = cycle(MESSAGES)
        # A new conversation every 10 turns, as patients come and go.
        return [turn(session, url, f"seq-{i // 10}", next(texts)) for i in range(SEQUENTIAL_TURNS)]


def concurrent(url: Rest) -> tuple[int, int, float]:
    def conversation(index: int) -> tuple[int, int]:
        ok = errors = 0
        with requests.Session() as session:
            for text in (MESSAGES * 3)[:TURNS_PER_CONVERSATION]:
                try:
                    turn(session, url, f"conc-{index}", text)
                    ok += 1
                except Exception:  # any failure counts; the figure is the error count
                    errors += 1
        return ok, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT_CONVERSATIONS) as pool:
        results = list(pool.map(conversation, range(CONCURRENT_CONVERSATIONS)))
    elapsed = time.perf_counter() - started
    return sum(r[0] for r in results), sum(r[1] for r in results), elapsed


def measure(workers: int) -> dict:
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_assistant(Path(scratch), overrides={"RASA_WORKERS": str(workers)}) as assistant,
    ):
        url = Rest(f"{assistant.rasa_url}/webhooks/rest/webhook", assistant.rest_headers)
        for text in MESSAGES * workers:
            # Warm-up (first calls load lazily initialised parts), a connection each to reach every worker.
            with requests.Session() as fresh:
                turn(fresh, url, "warmup", text)
        latencies = sequential(url)
        ok, errors, elapsed = concurrent(url)
        memory = peak_rss_mb([p.pid for p in assistant.stack.processes.values()])
    return {
        "sequential": summary_ms(latencies),
        "concurrent": {
            "conversations": CONCURRENT_CONVERSATIONS,
            "messages": ok + errors,
            "errors": errors,
            "messages_per_s": round(ok / elapsed, 1),
        },
        "peak_rss_mb_all_processes": memory,
    }


def main() -> None:
    # The default (one Rasa process) and one worker per core of this 2-core machine.
    save("turns", {f"rasa_workers_{n}": measure(n) for n in (1, 2)})


if __name__ == "__main__":
    main()
