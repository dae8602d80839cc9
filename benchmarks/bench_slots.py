"""Slot finding and booking under contention, on SQLite and PostgreSQL.

A clinic of 50 providers (5 specialties) with a year of weekly hours; the first two weeks are almost
full (the search must walk past them) and the rest of the year is half booked.
- find: the next three open times for a specialty, from a random day of the year (p50/p95).
- book: 8 threads booking 400 times drawn from 100 candidate times (each time wanted by ~4 threads):
  attempts per second, and that exactly 100 win.

    .venv/bin/python -m benchmarks.bench_slots [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time as clock
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from benchmarks.common import save, summary_ms
from bot.clinic import load_profile
from bot.db import make_engine, transaction
from bot.models import Appointment, AppointmentType, BookedInterval, Patient, Provider, WorkingHours
from bot.models import appointment_type_specialties as type_specialties
from bot.scheduling import booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.errors import SlotTaken
from bot.scheduling.timeparse import When
from bot.schema import migrate
from bot.settings import get_settings
from tests.databases import scratch_pg_database

SPECIALTIES = ("Family Medicine", "Pediatrics", "Cardiology", "Dermatology", "Behavioral Health")
PROVIDERS, DAYS, FULL_DAYS = 50, 365, 14
FIND_RUNS, THREADS, ATTEMPTS, CONTESTED = 300, 8, 400, 100
BLOCKS = ((time(8), time(12)), (time(13), time(17)))


def build(url: str, today: date) -> None:
    profile = load_profile(get_settings().clinic_profile)
    zone, rng = profile.zone, random.Random(7)
    with transaction(url) as s:
        visit_type = AppointmentType(code="office_visit", name="Office visit", duration_minutes=30)
        s.add(visit_type)
        s.flush()
        s.execute(
            insert(type_specialties), [{"appointment_type_id": visit_type.id, "specialty": sp} for sp in SPECIALTIES]
        )
        patient = Patient(first_name="Bench", last_name="Mark", date_of_birth=date(1980, 1, 1), time_zone=zone.key)
        s.add(patient)
        providers = [
            Provider(name=f"Dr. Bench {i}", specialty=SPECIALTIES[i % 5], location="Suite 1") for i in range(PROVIDERS)
        ]
        s.add_all(providers)
        s.flush()
        s.execute(
            insert(WorkingHours),
            [
                {
                    "provider_id": p.id,
                    "weekday": d,
                    "start_time": a,
                    "end_time": b,
                    "valid_from": today,
                    "valid_until": today + timedelta(days=DAYS),
                }
                for p in providers
                for d in range(6)
                for a, b in BLOCKS
            ],
        )
        appointments, grains = [], []
        next_id = 1
        for day_offset in range(DAYS):
            day = today + timedelta(days=day_offset)
            if profile.opening_hours(day) is None:
                continue
            fill = 0.98 if day_offset < FULL_DAYS else 0.5
            for p in providers:
                for block_start, block_end in BLOCKS:
                    minute = block_start.hour * 60
                    while minute + 30 <= block_end.hour * 60:
                        if rng.random() < fill:
                            starts = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone).astimezone(
                                timezone.utc
                            )
                            appointments.append(
                                {
                                    "id": next_id,
                                    "patient_id": patient.id,
                                    "provider_id": p.id,
                                    "appointment_type_id": visit_type.id,
                                    "starts_at": starts,
                                    "ends_at": starts + timedelta(minutes=30),
                                    "status": "booked",
                                    "created_at": starts,
                                    "updated_at": starts,
                                }
                            )
                            grains += [
                                {
                                    "provider_id": p.id,
                                    "starts_at": starts + timedelta(minutes=m),
                                    "appointment_id": next_id,
                                }
                                for m in (0, 15)
                            ]
                            next_id += 1
                        minute += 30
        for chunk in range(0, len(appointments), 5000):
            s.execute(insert(Appointment.__table__), appointments[chunk : chunk + 5000])
        for chunk in range(0, len(grains), 10000):
            s.execute(insert(BookedInterval.__table__), grains[chunk : chunk + 10000])
        if s.bind.dialect.name == "postgresql":
            s.execute(text("SELECT setval('appointments_id_seq', (SELECT max(id) FROM appointments))"))
    with make_engine(url).connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def bench_find(url: str, today: date) -> dict:
    profile = load_profile(get_settings().clinic_profile)
    rng = random.Random(11)
    samples, cpu = [], []
    with Session(make_engine(url), future=True) as s:
        visit = visit_from_key(s, "1:")
        assert visit is not None, "the benchmark clinic has visit type 1"
        for run in range(FIND_RUNS):
            start = today + timedelta(days=0 if run % 3 == 0 else rng.randrange(0, DAYS - 30))
            now = datetime.combine(start, time(7), tzinfo=profile.zone)
            when = When(start, today + timedelta(days=DAYS))
            began, began_cpu = clock.perf_counter(), clock.thread_time()
            found = find_slots(s, profile, visit, when, now).options
            samples.append(clock.perf_counter() - began)
            cpu.append(clock.thread_time() - began_cpu)
            assert len(found) == 3
            s.rollback()
    # CPU time of this thread as well: on a loaded machine wall time mostly measures waiting for a core.
    return {"wall": summary_ms(samples), "cpu": summary_ms(cpu)}


def bench_book(url: str, today: date) -> dict:
    profile = load_profile(get_settings().clinic_profile)
    now = datetime.combine(today, time(7), tzinfo=profile.zone)
    engine = make_engine(url, pool_size=THREADS) if url.startswith("postgresql") else make_engine(url)
    with Session(engine, future=True) as s:
        when = When(today + timedelta(days=FULL_DAYS + 1), today + timedelta(days=DAYS))
        wanted = []
        for provider_id in range(1, PROVIDERS + 1):
            provider_visit = visit_from_key(s, f"1:{provider_id}")
            assert provider_visit is not None
            wanted += [
                (provider_visit, o.starts_at)
                for o in find_slots(s, profile, provider_visit, when, now, limit=2).options
            ]
    rng = random.Random(5)
    work = [rng.choice(wanted[:CONTESTED]) for _ in range(ATTEMPTS)]
    won, taken, lock = [], [], threading.Lock()

    def worker(items: list) -> None:
        for provider_visit, starts_at in items:
            try:
                with Session(engine, future=True) as s, s.begin():
                    booking.book(s, profile, 1, provider_visit, starts_at, "staff:bench", now)
                with lock:
                    won.append(starts_at)
            except SlotTaken:
                with lock:
                    taken.append(starts_at)

    threads = [threading.Thread(target=worker, args=(work[i::THREADS],)) for i in range(THREADS)]
    began = clock.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = clock.perf_counter() - began
    unique = len({(v.provider_id, t) for v, t in work})
    assert len(won) == unique, (len(won), unique)
    return {
        "threads": THREADS,
        "attempts": ATTEMPTS,
        "distinct_times": unique,
        "won": len(won),
        "taken": len(taken),
        "attempts_per_s": round(ATTEMPTS / elapsed, 1),
        "no_double_booking": True,
    }


def run(url: str, label: str) -> dict:
    today = load_profile(get_settings().clinic_profile).local_now().date() + timedelta(days=1)
    migrate(url)
    began = clock.perf_counter()
    build(url, today)
    figures = {"build_s": round(clock.perf_counter() - began, 1), "find_next_3": bench_find(url, today)}
    print(label, figures, flush=True)
    figures["book_contended"] = bench_book(url, today)
    print(label, figures["book_contended"], flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{folder}/bench.db", "sqlite")
    with scratch_pg_database("bench_slots", args.pg) as url:
        results["postgresql"] = run(url, "postgresql")
    save("bench_slots", results)


if __name__ == "__main__":
    main()
