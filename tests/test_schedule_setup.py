"""Setting up the schedule (providers, visit types, weekly hours, time off) changes what patients are offered,
bad input changes nothing, and a stale form never overwrites someone else's save. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.clinic import load_profile
from bot.db import transaction
from bot.models import Appointment, Provider
from bot.scheduling import booking, hours, roster
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import resolve_visit, visit_from_key, visit_menu
from bot.scheduling.editing import Invalid, Stale
from bot.scheduling.timeparse import When
from bot.settings import PROJECT_ROOT
from tests.scheduling_helpers import MONDAY_8AM, NEW_YORK, Clinic, local, make_clinic

PROFILE = load_profile(PROJECT_ROOT / "bot" / "clinic.yml")
NOW = MONDAY_8AM.astimezone(timezone.utc)
MONDAY = MONDAY_8AM.date()
TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return make_clinic(db_url)


def open_days(url: str, clinic: Clinic, first: date, last: date, provider: int | None = None) -> set[date]:
    with transaction(url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{provider or clinic.park}")
        found = find_slots(s, PROFILE, visit, When(first, last), NOW, limit=40)
    return {o.starts_at.astimezone(NEW_YORK).date() for o in found.options}


def test_time_off_closes_the_providers_days_and_counts_the_bookings_left_in_it(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booking.book(s, PROFILE, clinic.maria, visit, local(TUESDAY, 10), "patient:sms", NOW)
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == {TUESDAY, WEDNESDAY}
    with transaction(db_url) as s:
        change = hours.add_time_off(s, clinic.park, {"first": TUESDAY.isoformat(), "reason": "Conference"},
                                    NEW_YORK, MONDAY)
    assert change.after == {"provider_id": clinic.park, "first": TUESDAY, "last": TUESDAY, "reason": "Conference"}
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == {WEDNESDAY}
    with transaction(db_url) as s:
        [absence] = hours.time_off(s, clinic.park, NEW_YORK, MONDAY)
        assert (absence.first, absence.last, absence.booked) == (TUESDAY, TUESDAY, 1)  # kept, for staff to move
        hours.remove_time_off(s, clinic.park, absence.id, NEW_YORK)
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == {TUESDAY, WEDNESDAY}


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"first": "next tuesday"}, "first", "Use a date like"),
        ({"first": "2026-12-09", "last": "2026-12-08"}, "last", "cannot come before"),
        ({"first": "2026-11-02", "last": "2026-11-03"}, "last", "already over"),
        ({"first": "2026-12-09", "last": "2028-12-09"}, "last", "at most a year"),
        ({"first": "2026-12-09", "reason": "x" * 201}, "reason", "At most 200"),
    ],
)
def test_bad_time_off_is_named_and_changes_nothing(
    sqlite_url: str, form: dict[str, str], field: str, says: str
) -> None:
    clinic = make_clinic(sqlite_url)
    with transaction(sqlite_url) as s, pytest.raises(Invalid) as refused:
        hours.add_time_off(s, clinic.park, form, NEW_YORK, MONDAY)
    assert says in refused.value.errors[field]
    with transaction(sqlite_url) as s:
        assert hours.time_off(s, clinic.park, NEW_YORK, MONDAY) == []


def test_a_new_week_applies_from_today_and_a_stale_week_form_is_refused(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        form, version = hours.week_form(s, clinic.park, MONDAY)
    assert form["hours_tuesday"] == "09:00-12:00, 13:00-17:00" and form["hours_saturday"] == ""
    with transaction(db_url) as s:
        hours.save_week(s, clinic.park, {**form, "hours_tuesday": "", "version": version}, MONDAY)
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == {WEDNESDAY}
    with transaction(db_url) as s:
        assert dict(hours.summary(s, clinic.park, MONDAY))["Tuesday"] == "not working"
        assert dict(hours.summary(s, clinic.park, MONDAY - timedelta(days=7)))["Tuesday"] != "not working"
        with pytest.raises(Stale):  # a second admin still holding the first version
            hours.save_week(s, clinic.park, {**form, "hours_wednesday": "", "version": version}, MONDAY)
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == {WEDNESDAY}


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("9-5", "write blocks like 08:00-12:00"),
        ("17:00-09:00", "ends before it starts"),
        ("09:10-12:00", "quarter hours"),
        ("09:00-12:00, 11:00-13:00", "overlap"),
        ("25:00-26:00", "write blocks like"),
    ],
)
def test_bad_hours_are_named_next_to_the_day_and_change_nothing(sqlite_url: str, spec: str, says: str) -> None:
    clinic = make_clinic(sqlite_url)
    with transaction(sqlite_url) as s:
        form, version = hours.week_form(s, clinic.park, MONDAY)
    with transaction(sqlite_url) as s, pytest.raises(Invalid) as refused:
        hours.save_week(s, clinic.park, {**form, "hours_monday": spec, "version": version}, MONDAY)
    assert says in refused.value.errors["hours_monday"]
    with transaction(sqlite_url) as s:
        assert hours.week_form(s, clinic.park, MONDAY) == (form, version)


def test_an_inactive_provider_is_offered_to_no_one_and_a_stale_edit_is_refused(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        park = s.get(Provider, clinic.park)
        form = {**roster.provider_values(park), "active": "", "version": roster.provider_version(park)}
        change = roster.save_provider(s, clinic.park, {k: str(v) for k, v in form.items()})
    assert change.before["active"] is True and change.after["active"] is False
    assert open_days(db_url, clinic, TUESDAY, WEDNESDAY) == set()
    with transaction(db_url) as s:
        assert resolve_visit(s, "office visit with dr ross").provider_id == clinic.ross
        with pytest.raises(Stale):
            roster.save_provider(s, clinic.park, {**{k: str(v) for k, v in form.items()}, "active": "on"})
        assert s.get(Provider, clinic.park).active is False


def test_a_new_provider_needs_a_unique_name_and_every_field(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s, pytest.raises(Invalid) as refused:
        roster.save_provider(s, None, {"name": "dr ada park", "specialty": "", "location": "Suite 9", "active": "on"})
    assert "Another provider" in refused.value.errors["name"] and "specialty" in refused.value.errors
    with transaction(db_url) as s:
        added = roster.save_provider(
            s, None, {"name": "Dr. Eve Stone", "specialty": "Dermatology", "location": "Suite 310", "active": "on"}
        )
        stone = int(added.target.split(":")[1])
    with transaction(db_url) as s:
        hours.save_week(s, stone, {"hours_wednesday": "08:00-12:00", "version": hours.week_form(s, stone, MONDAY)[1]},
                        MONDAY)
    assert open_days(db_url, clinic, MONDAY, WEDNESDAY + timedelta(days=7), provider=stone) == {
        WEDNESDAY, WEDNESDAY + timedelta(days=7)
    }
    with transaction(db_url) as s:
        names = [p.name for p in s.execute(select(Provider).order_by(Provider.id)).scalars()]
    assert names.count("Dr. Eve Stone") == 1 and len(names) == 4


def test_a_visit_type_sets_the_length_offered_and_who_offers_it(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        added = roster.save_visit_type(s, None, {"name": "Mole removal", "minutes": "45"}, ["Dermatology"])
        type_id = int(added.target.split(":")[1])
    with transaction(db_url) as s:
        visit = resolve_visit(s, "i need a mole removal")
        assert (visit.type_id, visit.duration_minutes, visit.specialties) == (type_id, 45, ("Dermatology",))
        found = find_slots(s, PROFILE, visit, When(TUESDAY, TUESDAY), NOW, limit=5).options
    assert found and all(o.ends_at - o.starts_at == timedelta(minutes=45) for o in found)
    assert all(o.starts_at.astimezone(NEW_YORK).time() < time(12) for o in found)  # Dr. Diaz's Tuesday mornings
    with transaction(db_url) as s:
        [current] = [t for t in roster.visit_types(s) if t.id == type_id]
        with pytest.raises(Invalid) as refused:
            roster.save_visit_type(s, type_id, {"name": "Office visit", "minutes": "50", "version": current.version},
                                   ["Dermatology", "Astrology"])
        assert set(refused.value.errors) == {"name", "minutes", "offered_by"}
        roster.save_visit_type(s, type_id, {"name": "Mole removal", "minutes": "30", "version": current.version},
                               ["Dermatology", "Family Medicine"])
        with pytest.raises(Stale):
            roster.save_visit_type(s, type_id, {"name": "Mole removal", "minutes": "60", "version": current.version},
                                   ["Dermatology"])
    with transaction(db_url) as s:
        [saved] = [t for t in roster.visit_types(s) if t.id == type_id]
    assert (saved.minutes, saved.offered_by) == (30, ("Dermatology", "Family Medicine"))


def test_a_retired_visit_type_is_offered_no_more_while_its_bookings_keep_it_and_can_move(
    db_url: str, clinic: Clinic
) -> None:
    key = f"{clinic.skin_check}:{clinic.diaz}"
    with transaction(db_url) as s:
        booked = booking.book(s, PROFILE, clinic.maria, visit_from_key(s, key), local(TUESDAY, 9), "patient:sms", NOW)
        [skin] = [t for t in roster.visit_types(s) if t.id == clinic.skin_check]
        retired = roster.set_visit_type_offered(s, clinic.skin_check, False, skin.version)
        with pytest.raises(Stale):  # a second admin's page still shows it offered
            roster.set_visit_type_offered(s, clinic.skin_check, False, skin.version)
    assert (retired.action, retired.before, retired.after) == (
        "visit_type.retire", {"name": "Skin check", "active": True}, {"name": "Skin check", "active": False}
    )
    with transaction(db_url) as s:
        assert resolve_visit(s, "i need a skin check") is None  # the patient is asked which visit instead
        assert visit_menu(s) == ["Office visit", "Sick visit"]
        assert visit_from_key(s, key) is None  # an offer made before it was retired books nothing
        [listed] = [t for t in roster.visit_types(s) if t.id == clinic.skin_check]
        assert (listed.active, listed.booked_ahead) == (False, 1)
        # Maria's skin check stays one, and still moves to another open time of Dr. Diaz's.
        visit = booking.visit_of(s, booked.appointment_id)
        later = When(TUESDAY + timedelta(days=2), TUESDAY + timedelta(days=2))
        [option, *_] = find_slots(s, PROFILE, visit, later, NOW, exclude_appointment=booked.appointment_id).options
        booking.reschedule(s, PROFILE, clinic.maria, booked.appointment_id, visit, option.starts_at, "patient:sms", NOW)
    with transaction(db_url) as s:
        moved = s.get(Appointment, booked.appointment_id)
        assert (moved.appointment_type_id, moved.starts_at) == (clinic.skin_check, option.starts_at)
        roster.set_visit_type_offered(s, clinic.skin_check, True, listed.version)
    with transaction(db_url) as s:
        assert resolve_visit(s, "i need a skin check").type_id == clinic.skin_check
