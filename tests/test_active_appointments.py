"""One meaning of "active appointment": the patient is reminded of exactly the appointments booking holds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.db import transaction
from bot.models import Appointment, AppointmentStatus
from bot.scheduling import booking
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import NY, Clock, add_appointment, add_patient, dispatcher_for, settings_for

LOCAL = ZoneInfo(NY)


@pytest.fixture
def fake():
    with FakeTwilio(timeout_delay=1.0) as server:
        yield server


def test_reminders_go_out_for_exactly_the_appointments_booking_holds(
    db_url: str, fake: FakeTwilio, tmp_path: Path
) -> None:
    starts_at, now = datetime(2027, 6, 10, 14, 30, tzinfo=LOCAL), datetime(2027, 6, 7, 14, 30, tzinfo=LOCAL)
    mobiles = {}
    for n, status in enumerate(AppointmentStatus):
        mobile = f"+1555010{n:04d}"
        patient = add_patient(db_url, mobile)
        appointment = add_appointment(db_url, patient, starts_at, booked_at=datetime(2027, 6, 1, 9, tzinfo=LOCAL))
        with transaction(db_url) as s:
            s.get(Appointment, appointment).status = status
            held = bool(booking.upcoming(s, patient, now))
        mobiles[mobile] = (status, held)

    dispatcher_for(settings_for(db_url, fake, tmp_path), fake, Clock(now)).run_once()

    reminded = {mobiles[m["To"]][0] for m in fake.sent}
    held = {status for status, is_held in mobiles.values() if is_held}
    assert (
        reminded
        == held
        == {
            AppointmentStatus.BOOKED,
            AppointmentStatus.PENDING,
            AppointmentStatus.ARRIVED,
            AppointmentStatus.CHECKED_IN,
        }
    )
