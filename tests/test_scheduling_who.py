"""Who a visit is with: a provider the patient does not want, and pediatricians only for children."""

from __future__ import annotations

from datetime import time, timedelta, timezone

import pytest

from bot.clinic import load_profile
from bot.db import transaction
from bot.scheduling import audience, booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import resolve_visit, visit_from_key
from bot.scheduling.errors import SlotTaken, UnknownVisit
from bot.scheduling.timeparse import When
from bot.settings import get_settings
from tests.scheduling_helpers import MONDAY_8AM, Clinic, make_clinic

MONDAY = MONDAY_8AM.date()
NOW = MONDAY_8AM.astimezone(timezone.utc)


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return make_clinic(db_url)


@pytest.mark.parametrize(
    "words",
    [
        "sick visit next tuesday, any doctor except dr park",
        "a sick visit, anyone but Dr. Park",
        "sick visit with someone other than park",
        "sick visit, not dr park please",
        "sick visit, i don't want dr park",
        "sick visit no dr park",
    ],
)
def test_a_provider_the_patient_does_not_want_is_never_offered(db_url: str, clinic: Clinic, words: str) -> None:
    """ "checkup next tuesday, any doctor except dr chen" offered only Dr. Chen."""
    with transaction(db_url) as s:
        visit = resolve_visit(s, words)
        assert visit is not None and visit.provider_id is None and visit.excluded_provider_id == clinic.park
        kept = visit_from_key(s, visit.key)  # the conversation keeps the key and reads it back at each offer
        assert kept == visit
        clinic_profile = load_profile(get_settings().clinic_profile)
        found = find_slots(s, clinic_profile, kept, When(MONDAY, MONDAY + timedelta(30)), NOW)
    assert found.options and {o.provider_name for o in found.options} == {"Dr. Ben Ross"}


def test_excluding_a_provider_alone_keeps_the_visit_asked_for(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = resolve_visit(s, "anyone but dr park", keep_type=clinic.sick_visit)
        assert visit is not None and visit.type_name == "Sick visit" and visit.excluded_provider_id == clinic.park
        # Naming the one wanted beside the one not wanted is a choice of provider.
        chosen = resolve_visit(s, "dr ross, not dr park")
        assert chosen is not None and chosen.provider_id == clinic.ross and chosen.excluded_provider_id is None


def _add_pediatrician(url: str, clinic: Clinic) -> int:
    """Dr. Pia Young, Pediatrics, all week; the sick visit is offered by pediatrics too."""
    from bot.models import Provider, WorkingHours, appointment_type_specialties

    with transaction(url) as s:
        provider = Provider(name="Dr. Pia Young", specialty="Pediatrics", location="Suite 210")
        provider.working_hours = [
            WorkingHours(weekday=d, start_time=time(8), end_time=time(18)) for d in range(5)
        ]
        s.add(provider)
        s.execute(appointment_type_specialties.insert(), [
            {"appointment_type_id": clinic.sick_visit, "specialty": "Pediatrics"},
        ])
        s.flush()
        return provider.id


def test_an_adult_is_never_offered_or_booked_with_a_pediatrician(db_url: str, clinic: Clinic) -> None:
    """An 85-year-old was offered and booked with a pediatrician."""
    young = _add_pediatrician(db_url, clinic)
    clinic_profile = load_profile(get_settings().clinic_profile)
    week = When(MONDAY, MONDAY + timedelta(days=7))
    with transaction(db_url) as s:
        visit = resolve_visit(s, "a sick visit")
        assert visit is not None and "Pediatrics" in visit.specialties
        for_adult = find_slots(s, clinic_profile, visit, week, NOW, limit=30, patient_age=85)
        for_child = find_slots(s, clinic_profile, visit, week, NOW, limit=30, patient_age=6)
        unknown = find_slots(s, clinic_profile, visit, week, NOW, limit=30)
        assert for_adult.options and "Dr. Pia Young" not in {o.provider_name for o in for_adult.options}
        assert "Dr. Pia Young" in {o.provider_name for o in for_child.options}
        assert "Dr. Pia Young" in {o.provider_name for o in unknown.options}
        # A pediatrician's own time cannot be claimed for an adult either (a stale or tampered choice).
        with_young = visit_from_key(s, f"{clinic.sick_visit}:{young}")
        assert with_young is not None
        slot = next(o for o in for_child.options if o.provider_id == young)
        with pytest.raises(SlotTaken):
            booking.book(s, clinic_profile, clinic.maria, with_young, slot.starts_at, "test", NOW, patient_age=85)
        assert booking.book(s, clinic_profile, clinic.maria, with_young, slot.starts_at, "test", NOW, patient_age=6)


def test_a_pediatrician_asked_for_by_an_adult_gets_a_clear_answer(db_url: str, clinic: Clinic) -> None:
    _add_pediatrician(db_url, clinic)
    with transaction(db_url) as s:
        named = resolve_visit(s, "book me with dr young")
        specialty = resolve_visit(s, "a sick visit with a pediatrician")
    assert named is not None and specialty is not None
    with pytest.raises(UnknownVisit, match="Dr. Pia Young is one of our pediatricians and sees children only"):
        audience.check_visit(named, 85)
    with pytest.raises(UnknownVisit, match="pediatricians see children only"):
        audience.check_visit(specialty, 40)
    audience.check_visit(named, 17)
    audience.check_visit(named, None)


@pytest.mark.parametrize(
    "words, child",
    [
        ("book a checkup for my daughter", True),
        ("can i get my 4 year old in", True),
        ("my 2 yr old needs a well check", True),
        ("a well child visit", True),
        ("can my 10 yo see dr okafor after school tomorrow? like 3:30ish", True),
        ("my 7 y/o needs a checkup", True),
        ("my 4yr old has a fever", True),
        ("book me a checkup", False),
        ("i'm 85 years old and need a checkup", False),
    ],
)
def test_a_booking_for_a_child_lets_pediatricians_in(db_url: str, clinic: Clinic, words: str, child: bool) -> None:
    """A parent books a child's visit on their own record: the words, not the record, say who it is for."""
    with transaction(db_url) as s:
        age = audience.booking_age(s, clinic.maria, MONDAY, [words])
    assert age == (None if child else 51)  # Maria was born on 4 March 1975
