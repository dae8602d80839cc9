"""A realistic demo clinic: providers in several specialties, visit types, three months of weekly hours
with lunch breaks, time off, clinic holidays, and 50 patients with appointments booked through the
same service a patient uses (so the schedule's own rules and double-booking guard hold for them too).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile, load_profile
from bot.db import transaction, utcnow
from bot.models import (
    AppointmentType,
    ClinicHoliday,
    Patient,
    Provider,
    TimeOff,
    WorkingHours,
    appointment_type_specialties,
)
from bot.scheduling.availability import find_slots
from bot.scheduling.booking import book
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.timeparse import When
from bot.settings import get_settings

ALL = ("Family Medicine", "Pediatrics", "Cardiology", "Dermatology", "Women's Health", "Behavioral Health")
TYPES = (  # code, name, minutes, specialties
    ("office_visit", "Office visit", 30, ALL),
    ("annual_physical", "Annual physical", 30, ("Family Medicine", "Pediatrics", "Women's Health")),
    ("sick_visit", "Sick visit", 15, ("Family Medicine", "Pediatrics")),
    ("follow_up", "Follow-up visit", 15, ALL),
    ("new_patient", "New patient visit", 45, ALL),
    ("well_child", "Well-child visit", 30, ("Pediatrics",)),
    ("skin_check", "Skin check", 30, ("Dermatology",)),
    ("heart_checkup", "Heart checkup", 45, ("Cardiology",)),
    ("well_woman", "Well-woman exam", 30, ("Women's Health",)),
    ("counseling", "Counseling session", 45, ("Behavioral Health",)),
    ("telehealth", "Video visit", 15, ("Family Medicine", "Behavioral Health")),
    ("vaccination", "Vaccination", 15, ("Family Medicine", "Pediatrics")),
)
PROVIDERS = (  # name, specialty, suite, weekly pattern
    ("Dr. Maria Alvarez", "Family Medicine", "Suite 200", "full"),
    ("Dr. James Chen", "Family Medicine", "Suite 200", "late_wednesday"),
    ("Dr. Aisha Patel", "Family Medicine", "Suite 200", "saturday"),
    ("Sarah Lopez, NP", "Family Medicine", "Suite 200", "mornings"),
    ("Dr. Samuel Okafor", "Pediatrics", "Suite 210", "full"),
    ("Dr. Emily Novak", "Pediatrics", "Suite 210", "saturday"),
    ("Dr. Robert Kim", "Cardiology", "Suite 300", "tue_thu"),
    ("Dr. Laura Bennett", "Dermatology", "Suite 310", "mon_wed_fri"),
    ("Dr. Hannah Weiss", "Women's Health", "Suite 220", "late_wednesday"),
    ("Dr. David Moreau", "Behavioral Health", "Suite 400", "full"),
)
FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Mateo", "Isabella", "Lucas", "Mia", "Ethan",
         "Amelia", "Wei", "Harper", "Diego", "Evelyn", "Omar", "Grace", "Hiro", "Chloe", "Kwame", "Zoe", "Ivan", "Nora")
LAST = ("Johnson", "Garcia", "Nguyen", "Smith", "Rodriguez", "Brown", "Li", "Martinez", "Davis", "Wilson", "Hernandez",
        "Lee", "Clark", "Lopez", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Adams")
LANGUAGES = ("en",) * 7 + ("es", "es", "zh")


def weekly_blocks(pattern: str) -> list[tuple[int, time, time]]:
    """Weekday blocks of local wall time; the gap between two blocks of a day is the lunch break."""
    day = [(time(8), time(12)), (time(13), time(17))]
    short_friday = [(time(8), time(12)), (time(13), time(16))]
    week = {0: day, 1: day, 2: day, 3: day, 4: short_friday}
    if pattern == "late_wednesday":
        week[2] = [(time(10), time(13)), (time(14), time(19))]
    elif pattern == "saturday":
        week[5] = [(time(9), time(12))]
        week.pop(0)
    elif pattern == "mornings":
        week = {d: [(time(8), time(12))] for d in range(5)}
    elif pattern == "tue_thu":
        week = {1: day, 3: day}
    elif pattern == "mon_wed_fri":
        week = {0: day, 2: day, 4: short_friday}
    return [(d, start, end) for d, blocks in week.items() for start, end in blocks]


def load_demo(database_url: str, months: int = 3, patients: int = 50, seed: int = 3) -> bool:
    """Create the demo clinic unless providers already exist; True when it created it."""
    profile = load_profile(get_settings().clinic_profile)
    with transaction(database_url) as session:
        if session.execute(select(func.count()).select_from(Provider)).scalar_one():
            return False
        rng = random.Random(seed)
        today = profile.local_now().date()
        until = today + timedelta(days=31 * months)
        _catalog(session)
        providers = _providers(session, profile, today, until)
        _holidays(session, today)
        session.add(TimeOff(provider_id=providers[1].id, reason="Conference",
                            starts_at=_at(profile, today + timedelta(days=15), time(0)),
                            ends_at=_at(profile, today + timedelta(days=20), time(0))))
        people = _patients(session, rng, patients)
        session.flush()
        _appointments(session, profile, rng, people, today)
    return True


def _catalog(session: Session) -> None:
    for code, name, minutes, specialties in TYPES:
        appointment_type = AppointmentType(code=code, name=name, duration_minutes=minutes)
        session.add(appointment_type)
        session.flush()
        session.execute(appointment_type_specialties.insert(),
                        [{"appointment_type_id": appointment_type.id, "specialty": s} for s in specialties])


def _providers(session: Session, profile: ClinicProfile, today: date, until: date) -> list[Provider]:
    street = profile.address.replace("Suite 200, ", "")
    providers = []
    for name, specialty, suite, pattern in PROVIDERS:
        provider = Provider(name=name, specialty=specialty, location=f"{street.split(',')[0]}, {suite}")
        provider.working_hours = [
            WorkingHours(weekday=d, start_time=s, end_time=e, valid_from=today, valid_until=until)
            for d, s, e in weekly_blocks(pattern)
        ]
        session.add(provider)
        providers.append(provider)
    session.flush()
    return providers


def _holidays(session: Session, today: date) -> None:
    """This year's and next year's US holidays still ahead, besides any the table already has."""
    days: dict[date, str] = {}
    for year in (today.year, today.year + 1):
        memorial = date(year, 5, 31) - timedelta(days=date(year, 5, 31).weekday())
        thanksgiving = date(year, 11, 1) + timedelta(days=(3 - date(year, 11, 1).weekday()) % 7 + 21)
        days.update({memorial: "Memorial Day", thanksgiving: "Thanksgiving Day"})
        for month, day, name in ((1, 1, "New Year's Day"), (7, 4, "Independence Day"), (12, 25, "Christmas Day")):
            fixed = date(year, month, day)  # on a weekend, the nearest weekday is the day off (US "observed")
            shift = {5: -1, 6: 1}.get(fixed.weekday(), 0)
            days[fixed + timedelta(days=shift)] = name + (" (observed)" if shift else "")
    known = set(session.execute(select(ClinicHoliday.day)).scalars())
    session.add_all(ClinicHoliday(day=d, name=n) for d, n in days.items() if d >= today and d not in known)


def _patients(session: Session, rng: random.Random, count: int) -> list[Patient]:
    people = []
    for number in range(1, count + 1):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80))
        patient = Patient(
            first_name=rng.choice(FIRST), last_name=rng.choice(LAST), date_of_birth=born,
            mobile=f"+1555010{number:04d}", language=rng.choice(LANGUAGES), time_zone="America/New_York",
            sms_consent=number % 17 != 0,
        )
        session.add(patient)
        people.append(patient)
    return people


def _appointments(session: Session, profile: ClinicProfile, rng: random.Random, people: list[Patient],
                  today: date) -> None:
    type_ids = [row for row in session.execute(
        select(AppointmentType.id, Provider.id)
        .join(appointment_type_specialties, appointment_type_specialties.c.appointment_type_id == AppointmentType.id)
        .join(Provider, Provider.specialty == appointment_type_specialties.c.specialty)
    )]
    now = utcnow()
    for patient in people:
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            type_id, provider_id = rng.choice(type_ids)
            visit = visit_from_key(session, f"{type_id}:{provider_id}")
            if visit is None:
                continue
            day = today + timedelta(days=rng.randrange(1, 60))
            found = find_slots(session, profile, visit, When(day, day + timedelta(days=14)), now, limit=6).options
            if found:
                book(session, profile, patient.id, visit, rng.choice(found).starts_at, "staff:demo", now)


def _at(profile: ClinicProfile, day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=profile.zone)

