"""Dispatcher processes: killed with SIGKILL mid-batch and restarted, and two side by side.
Every due reminder reaches its patient exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as clock
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db import transaction, utcnow
from bot.models import Patient
from bot.reminders.models import MedicationPlan, OutboxStatus, ReminderOutbox
from bot.settings import PROJECT_ROOT
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import NY

LOCAL = ZoneInfo(NY)


def due_now(url: str, count: int) -> list[str]:
    """`count` patients, each with one medication dose due a minute ago."""
    due = datetime.now(LOCAL).replace(second=0, microsecond=0) - timedelta(minutes=1)
    mobiles = [f"+1555020{i:04d}" for i in range(count)]
    with transaction(url) as s:
        for mobile in mobiles:
            patient = Patient(first_name="P", last_name=mobile, date_of_birth=due.date(), mobile=mobile, time_zone=NY)
            s.add(patient)
            s.flush()
            s.add(
                MedicationPlan(
                    patient_id=patient.id,
                    medication="metformin",
                    times=due.strftime("%H:%M"),
                    rrule="FREQ=DAILY",
                    time_zone=NY,
                    start_date=due.date(),
                    created_by="staff:test",
                )
            )
    return mobiles


def start(url: str, fake: FakeTwilio, tmp: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        **fake.env(),
        "DATABASE_URL": url,
        "NIGHTINGALE_DATA_DIR": str(tmp / "var"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "bot.reminders.dispatcher",
        "--once",
        "--lease-seconds",
        "1",
        "--reconcile-after",
        "0",
    ]
    return subprocess.Popen([*command, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def statuses(url: str) -> Counter:
    """Outbox states of the reminders due by now (expansion also queued the coming days')."""
    with transaction(url) as s:
        return Counter(s.execute(select(ReminderOutbox.status).where(ReminderOutbox.due_at <= utcnow())).scalars())


def test_sigkill_mid_batch_then_restart_sends_each_reminder_exactly_once(db_url: str, tmp_path: Path) -> None:
    with FakeTwilio(latency=0.03) as fake:
        mobiles = due_now(db_url, 80)
        first = start(db_url, fake, tmp_path, "--batch-size", "10", "--concurrency", "2")
        deadline = clock.monotonic() + 60
        while len(fake.requests) < 25 and clock.monotonic() < deadline:
            clock.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert 0 < len(fake.sent) < len(mobiles)  # really killed mid-way
        assert statuses(db_url)[OutboxStatus.SENDING] > 0  # a batch was in flight

        clock.sleep(1.2)  # the dead dispatcher's lease runs out
        second = start(db_url, fake, tmp_path)
        assert second.wait(timeout=120) == 0, second.stderr.read().decode()

        assert Counter(m["To"] for m in fake.sent) == Counter(mobiles)
        assert statuses(db_url) == Counter({OutboxStatus.SENT: len(mobiles)})


def test_two_dispatchers_side_by_side_never_send_twice(db_url: str, tmp_path: Path) -> None:
    with FakeTwilio(latency=0.002) as fake:
        mobiles = due_now(db_url, 300)
        runners = [start(db_url, fake, tmp_path, "--batch-size", "20") for _ in range(2)]
        for runner in runners:
            assert runner.wait(timeout=180) == 0, runner.stderr.read().decode()
        assert Counter(m["To"] for m in fake.sent) == Counter(mobiles)
        assert statuses(db_url) == Counter({OutboxStatus.SENT: len(mobiles)})
        with transaction(db_url) as s:
            workers = set(
                s.execute(select(ReminderOutbox.claimed_by).where(ReminderOutbox.due_at <= utcnow())).scalars()
            )
        assert len(workers) == 2  # both took part
