"""FAQ answers come from the operator's clinic profile, and an edit shows without a restart."""
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from bot import faq
from bot.clinic import load_profile
from bot.db import transaction
from bot.models import ClinicHoliday
from bot.scheduling import holidays
from bot.scheduling.errors import OutsideOpeningHours
from bot.scheduling.policies import check_when
from bot.scheduling.timeparse import When
from bot.settings import PROJECT_ROOT
from tests.domain import project_domain

DEFAULT_PROFILE = PROJECT_ROOT / "bot" / "clinic.yml"


def test_every_topic_has_a_domain_response_whose_placeholders_are_filled() -> None:
    domain = project_domain()
    values = faq.values(load_profile(DEFAULT_PROFILE), [(date(2026, 12, 25), "Christmas Day")])
    for topic in faq.TOPICS:
        templates = domain["responses"][f"utter_faq/{topic}"]
        for template in templates:
            rendered = template["text"].format(**values)
            assert "{" not in rendered and rendered.strip()


def test_hours_list_each_day_and_upcoming_closures_from_the_holiday_table(db_url: str) -> None:
    with transaction(db_url) as s:
        s.add_all([ClinicHoliday(day=date(2026, 12, 25), name="Christmas Day"),
                   ClinicHoliday(day=date(2027, 1, 1), name="New Year's Day")])
    with transaction(db_url) as s:
        before = faq.values(load_profile(DEFAULT_PROFILE), holidays.upcoming(s, date(2026, 12, 20)))
        after = faq.values(load_profile(DEFAULT_PROFILE), holidays.upcoming(s, date(2026, 12, 26)))
    assert before["hours"] == (
        "Mon, Tue, Thu 8:00 AM-5:00 PM; Wed 8:00 AM-7:00 PM; Fri 8:00 AM-4:00 PM; Sat 9:00 AM-12:00 PM; closed Sun"
    )
    assert before["closures"] == " Closed Dec 25 (Christmas Day), Jan 1 (New Year's Day)."
    assert after["closures"] == " Closed Jan 1 (New Year's Day)."


def test_operator_edit_is_picked_up_on_the_next_answer(tmp_path: Path) -> None:
    profile_path = tmp_path / "clinic.yml"
    facts = yaml.safe_load(DEFAULT_PROFILE.read_text())
    profile_path.write_text(yaml.safe_dump(facts))
    assert "Aetna" in faq.values(load_profile(profile_path))["insurance_plans"]

    facts["insurance_plans"] = ["Humana"]
    profile_path.write_text(yaml.safe_dump(facts))
    import os
    os.utime(profile_path, (1, 2))  # a different mtime, as any real save gives
    assert faq.values(load_profile(profile_path))["insurance_plans"] == "Humana"


def test_the_faq_and_booking_state_the_same_opening_hours() -> None:
    profile = load_profile(DEFAULT_PROFILE)
    sunday = datetime(2026, 12, 20, 10, tzinfo=profile.zone)
    with pytest.raises(OutsideOpeningHours) as closed:
        check_when(When(sunday.date(), sunday.date()), profile, sunday, 90, {})
    assert f"We're open {faq.values(profile)['hours']}." in str(closed.value)
