"""Fifty patients race for one time on PostgreSQL: the database lets exactly one win."""

from __future__ import annotations

import threading
from datetime import timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clinic import load_profile
from bot.db import make_engine, transaction
from bot.models import Appointment, BookedInterval, Patient
from bot.scheduling import booking
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.errors import SlotTaken
from bot.settings import get_settings
from tests.scheduling_helpers import MONDAY_8AM, local, make_clinic

RACERS = 50


def test_fifty_concurrent_bookings_of_one_slot_exactly_one_wins(pg_url: str) -> None:
    clinic = make_clinic(pg_url)
    profile = load_profile(get_settings().clinic_profile)
    with transaction(pg_url) as s:
        patients = [
            Patient(
                first_name="Racer",
                last_name=str(i),
                date_of_birth=MONDAY_8AM.date() - timedelta(days=9000 + i),
                mobile=f"+1555020{i:04d}",
                time_zone="America/New_York",
            )
            for i in range(RACERS)
        ]
        s.add_all(patients)
        s.flush()
        patient_ids = [p.id for p in patients]
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
    slot = local(MONDAY_8AM.date(), 10)
    now = MONDAY_8AM.astimezone(timezone.utc)
    engine = make_engine(pg_url, pool_size=RACERS)  # one connection per racer: all fifty truly concurrent
    start = threading.Barrier(RACERS)
    won: list[int] = []
    lost: list[SlotTaken] = []
    errors: list[BaseException] = []

    def race(patient_id: int) -> None:
        start.wait()
        try:
            with Session(engine, future=True) as s, s.begin():
                won.append(booking.book(s, profile, patient_id, visit, slot, "patient:sms", now).appointment_id)
        except SlotTaken as taken:
            lost.append(taken)
        except BaseException as error:  # noqa: BLE001 - any other outcome fails the test below
            errors.append(error)

    threads = [threading.Thread(target=race, args=(pid,)) for pid in patient_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    engine.dispose()
    assert errors == []
    assert len(won) == 1 and len(lost) == RACERS - 1
    for taken in lost:
        assert str(taken) == "Sorry, that time was just taken."
        assert taken.alternatives and slot not in [o.starts_at for o in taken.alternatives]
    with transaction(pg_url) as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(BookedInterval)).scalar_one() == 2  # 30 minutes
