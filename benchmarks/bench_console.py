"""Staff console page load times for a large clinic: 10,000 patients, 100,000 reminder outbox rows.

    .venv/bin/python -m benchmarks.bench_console [--postgres] [--patients 10000] [--outbox 100000] [--loads 40]

Starts the console process (`python -m bot.console`) on a scratch database holding the demo clinic plus the
generated patients, outbox rows, texts, opt-outs and inbox items, signs in over HTTP, and loads each page
`--loads` times in turn: p50 / p95 / max per page (the goal is p95 under 200 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import insert, select

from benchmarks.common import save, summary_ms
from bot.console import accounts
from bot.db import engine_for, transaction, utcnow
from bot.messaging.models import ConsentAction, ConsentEvent, SmsMessage
from bot.models import HandoffRequest, Patient, SafetyEvent
from bot.reminders.models import OutboxStatus, RefillRequest, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from bot.scheduling.demo import load_demo
from bot.schema import migrate
from bot.settings import PROJECT_ROOT
from tests.databases import scratch_pg_database
from tests.harness import free_port

PASSWORD = "benchmark password"
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Lopez", "Wilson"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "June"]
REASONS: dict[OutboxStatus, list[str | None]] = {
    OutboxStatus.SKIPPED: ["opted out", "quiet hours", "daily cap reached", "cancelled: plan paused"],
    OutboxStatus.FAILED: ["landline (30006)", "invalid number (21211)"],
    OutboxStatus.SENT: [None],
    OutboxStatus.PENDING: [None],
}


def populate(url: str, patients: int, outbox: int) -> None:
    migrate(url)
    load_demo(url)
    rng = random.Random(7)
    now = utcnow()
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(
            insert(Patient),
            [
                {
                    "first_name": rng.choice(FIRST),
                    "last_name": f"{rng.choice(LAST)}{i % 97}",
                    "date_of_birth": date(1940, 1, 1) + timedelta(days=rng.randrange(25000)),
                    "mobile": f"+1555{2000000 + i:07d}",
                    "language": "en",
                    "time_zone": "America/New_York",
                    "sms_consent": True,
                    "created_at": now,
                }
                for i in range(patients)
            ],
        )
    with transaction(url) as session:
        ids = list(session.execute(select(Patient.id, Patient.mobile)).all())
    statuses = [OutboxStatus.SENT] * 6 + [OutboxStatus.SKIPPED] * 2 + [OutboxStatus.FAILED, OutboxStatus.PENDING]
    rows = []
    for i in range(outbox):
        status = rng.choice(statuses)
        patient_id, _ = rng.choice(ids)
        due = now - timedelta(minutes=rng.randrange(60 * 24 * 45)) + timedelta(days=2)
        rows.append(
            {
                "kind": ReminderKind.MEDICATION,
                "patient_id": patient_id,
                "occurrence": DoseOccurrence(datetime(2027, 1, 1) + timedelta(minutes=i)),
                "due_at": due,
                "status": status,
                "reason": rng.choice(REASONS[status]),
                "attempts": 1,
                "message_sid": f"SMbench{i}" if status is OutboxStatus.SENT else None,
                "sent_at": due if status is OutboxStatus.SENT else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(insert(ReminderOutbox), rows[start : start + 5000])
        conn.execute(
            insert(SmsMessage),
            [
                {
                    "sid": f"SMreply{i}",
                    "to_number": rng.choice(ids)[1],
                    "status": rng.choice(["delivered", "sent"]),
                    "created_at": now - timedelta(minutes=i),
                    "updated_at": now,
                }
                for i in range(2000)
            ],
        )
        conn.execute(
            insert(ConsentEvent),
            [
                {
                    "phone": rng.choice(ids)[1],
                    "action": ConsentAction.OPT_OUT,
                    "source": "keyword",
                    "created_at": now - timedelta(hours=i),
                }
                for i in range(500)
            ],
        )
        conn.execute(
            insert(HandoffRequest),
            [
                {
                    "conversation_id": f"+1555{3000000 + i:07d}",
                    "channel": "sms",
                    "reason": "asked",
                    "status": "open",
                    "created_at": now - timedelta(minutes=i),
                }
                for i in range(100)
            ],
        )
        conn.execute(
            insert(RefillRequest),
            [
                {
                    "patient_id": rng.choice(ids)[0],
                    "medication": "lisinopril",
                    "channel": "sms",
                    "status": "open",
                    "created_at": now - timedelta(minutes=i),
                }
                for i in range(50)
            ],
        )
        conn.execute(
            insert(SafetyEvent),
            [
                {
                    "conversation_id": f"web-{i}",
                    "channel": "webchat",
                    "category": "chest_pain",
                    "detected_by": "rule",
                    "acknowledged": False,
                    "created_at": now - timedelta(minutes=i),
                }
                for i in range(20)
            ],
        )
    with transaction(url) as session:
        account, one_time = accounts.create_staff(session, "bench", "admin", actor="benchmark")
        accounts.change_password(session, account.id, one_time, PASSWORD, PASSWORD)


@contextmanager
def console(url: str, data_dir: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "NIGHTINGALE_DATA_DIR": str(data_dir), "DATABASE_URL": url, "CONSOLE_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.console"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{base}/signin", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(10)


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def export_memory(browser: requests.Session, base: str, pid: int) -> dict[str, float]:
    """The console's resident memory before one full CSV export and its peak during it (Linux: writing 5 to
    clear_refs resets the peak), read as the bytes arrive in small pieces, as a browser saving a file would."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = _status_kb(pid, "VmRSS")
    started, size = time.perf_counter(), 0
    with browser.get(f"{base}/deliveries.csv", stream=True) as answer:
        for piece in answer.iter_content(64 * 1024):
            size += len(piece)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": size,
        "rss_before_mb": round(before / 1024, 1),
        "rss_peak_mb": round(_status_kb(pid, "VmHWM") / 1024, 1),
    }


