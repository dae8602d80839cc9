"""Who a visit is with: a provider the patient does not want, and pediatricians only for children."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from bot.clinic import load_profile
from bot.db import transaction
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import resolve_visit, visit_from_key
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
