"""Holidays have one home, the schedule's table: an older profile's list is imported at upgrade, and the
days availability keeps closed are the days the FAQ names."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot import faq
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import ClinicHoliday
from bot.scheduling import holidays
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.editing import Invalid
from bot.scheduling.timeparse import When
from bot.schema import migrate
from bot.settings import PROJECT_ROOT, get_settings
from tests.scheduling_helpers import MONDAY_8AM, NEW_YORK, make_clinic

PROFILE = PROJECT_ROOT / "bot" / "clinic.yml"
NOW = MONDAY_8AM.astimezone(timezone.utc)
WEDNESDAY = MONDAY_8AM.date() + timedelta(days=2)


def test_an_older_profiles_holidays_move_into_the_table_at_upgrade_and_are_no_longer_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = yaml.safe_load(PROFILE.read_text())
    facts["holidays"] = {"2026-12-25": "Christmas Day", "2027-01-01": "New Year's Day"}
    old_profile = tmp_path / "clinic.yml"
    old_profile.write_text(yaml.safe_dump(facts))
    monkeypatch.setenv("CLINIC_PROFILE", str(old_profile))
    get_settings.cache_clear()
    url = f"sqlite:///{tmp_path / 'upgraded.db'}"
    migrate(url)
    migrate(url)  # a second upgrade run is a no-op, not a duplicate
    with transaction(url) as s:
        imported = {h.day: h.name for h in s.execute(select(ClinicHoliday)).scalars()}
    assert imported == {date(2026, 12, 25): "Christmas Day", date(2027, 1, 1): "New Year's Day"}
    # The profile still loads; its list is ignored, so deleting a holiday in the console sticks.
    profile = load_profile(old_profile)
    assert profile.opening_hours(date(2026, 12, 25)) is not None  # a Friday's hours; closure is the table's
    with transaction(url) as s:
        holidays.remove(s, "2026-12-25")
    with transaction(url) as s:
        assert [d for d, _ in holidays.upcoming(s, date(2026, 12, 20), 5)] == [date(2027, 1, 1)]


def test_availability_and_the_faq_agree_on_a_holiday_added_and_removed(db_url: str) -> None:
    clinic = make_clinic(db_url)
    profile = load_profile(PROFILE)
    today = MONDAY_8AM.date()

    def open_days_and_answer() -> tuple[set[date], str]:
        with transaction(db_url) as s:
            visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
            found = find_slots(s, profile, visit, When(WEDNESDAY, WEDNESDAY + timedelta(days=1)), NOW, limit=30)
            answer = faq.values(profile, holidays.upcoming(s, today))["closures"]
        return {o.starts_at.astimezone(NEW_YORK).date() for o in found.options}, answer

    assert open_days_and_answer() == ({WEDNESDAY, WEDNESDAY + timedelta(days=1)}, "")
    with transaction(db_url) as s:
        holidays.add(s, {"day": WEDNESDAY.isoformat(), "name": "Staff training"}, today)
    days, answer = open_days_and_answer()
    assert WEDNESDAY not in days and days == {WEDNESDAY + timedelta(days=1)}
    assert answer == " Closed Dec 9 (Staff training)."
    with transaction(db_url) as s:
        holidays.remove(s, WEDNESDAY.isoformat())
    assert open_days_and_answer() == ({WEDNESDAY, WEDNESDAY + timedelta(days=1)}, "")


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"day": "9 Dec", "name": "Training"}, "day", "Use a date like"),
        ({"day": "2026-12-01", "name": "Training"}, "day", "today or a later day"),
        ({"day": "2030-12-01", "name": "Training"}, "day", "within the next three years"),
        ({"day": "2026-12-25", "name": "  "}, "name", "Write the holiday's name"),
        ({"day": "2026-12-24", "name": "Eve"}, "day", "already a holiday (Christmas Eve)"),
    ],
)
def test_a_bad_holiday_is_named_next_to_its_field_and_changes_nothing(
    sqlite_url: str, form: dict[str, str], field: str, says: str
) -> None:
    with transaction(sqlite_url) as s:
        s.add(ClinicHoliday(day=date(2026, 12, 24), name="Christmas Eve"))
    with transaction(sqlite_url) as s, pytest.raises(Invalid) as refused:
        holidays.add(s, form, MONDAY_8AM.date())
    assert says in refused.value.errors[field]
    with transaction(sqlite_url) as s:
        assert holidays.upcoming(s, MONDAY_8AM.date(), 5) == [(date(2026, 12, 24), "Christmas Eve")]


def test_the_faq_answer_and_the_open_times_read_the_same_holiday(app_db: str) -> None:
    from actions.core import ActionAnswerFaq
    from bot.db import utcnow
    from tests.test_core_actions import run, tracker

    clinic = make_clinic(app_db)
    profile = load_profile(PROFILE)
    today = profile.local_now().date()
    day = today + timedelta(days=3)
    day += timedelta(days=(7 - day.weekday()) % 7)  # the next Monday at least three days ahead
    with transaction(app_db) as s:
        holidays.add(s, {"day": day.isoformat(), "name": "Staff training"}, today)
    hours_question = {"text": "are you open next week", "intent": {"name": "faq"},
                      "response_selector": {"faq": {"response": {"intent_response_key": "faq/hours"}}}}
    _, messages = run(ActionAnswerFaq(), tracker(hours_question))
    assert messages[0]["closures"] == f" Closed {day:%b} {day.day} (Staff training)."
    with transaction(app_db) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        found = find_slots(s, profile, visit, When(day, day), utcnow())
    assert not found.exact_fit and found.options
    assert all(o.starts_at.astimezone(NEW_YORK).date() != day for o in found.options)


def test_a_holiday_on_a_booked_day_keeps_the_booking_and_says_so(db_url: str) -> None:
    from bot.models import Appointment, AppointmentStatus
    from bot.scheduling import booking
    from tests.scheduling_helpers import local

    clinic = make_clinic(db_url)
    profile = load_profile(PROFILE)
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booked = booking.book(s, profile, clinic.maria, visit, local(WEDNESDAY, 10), "patient:sms", NOW)
        holidays.add(s, {"day": WEDNESDAY.isoformat(), "name": "Staff training"}, MONDAY_8AM.date())
    with transaction(db_url) as s:
        [closure] = holidays.listed(s, MONDAY_8AM.date(), NEW_YORK)
        assert (closure.day, closure.name, closure.booked) == (WEDNESDAY, "Staff training", 1)
        assert s.get(Appointment, booked.appointment_id).status == AppointmentStatus.BOOKED
