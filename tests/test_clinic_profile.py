"""The clinic profile is checked when it is read: a bad or missing field is named, and never breaks a live assistant."""

from __future__ import annotations

import logging
import os
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.clinic import ProfileError, load_profile
from bot.settings import PROJECT_ROOT

DEFAULT_PROFILE = PROJECT_ROOT / "bot" / "clinic.yml"


def facts() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PROFILE.read_text())


def write(path: Path, content: dict[str, Any] | str, mtime: int | None = None) -> Path:
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    if mtime is not None:
        os.utime(path, (mtime, mtime))  # a different mtime, as any real save gives
    return path


def test_the_shipped_profile_reads_as_typed_facts() -> None:
    profile = load_profile(DEFAULT_PROFILE)
    assert profile.phone == "+1 (555) 010-2000" and profile.short_name == "Maple Grove Clinic"
    assert profile.hours[0] == (time(8), time(17)) and profile.hours[6] is None
    assert "Aetna" in profile.insurance_plans and profile.zone.key == "America/New_York"
    assert profile.opening_hours(date(2026, 12, 27)) is None and profile.opening_hours(date(2026, 12, 23))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("phone"), "'phone' is missing"),
        (lambda f: f.update(phone=""), "'phone' must be text"),
        (lambda f: f.update(time_zone="Eastern"), "'time_zone' must be an IANA time zone"),
        (lambda f: f["hours"].update(monday="8-5"), "'hours' for monday must be \"HH:MM-HH:MM\" or closed"),
        (lambda f: f["hours"].update(friday="17:00-08:00"), "'hours' for friday closes before it opens"),
        (lambda f: f["hours"].update(funday="closed"), "'hours' has 'funday', which is not a weekday"),
        (lambda f: f.update(holidays={"Christmas": "Christmas Day"}), "'holidays' has 'Christmas'"),
        (lambda f: f.update(insurance_plans="Aetna"), "'insurance_plans' must be a list of names"),
        (lambda f: f.update(reminder_details=["diagnosis"]), "'reminder_details' may list only provider, visit_type"),
        (lambda f: f.update(phnoe="+1 555"), "'phnoe' is not a clinic profile field"),
    ],
)
def test_a_bad_or_missing_field_is_named(tmp_path: Path, change, message: str) -> None:
    content = facts()
    change(content)
    path = write(tmp_path / "clinic.yml", content)
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert str(error.value).startswith(f"clinic profile {path}: {message}")


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "clinic.yml", "name: [unclosed")
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(path)


def test_a_bad_edit_is_logged_and_the_last_good_profile_stays_until_a_good_edit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = facts()
    path = write(tmp_path / "clinic.yml", content, mtime=1)
    assert load_profile(path).phone == "+1 (555) 010-2000"

    broken = {k: v for k, v in content.items() if k != "phone"}
    write(path, broken, mtime=2)
    with caplog.at_level(logging.ERROR, logger="bot.clinic"):
        assert load_profile(path).phone == "+1 (555) 010-2000"
        assert load_profile(path).phone == "+1 (555) 010-2000"
    assert [r.getMessage() for r in caplog.records].count(
        "clinic profile edit not used; the last good profile stays in use"
    ) == 1  # once per edit, not per message
    assert "'phone' is missing" in caplog.text

    write(path, {**content, "phone": "+1 (555) 010-9999"}, mtime=3)
    assert load_profile(path).phone == "+1 (555) 010-9999"
