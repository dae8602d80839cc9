"""A small clinic for scheduling tests: two family doctors, a dermatologist on Tuesdays and Thursdays, two patients."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from bot.db import transaction
from bot.models import AppointmentType, Patient, Provider, WorkingHours, appointment_type_specialties

NEW_YORK = ZoneInfo("America/New_York")
# Monday 7 December 2026, 8:00 in the clinic: a fixed "now" so every expected time is exact.
MONDAY_8AM = datetime(2026, 12, 7, 8, 0, tzinfo=NEW_YORK)
MARIA_MOBILE, JOSE_MOBILE = "+15550100001", "+15550100002"
MARIA_DOB, JOSE_DOB = date(1975, 3, 4), date(1980, 3, 14)


@dataclass(frozen=True)
class Clinic:
    park: int
    ross: int
    diaz: int
    office_visit: int
    sick_visit: int
    skin_check: int
    maria: int
    jose: int


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A clinic wall time as the UTC instant the database stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK).astimezone(timezone.utc)


def make_clinic(url: str) -> Clinic:
    with transaction(url) as s:
        types = {}
        for code, name, minutes, specialties in (
            ("office_visit", "Office visit", 30, ("Family Medicine", "Dermatology")),
            ("sick_visit", "Sick visit", 15, ("Family Medicine",)),
            ("skin_check", "Skin check", 30, ("Dermatology",)),
        ):
            appointment_type = AppointmentType(code=code, name=name, duration_minutes=minutes)
            s.add(appointment_type)
            s.flush()
            s.execute(appointment_type_specialties.insert(),
                      [{"appointment_type_id": appointment_type.id, "specialty": sp} for sp in specialties])
            types[code] = appointment_type.id
        weekdays = [(d, time(9), time(12)) for d in range(5)] + [(d, time(13), time(17)) for d in range(5)]
        providers = {}
        for name, specialty, blocks in (
            ("Dr. Ada Park", "Family Medicine", weekdays),
            ("Dr. Ben Ross", "Family Medicine", weekdays),
            ("Dr. Cora Diaz", "Dermatology", [(1, time(9), time(12)), (3, time(9), time(12))]),
        ):
            provider = Provider(name=name, specialty=specialty, location="120 Orchard Street, Suite 200")
            provider.working_hours = [WorkingHours(weekday=d, start_time=a, end_time=b) for d, a, b in blocks]
            s.add(provider)
            s.flush()
            providers[name.split()[-1].lower()] = provider.id
        maria = Patient(first_name="Maria", last_name="Lopez", date_of_birth=MARIA_DOB, mobile=MARIA_MOBILE,
                        time_zone="America/New_York")
        jose = Patient(first_name="Jose", last_name="Garcia", date_of_birth=JOSE_DOB, mobile=JOSE_MOBILE,
                       time_zone="America/New_York")
        s.add_all([maria, jose])
        s.flush()
        return Clinic(providers["park"], providers["ross"], providers["diaz"], types["office_visit"],
                      types["sick_visit"], types["skin_check"], maria.id, jose.id)
