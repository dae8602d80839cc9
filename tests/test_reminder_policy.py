"""The clinic's appointment-reminder policy: validated, stored with a version, read by the dispatcher, and
changed from the command line and the console's service alike (real SQLite and PostgreSQL, fake Twilio)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.clinic import load_profile
from bot.console import reminder_policy
from bot.console.models import AuditEntry
from bot.db import transaction
from bot.reminders import policy as policies
from bot.reminders.models import ReminderOutbox
from bot.settings import get_settings
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import NY, Clock, add_appointment, add_patient, dispatcher_for, settings_for

LOCAL = ZoneInfo(NY)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL)


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (("1w", "21:00", "08:00", "1"), "offsets", "'1w' is not a time before the visit: write 7d, 2d or 2h."),
        (("", "21:00", "08:00", "1"), "offsets", "Give at least one, like 7d, 2d."),
        (("2d, 48h", "21:00", "08:00", "1"), "offsets", "Each time appears once."),
        (
            ("10m", "21:00", "08:00", "1"),
            "offsets",
            "'10m': each reminder goes out between 30 minutes and 30 days before.",
        ),
        (("7d", "9pm", "08:00", "1"), "quiet_start", "Write a 24-hour time like 21:00."),
        (("7d", "21:00", "21:00", "1"), "quiet_end", "Quiet hours end at a different time than they start."),
        (("7d", "21:00", "08:00", "5"), "per_day", "A whole number from 1 to 3."),
    ],
)
def test_bad_policy_input_names_the_field_and_what_to_write(fields: tuple[str, ...], field: str, message: str) -> None:
    with pytest.raises(policies.PolicyError) as raised:
        policies.parse(*fields)
    assert raised.value.errors == {field: message}


def test_policy_reads_as_written_largest_first() -> None:
    parsed = policies.parse(" 2d, 7D ,90m", "20:30", "07:00", "2")
    assert (parsed.offsets, parsed.quiet_hours, parsed.per_day) == ((10080, 2880, 90), ("20:30", "07:00"), 2)
    assert policies.offsets_text(parsed.offsets) == "7d, 2d, 90m"
    assert [policies.describe_offset(m) for m in parsed.offsets] == [
        "7 days before",
        "2 days before",
        "90 minutes before",
    ]


def test_the_environment_seeds_the_policy_until_one_is_saved_and_a_stale_save_changes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    settings = settings_for(db_url, None, tmp_path, APPOINTMENT_REMINDER_OFFSETS="3d,2h", QUIET_HOURS="21:00-08:00")
    with transaction(db_url) as session:
        seeded = policies.current(session, settings)
        assert (seeded.offsets, seeded.quiet_hours, seeded.per_day, seeded.version) == (
            (4320, 120),
            ("21:00", "08:00"),
            1,
            0,
        )
        _, saved = policies.save(session, settings, policies.parse("7d,2d", "20:00", "09:00", "1"), 0, "ada")
        assert (saved.offsets, saved.version, saved.updated_by) == ((10080, 2880), 1, "ada")
    with transaction(db_url) as session:
        # A second editor who read version 0 (before ada's save) is refused, whether first save or later.
        with pytest.raises(policies.PolicyError, match="Someone saved the reminder policy meanwhile"):
            policies.save(session, settings, policies.parse("1d", "22:00", "07:00", "1"), 0, "kim")
        policies.save(session, settings, policies.parse("3d", "22:00", "07:00", "1"), 1, "kim")
        with pytest.raises(policies.PolicyError):
            policies.save(session, settings, policies.parse("1d", "22:00", "07:00", "1"), 1, "ada")
    with transaction(db_url) as session:
        stored = policies.current(session, settings)
        assert (stored.offsets, stored.quiet_hours, stored.version, stored.updated_by) == (
            (4320,),
            ("22:00", "07:00"),
            2,
            "kim",
        )


def test_dispatcher_sends_on_the_saved_offsets_and_drops_reminders_queued_under_the_old_ones(
    db_url: str, fake: FakeTwilio, tmp_path: Path
) -> None:
    settings = settings_for(db_url, fake, tmp_path, APPOINTMENT_REMINDER_OFFSETS="3d,2h")
    patient = add_patient(db_url, "+15550180001")
    add_appointment(db_url, patient, at(2027, 6, 10, 14, 30), booked_at=at(2027, 5, 1, 9, 0))
    clock = Clock(at(2027, 6, 6, 14, 0))
    dispatcher = dispatcher_for(settings, fake, clock, policy_ttl=0.0)
    dispatcher.run_once()  # queues the 3-day reminder (due Jun 7 14:30) under the environment's policy
    with transaction(db_url) as session:
        policies.save(session, settings, policies.parse("2d, 1d", "21:00", "08:00", "1"), 0, "ada")
    clock.now = at(2027, 6, 7, 14, 31).astimezone(clock.now.tzinfo)
    dispatcher._last_expansion = None  # the next pass expands again, as it does every few minutes
    dispatcher.run_once()
    assert fake.sent == []  # the 3-day reminder is no longer policy
    clock.now = at(2027, 6, 8, 14, 31).astimezone(clock.now.tzinfo)
    dispatcher._last_expansion = None
    dispatcher.run_once()
    assert len(fake.sent) == 1
    assert fake.sent[0]["Body"].endswith(
        "Reminder of your appointment on Thu Jun 10 at 2:30 PM. Reply 1 to confirm, "
        "2 to cancel, 3 to reschedule. STOP to opt out"
    )
    with transaction(db_url) as session:
        reasons = {
            str(row.occurrence).split("@")[0]: row.reason or row.status.value
            for row in session.execute(select(ReminderOutbox)).scalars()
        }
    assert reasons == {"4320m": "cancelled: reminder policy changed", "2880m": "sent", "1440m": "pending"}


def test_dispatcher_keeps_the_saved_quiet_hours(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path, QUIET_HOURS="21:00-08:00")
    with transaction(db_url) as session:
        policies.save(session, settings, policies.parse("2d", "20:00", "10:00", "1"), 0, "ada")
    patient = add_patient(db_url, "+15550180002")
    add_appointment(db_url, patient, at(2027, 6, 10, 9, 0), booked_at=at(2027, 5, 1, 9, 0))
    clock = Clock(at(2027, 6, 8, 9, 1))  # the 2-day reminder is due; 9:01 AM is quiet under the saved policy
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    assert fake.sent == []
    clock.now = at(2027, 6, 8, 10, 0).astimezone(clock.now.tzinfo)
    dispatcher.run_once()
    assert [m["To"] for m in fake.sent] == ["+15550180002"]


def test_command_line_shows_and_sets_the_policy_through_the_same_checks(
    app_db: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["reminders", "policy", "set", "--offsets", "7d,2d", "--per-day", "2"]) == 0
    out = capsys.readouterr().out
    assert "reminders before each appointment: 7d, 2d" in out and "at most: 2" in out
    assert main(["reminders", "policy", "set", "--quiet-start", "9pm"]) == 2
    assert "not saved: quiet_start: Write a 24-hour time like 21:00." in capsys.readouterr().out
    assert main(["reminders", "policy", "show"]) == 0
    out = capsys.readouterr().out
    assert "7d, 2d" in out and "version 1: saved by operator (command line)" in out


def test_console_save_is_audit_logged_and_the_preview_shows_the_text_and_send_times(app_db: str) -> None:
    settings = get_settings()
    profile = load_profile(settings.clinic_profile)
    patient = add_patient(app_db, "+15550180003", first="Ana")
    add_appointment(app_db, patient, at(2027, 6, 10, 9, 0), booked_at=at(2027, 5, 1, 9, 0))
    draft = policies.parse("7d, 2d, 1h", "21:00", "08:30", "1")
    with transaction(app_db) as session:
        shown = reminder_policy.preview(session, draft, profile, now=at(2027, 6, 1, 12, 0))
        reminder_policy.save(session, settings, draft, 0, "ada")
    assert shown.who == "Ana Lovelace's next appointment"
    assert shown.text.endswith(
        "Reminder of your appointment on Thu Jun 10 at 9:00 AM. Reply 1 to confirm, "
        "2 to cancel, 3 to reschedule. STOP to opt out"
    )
    assert [(s.offset, s.at, s.note) for s in shown.sends] == [
        ("7 days before", "Thu Jun 3, 9:00 AM EDT", ""),
        ("2 days before", "Tue Jun 8, 9:00 AM EDT", ""),
        ("1 hour before", "Thu Jun 10, 8:30 AM EDT", "moved out of quiet hours (planned 8:00 AM)"),
    ]
    with transaction(app_db) as session:
        entry = session.execute(select(AuditEntry)).scalar_one()
        assert (entry.actor, entry.action) == ("ada", "reminders.policy")
        assert '"offsets": "3d, 2h"' in entry.before and '"offsets": "7d, 2d, 1h"' in entry.after
        later = reminder_policy.preview(session, draft, profile, now=at(2027, 6, 5, 12, 0))
        too_quiet = policies.parse("30m", "21:00", "09:30", "1")  # 8:30 AM is quiet and 9:30 is after the visit
        dropped = reminder_policy.preview(session, too_quiet, profile, now=at(2027, 6, 1, 12, 0)).sends
    assert dropped == [reminder_policy.Send("30 minutes before", "not sent: quiet hours")]
    # Ana's visit is now under 7 days away: the preview takes a sample visit on which every reminder is to come.
    assert (later.who, later.starts) == ("a sample appointment", "Sun Jun 13, 10:00 AM EDT")
    assert [s.at for s in later.sends] == [
        "Sun Jun 6, 10:00 AM EDT",
        "Fri Jun 11, 10:00 AM EDT",
        "Sun Jun 13, 9:00 AM EDT",
    ]