def measure(base: str, loads: int, patient_id: int, pid: int) -> dict[str, dict]:
    browser = requests.Session()
    form = browser.get(f"{base}/signin").text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None, "no sign-in form"
    token = found.group(1)
    browser.post(f"{base}/signin", data={"name": "bench", "password": PASSWORD, "csrf": token})
    pages = [
        "/",
        "/inbox",
        "/inbox/items",
        "/inbox/handoff-1",
        "/deliveries",
        "/deliveries?status=skipped",
        "/deliveries?patient=smith",
        f"/deliveries?start={date.today() - timedelta(days=1)}&end={date.today()}",
        "/optouts",
        "/patients?q=smith",
        f"/patients/{patient_id}",
        "/schedule",
        "/schedule/providers",
        "/schedule/providers/1",
        "/schedule/visit-types",
        "/schedule/holidays",
        "/audit",
        "/clinic",
        "/reminders/policy",
    ]
    samples: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(loads):
        for page in pages:
            started = time.perf_counter()
            answer = browser.get(base + page)
            samples[page].append(time.perf_counter() - started)
            assert answer.status_code == 200, (page, answer.status_code)
    return {
        **{page: summary_ms(s) for page, s in samples.items()},
        "/deliveries.csv (all rows), memory": export_memory(browser, base, pid),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--outbox", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=40)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)

        def run(url: str) -> dict:
            populate(url, args.patients, args.outbox)
            with transaction(url) as session:
                patient_id = session.execute(select(Patient.id).order_by(Patient.id.desc())).scalar()
            with console(url, data_dir) as (base, pid):
                return measure(base, args.loads, patient_id, pid)

        if args.postgres:
            with scratch_pg_database("nightingale_bench") as url:
                figures = run(url)
        else:
            figures = run(f"sqlite:///{data_dir / 'nightingale.db'}")
    save(
        f"console_{'postgresql' if args.postgres else 'sqlite'}",
        {"patients": args.patients, "outbox": args.outbox, "loads": args.loads, "pages": figures},
    )


if __name__ == "__main__":
    main()
