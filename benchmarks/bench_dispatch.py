"""Reminder dispatch throughput and schedule expansion, on SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.bench_dispatch [--reminders 10000] [--plans 100000]

1. 10,000 due reminders dispatched by one dispatcher to the fake Twilio server (a separate process,
   real HTTP on loopback): reminders per second, and duplicates (must be zero).
2. Expansion of 100,000 medication plans (1-3 times a day, daily and weekly rules, several zones)
   into the next day's outbox rows, then the same expansion again (idempotent: nothing new).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import insert, select, text

from benchmarks.common import save
from bot.db import transaction, utcnow
from bot.messaging.gateway import TwilioGateway
from bot.models import Patient
from bot.reminders.dispatcher import DispatchConfig, Dispatcher
from bot.reminders.expansion import expand_medication
from bot.reminders.models import MedicationPlan, ReminderOutbox
from bot.schema import migrate
from bot.settings import load_settings
from tests.databases import scratch_pg_database
from tests.fake_twilio import FakeTwilio

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"]
RULES = ["FREQ=DAILY", "FREQ=DAILY", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=DAILY;INTERVAL=2"]


def _serve_fake(queue: multiprocessing.Queue, stop: EventType) -> None:
    with FakeTwilio() as fake:
        queue.put((fake.base_url, fake.account_sid, fake.auth_token, fake.from_number))
        stop.wait()


def _patients(url: str, count: int, zone: str | None = None) -> list[int]:
    rows = [
        {"first_name": "P", "last_name": str(i), "date_of_birth": date(1970, 1, 1), "mobile": f"+1555{i:07d}",
         "language": "en", "time_zone": zone or ZONES[i % len(ZONES)], "created_at": utcnow()}
        for i in range(count)
    ]  # fmt: skip
    with transaction(url) as s:
        for start in range(0, count, 5000):
            s.execute(insert(Patient.__table__), rows[start : start + 5000])
        return list(s.execute(select(Patient.id).order_by(Patient.id)).scalars())


def _plans(
    url: str,
    patient_ids: list[int],
    per_patient: int,
    times_for: Callable[[random.Random], str],
    rule_for: Callable[[int], str],
    zone: str | None,
) -> None:
    now = utcnow()
    rows = []
    rng = random.Random(7)
    for n, patient_id in enumerate(patient_ids * per_patient):
        rows.append(
            {"patient_id": patient_id, "medication": "metformin", "times": times_for(rng), "rrule": rule_for(n),
             "time_zone": zone or ZONES[patient_id % len(ZONES)], "start_date": date(2026, 1, 1), "end_date": None,
             "include_name": False, "status": "active", "created_by": "bench", "created_at": now, "updated_at": now}
        )  # fmt: skip
    with transaction(url) as s:
        for start in range(0, len(rows), 5000):
            s.execute(insert(MedicationPlan.__table__), rows[start : start + 5000])


def bench_dispatch(url: str, reminders: int, tmp: Path) -> dict:
    # Every patient's dose is due a minute ago, in their own zone's daytime: nothing is held back.
    due = datetime.now(timezone.utc) - timedelta(minutes=1)
    zone = "UTC" if 8 <= due.hour < 21 else "Pacific/Kiritimati" if due.hour < 8 else "Pacific/Honolulu"
    local = due.astimezone(ZoneInfo(zone))
    _plans(url, _patients(url, reminders, zone), 1, lambda _r: local.strftime("%H:%M"), lambda _n: "FREQ=DAILY", zone)
    with transaction(url) as s:
        expand_medication(s, due - timedelta(minutes=5), due + timedelta(minutes=1))
        queued = s.execute(select(text("count(*)")).select_from(ReminderOutbox.__table__)).scalar_one()

    queue: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve_fake, args=(queue, stop), daemon=True)
    server.start()
    base_url, sid, token, sender = queue.get(timeout=30)
    try:
        settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp / "var"), "DATABASE_URL": url})
        gateway = TwilioGateway(sid, token, sender, base_url)
        config = DispatchConfig(batch_size=200, concurrency=8, expand_every=timedelta(days=1))
        dispatcher = Dispatcher(url, gateway, settings, config)
        dispatcher._last_expansion = utcnow()  # measure sending only; expansion is measured on its own
        started = time.perf_counter()
        stats = dispatcher.run_once()
        elapsed = time.perf_counter() - started
        listing = requests.get(
            f"{base_url}/2010-04-01/Accounts/{sid}/Messages.json", auth=(sid, token), timeout=60
        ).json()
    finally:
        stop.set()
        server.join(timeout=10)
    received = Counter(m["to"] for m in listing["messages"])
    return {
        "due_reminders": queued,
        "sent": stats.sent,
        "received_by_fake_twilio": sum(received.values()),
        "duplicates": sum(c - 1 for c in received.values() if c > 1),
        "seconds": round(elapsed, 2),
        "reminders_per_second": round(stats.sent / elapsed, 1),
    }


def _random_times(rng: random.Random) -> str:
    """One to three doses a day on the hour or half hour, 06:00-22:30."""
    return ",".join(sorted({f"{rng.randint(6, 22):02d}:{rng.choice(['00', '30'])}" for _ in range(rng.randint(1, 3))}))


def bench_expansion(url: str, plans: int) -> dict:
    patients = _patients(url, plans // 10)
    _plans(url, patients, 10, _random_times, lambda n: RULES[n % len(RULES)], None)
    start = datetime.combine(utcnow().date() + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
    end = start + timedelta(days=1)
    figures: dict[str, float] = {"plans": plans}
    for label in ("first", "repeat"):
        began = time.perf_counter()
        with transaction(url) as s:
            created = expand_medication(s, start, end)
        figures[f"{label}_run_seconds"] = round(time.perf_counter() - began, 2)
        figures[f"{label}_run_new_rows"] = created
    figures["occurrences_per_second"] = round(figures["first_run_new_rows"] / figures["first_run_seconds"], 0)
    return figures


@contextmanager
def _database(kind: str, sqlite_path: Path) -> Iterator[str]:
    if kind == "postgresql":
        with scratch_pg_database("nightingale_bench") as url:
            yield url
    else:
        url = f"sqlite:///{sqlite_path}"
        migrate(url)
        yield url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--plans", type=int, default=100_000)
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for database in ("sqlite", "postgresql"):
            for bench in ("dispatch", "expansion"):
                with _database(database, tmp / f"{bench}.db") as url:
                    figures = (
                        bench_dispatch(url, args.reminders, tmp)
                        if bench == "dispatch"
                        else bench_expansion(url, args.plans)
                    )
                results[f"{bench}_{database}"] = figures
                print(bench, database, figures, flush=True)
    save("dispatch", results)


if __name__ == "__main__":
    main()
