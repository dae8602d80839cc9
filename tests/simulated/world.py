"""What a simulated patient's world holds (their record, appointments, plans, a reminder just received) and
how a conversation is judged: on the database, before and after.

Every change a conversation makes is listed; the scenario's goals each claim the change they asked for,
and anything left over is a change nobody asked for (harm), which fails the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.clinic import load_profile
from bot.db import transaction, utcnow
from bot.messaging.models import ConsentEvent
from bot.models import Appointment, AppointmentType, Patient, Provider
from bot.reminders import plans as plan_service
from bot.reminders.models import (
    AdherenceEntry,
    MedicationPlan,
    OutboxStatus,
    RefillRequest,
    ReminderKind,
    ReminderOutbox,
)
from bot.reminders.occurrence import AppointmentOccurrence, DoseOccurrence
from bot.scheduling import booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.timeparse import When
from bot.settings import get_settings

ZONE = load_profile(get_settings().clinic_profile).zone


# -- the world a scenario starts from ----------------------------------------------------------------
@dataclass(frozen=True)
class Booking:
    """An appointment the patient already has: `days` from today (the next open time from then on)."""

    ref: str
    provider: str  # part of the provider's name, e.g. "Alvarez"
    type_code: str = "office_visit"
    days: int = 7
    hour: int = 10
    weekday: int | None = None  # on this weekday (Monday 0): "my wednesday appointment" names it


@dataclass(frozen=True)
class Plan:
    medication: str
    times: tuple[str, ...] = ("08:00",)


@dataclass
class Person:
    first: str
    last: str
    born: date
    mobile: str
    patient_id: int = 0
    appointments: dict[str, int] = field(default_factory=dict)  # ref -> id
    plans: dict[str, int] = field(default_factory=dict)  # medication -> id
    conversations: list[str] = field(default_factory=list)  # the ids the channels gave this patient's chats


def create_person(
    url: str,
    person: Person,
    bookings: tuple[Booking, ...],
    plans: tuple[Plan, ...],
    reminded: str | None,
    medication_reminded: bool,
) -> Person:
    profile = load_profile(get_settings().clinic_profile)
    now = utcnow()
    with transaction(url) as s:
        patient = Patient(
            first_name=person.first,
            last_name=person.last,
            date_of_birth=person.born,
            mobile=person.mobile,
            language="en",
            time_zone="America/New_York",
            sms_consent=True,
        )
        s.add(patient)
        s.flush()
        person.patient_id = patient.id
        for b in bookings:
            provider = s.execute(select(Provider).where(Provider.name.contains(b.provider))).scalar_one()
            type_id = s.execute(select(AppointmentType.id).where(AppointmentType.code == b.type_code)).scalar_one()
            visit = visit_from_key(s, f"{type_id}:{provider.id}")
            day = profile.local_now().date() + timedelta(days=b.days)
            found = find_slots(
                s, profile, visit,
                When(day, day + timedelta(days=21), earliest=time(b.hour),
                     weekdays=frozenset({b.weekday}) if b.weekday is not None else None),
                now, limit=1,
            ).options
            person.appointments[b.ref] = booking.book(
                s, profile, patient.id, visit, found[0].starts_at, "staff:sim", now
            ).appointment_id
        for p in plans:
            plan = plan_service.create_plan(
                s, patient.id, p.medication, [time.fromisoformat(t) for t in p.times], created_by="staff:sim"
            )
            person.plans[p.medication] = plan.id
        if reminded:  # the appointment reminder the patient is answering went out an hour ago
            appointment = s.get(Appointment, person.appointments[reminded])
            s.add(
                ReminderOutbox(
                    kind=ReminderKind.APPOINTMENT,
                    patient_id=patient.id,
                    appointment_id=appointment.id,
                    occurrence=AppointmentOccurrence(2880, appointment.starts_at),
                    due_at=now - timedelta(hours=1),
                    status=OutboxStatus.SENT,
                    attempts=1,
                    sent_at=now - timedelta(hours=1),
                )
            )
        if medication_reminded:
            plan_id = next(iter(person.plans.values()))
            s.add(
                ReminderOutbox(
                    kind=ReminderKind.MEDICATION,
                    patient_id=patient.id,
                    plan_id=plan_id,
                    occurrence=DoseOccurrence(
                        (now - timedelta(minutes=20)).astimezone(ZONE).replace(tzinfo=None, second=0, microsecond=0)
                    ),
                    due_at=now - timedelta(minutes=20),
                    status=OutboxStatus.SENT,
                    attempts=1,
                    sent_at=now - timedelta(minutes=20),
                )
            )
    return person


# -- what changed --------------------------------------------------------------------------------
Row = tuple[Any, ...]


def snapshot(url: str) -> dict[str, dict[Any, Row]]:
    with transaction(url) as s:
        return {
            "appointment": {
                a.id: (
                    a.patient_id,
                    a.status.value,
                    a.starts_at.isoformat(),
                    a.provider_id,
                    a.appointment_type_id,
                    a.confirmed_at is not None,
                )
                for a in s.execute(select(Appointment)).scalars()
            },
            "plan": {
                p.id: (p.patient_id, p.medication, p.times, p.rrule, p.end_date, p.status.value)
                for p in s.execute(select(MedicationPlan)).scalars()
            },
            "refill": {r.id: (r.patient_id, r.medication) for r in s.execute(select(RefillRequest)).scalars()},
            "consent": {p.id: (p.mobile, p.sms_consent) for p in s.execute(select(Patient)).scalars()},
            "consent_event": {c.id: (c.phone, c.action.value) for c in s.execute(select(ConsentEvent)).scalars()},
            "adherence": {e.id: (e.patient_id, e.action.value) for e in s.execute(select(AdherenceEntry)).scalars()},
        }


@dataclass(frozen=True)
class Change:
    table: str
    key: Any
    before: Row | None
    after: Row | None


def changes(before: dict[str, dict[Any, Row]], after: dict[str, dict[Any, Row]]) -> list[Change]:
    found = []
    for table, rows in after.items():
        old = before.get(table, {})
        for key in sorted(set(old) | set(rows), key=str):
            if old.get(key) != rows.get(key):
                found.append(Change(table, key, old.get(key), rows.get(key)))
    return found


# -- goals: each claims the changes it asked for -----------------------------------------------
Goal = Callable[[Person, list[Change], str], list[Change] | None]


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(ZONE)


def _provider_id(url: str, name: str) -> int:
    with transaction(url) as s:
        return s.execute(select(Provider.id).where(Provider.name.contains(name))).scalar_one()


def _type_id(url: str, code: str) -> int:
    with transaction(url) as s:
        return s.execute(select(AppointmentType.id).where(AppointmentType.code == code)).scalar_one()


@dataclass(frozen=True)
class Slot:
    """What the patient asked about the time: weekday (Monday 0), hours [after, before), days from today."""

    weekday: int | None = None
    after: int | None = None
    before: int | None = None
    min_days: int | None = None
    max_days: int | None = None

    def fits(self, iso: str) -> bool:
        local = _local(iso)
        days = (local.date() - datetime.now(ZONE).date()).days
        return (
            (self.weekday is None or local.weekday() == self.weekday)
            and (self.after is None or local.hour >= self.after)
            and (self.before is None or local.hour < self.before)
            and (self.min_days is None or days >= self.min_days)
            and (self.max_days is None or days <= self.max_days)
        )


# A goal that takes any time the patient ends up with.
ANY_TIME = Slot()


def booked(
    url: str, provider: str | None = None, type_code: str | None = None, slot: Slot = ANY_TIME,
    avoid: tuple[str, ...] = (),
) -> Goal:
    """A new appointment for the patient; `avoid`: providers it must not be with (one not wanted, or a
    pediatrician for an adult)."""
    provider_id = _provider_id(url, provider) if provider else None
    type_id = _type_id(url, type_code) if type_code else None
    avoided = {_provider_id(url, name) for name in avoid}

    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        for c in found:
            if (
                c.table == "appointment"
                and c.before is None
                and c.after[0] == person.patient_id
                and c.after[1] == "booked"
                and (provider_id is None or c.after[3] == provider_id)
                and c.after[3] not in avoided
                and (type_id is None or c.after[4] == type_id)
                and slot.fits(c.after[2])
            ):
                return [c]
        return None

    return goal


def moved(ref: str, url: str, slot: Slot = ANY_TIME, provider: str | None = None) -> Goal:
    provider_id = _provider_id(url, provider) if provider else None

    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        for c in found:
            if (
                c.table == "appointment"
                and c.key == person.appointments[ref]
                and c.before
                and c.after
                and c.after[1] == "booked"
                and c.after[2] != c.before[2]
                and c.after[4] == c.before[4]  # a move never changes the kind of visit
                and slot.fits(c.after[2])
                and (provider_id is None or c.after[3] == provider_id)
            ):
                return [c]
        return None

    return goal


def _appointment_field(ref: str, test: Callable[[Row, Row], bool]) -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        hit = [
            c
            for c in found
            if c.table == "appointment"
            and c.key == person.appointments[ref]
            and c.before
            and c.after
            and test(c.before, c.after)
        ]
        return hit or None

    return goal


def cancelled(ref: str) -> Goal:
    return _appointment_field(ref, lambda old, new: new[1] == "cancelled" and new[2] == old[2])


def confirmed(ref: str) -> Goal:
    return _appointment_field(ref, lambda old, new: new[5] and not old[5] and new[1] == old[1] and new[2] == old[2])


def plan_set(medication: str, times: str, rule: str | None = None, ends: bool | None = None) -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        for c in found:
            if (
                c.table == "plan"
                and c.before is None
                and c.after[0] == person.patient_id
                and medication.lower() in c.after[1].lower()
                and c.after[2] == times
                and (rule is None or c.after[3] == rule)
                and (ends is None or (c.after[4] is not None) == ends)
            ):
                return [c]
        return None

    return goal


def plan_stopped(medication: str) -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        hit = [
            c
            for c in found
            if c.table == "plan"
            and c.key == person.plans.get(medication)
            and c.after
            and c.after[5] in ("stopped", "paused")
        ]
        return hit or None

    return goal


def plan_retimed(medication: str, times: str) -> Goal:
    """The patient's plan for `medication` now reminds at `times` ("08:00,21:00"), still active."""

    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        hit = [
            c
            for c in found
            if c.table == "plan"
            and c.key == person.plans.get(medication)
            and c.after
            and c.after[2] == times
            and c.after[5] == "active"
        ]
        return hit or None

    return goal


