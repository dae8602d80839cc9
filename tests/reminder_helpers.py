"""Shared builders for the reminder and SMS tests: patients, appointments, plans, a dispatcher."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from bot.db import transaction
from bot.messaging.gateway import TwilioGateway
from bot.models import Appointment, AppointmentType, Patient, Provider
from bot.reminders.dispatcher import DispatchConfig, Dispatcher
from bot.reminders.plans import create_plan
from bot.settings import Settings, load_settings
from tests.fake_twilio import FakeTwilio

NY = "America/New_York"


def settings_for(url: str, fake: FakeTwilio | None, tmp: Path, **env: str) -> Settings:
    values = {"NIGHTINGALE_DATA_DIR": str(tmp / "var"), "DATABASE_URL": url, **env}
    if fake is not None:
        values.update(fake.env())
    return load_settings(values)


def add_patient(url: str, mobile: str | None, zone: str = NY, first: str = "Ada") -> int:
    with transaction(url) as s:
        patient = Patient(
            first_name=first, last_name="Lovelace", date_of_birth=date(1980, 5, 17), mobile=mobile, time_zone=zone
        )
        s.add(patient)
        s.flush()
        return patient.id


def add_appointment(url: str, patient_id: int, starts_at: datetime, booked_at: datetime) -> int:
    with transaction(url) as s:
        provider = s.query(Provider).first() or Provider(
            name="Dr. Grace Hopper", specialty="cardiology", location="Room 2"
        )
        kind = s.query(AppointmentType).first() or AppointmentType(
            code="follow_up", name="Follow-up", duration_minutes=15
        )
        appointment = Appointment(
            patient_id=patient_id,
            provider=provider,
            appointment_type=kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=15),
            created_at=booked_at,
        )
        s.add(appointment)
        s.flush()
        return appointment.id


def add_plan(url: str, patient_id: int, times: list[time], start: date, **kwargs) -> int:
    with transaction(url) as s:
        return create_plan(s, patient_id, "metformin", times, start=start, created_by="staff:test", **kwargs).id


def dispatcher_for(
    settings: Settings, fake: FakeTwilio, clock: Callable[[], datetime] | None = None, **config
) -> Dispatcher:
    gateway = TwilioGateway(fake.account_sid, fake.auth_token, fake.from_number, fake.base_url, timeout=(2.0, 0.5))
    defaults = {"backoff_base": 60.0, "reconcile_after": timedelta(0)}
    dispatcher = Dispatcher(settings.database_url, gateway, settings, DispatchConfig(**{**defaults, **config}))
    if clock is not None:
        dispatcher.clock = clock
    return dispatcher


class Clock:
    """A settable clock for the dispatcher (instants in UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