def refill(medication: str | None) -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        for c in found:
            if (
                c.table == "refill"
                and c.before is None
                and c.after[0] == person.patient_id
                and (medication is None or medication.lower() in (c.after[1] or "").lower())
            ):
                return [c]
        return None

    return goal


def adherence(action: str) -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        hit = [c for c in found if c.table == "adherence" and c.after and c.after == (person.patient_id, action)]
        return hit or None

    return goal


def opted_out() -> Goal:
    def goal(person: Person, found: list[Change], _said: str) -> list[Change] | None:
        hit = [
            c
            for c in found
            if (c.table == "consent" and c.key == person.patient_id and c.after == (person.mobile, False))
            or (c.table == "consent_event" and c.after == (person.mobile, "opt_out"))
        ]
        return hit or None

    return goal


def told(*phrases: str) -> Goal:
    """A goal met by what the patient was told (all of `phrases`, any case); it claims no change."""

    def goal(_person: Person, _found: list[Change], said: str) -> list[Change] | None:
        return [] if all(p.lower() in said.lower() for p in phrases) else None

    return goal


def handed_off(url: str) -> Goal:
    """A person was asked to contact the patient (a hand-off row; not a change the judge guards)."""
    from bot.models import HandoffRequest

    def goal(person: Person, _found: list[Change], _said: str) -> list[Change] | None:
        with transaction(url) as s:
            rows = s.execute(
                select(HandoffRequest.id).where(HandoffRequest.conversation_id.in_(person.conversations))
            ).all()
        return [] if rows else None

    return goal
