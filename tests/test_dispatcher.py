"""The dispatcher against a fake Twilio on loopback and real databases: what patients receive, and why not."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.messaging import consent
from bot.messaging.models import ConsentAction
from bot.models import Appointment, AppointmentStatus
from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import NY, Clock, add_appointment, add_patient, add_plan, dispatcher_for, settings_for

LOCAL = ZoneInfo(NY)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL)


def outbox(url: str) -> list[ReminderOutbox]:
    with transaction(url) as s:
        return list(s.execute(select(ReminderOutbox).order_by(ReminderOutbox.due_at, ReminderOutbox.id)).scalars())


@pytest.fixture
def fake():
    with FakeTwilio(timeout_delay=1.0) as server:
        yield server


def test_due_medication_reminder_goes_out_once_with_generic_text(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100001")
    add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    clock = Clock(at(2027, 6, 2, 8, 1))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    dispatcher.run_once()
    clock.advance(minutes=30)
    dispatcher.run_once()
    assert [(m["To"], m["Body"]) for m in fake.sent] == [
        (
            "+15550100001",
            "Maple Grove Clinic: Time for your 8:00 AM medication. Reply TAKEN, SKIP or SNOOZE. STOP to opt out",
        )
    ]
    assert "metformin" not in fake.sent[0]["Body"]
    assert fake.sent[0]["StatusCallback"].endswith("/webhooks/sms/status")


def test_opted_out_patient_gets_nothing_and_staff_see_why(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100002")
    add_plan(db_url, patient, [time(11, 0), time(12, 0)], start=date(2027, 6, 1))
    with transaction(db_url) as s:
        consent.record(s, "+15550100002", ConsentAction.OPT_OUT, "keyword")
    dispatcher_for(settings, fake, Clock(at(2027, 6, 2, 12, 5))).run_once()
    assert fake.sent == []
    rows = outbox(db_url)
    assert [r.reason for r in rows if r.due_at <= at(2027, 6, 2, 12, 5)] == ["opted out", "opted out"]


def test_no_mobile_number_is_a_readable_reason(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, None)
    add_plan(db_url, patient, [time(9, 0)], start=date(2027, 6, 1))
    dispatcher_for(settings, fake, Clock(at(2027, 6, 2, 9, 0))).run_once()
    assert fake.sent == []
    assert outbox(db_url)[0].reason == "no mobile number"


def test_appointment_policy_texts_three_days_and_two_hours_before(
    db_url: str, fake: FakeTwilio, tmp_path: Path
) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100003")
    appointment = add_appointment(db_url, patient, at(2027, 6, 10, 14, 30), booked_at=at(2027, 6, 1, 9, 0))
    clock = Clock(at(2027, 6, 7, 14, 30))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    clock.now = at(2027, 6, 10, 12, 30).astimezone(clock.now.tzinfo)
    dispatcher.run_once()
    bodies = [m["Body"] for m in fake.sent]
    assert (
        bodies
        == [
            "Maple Grove Clinic: Reminder of your appointment on Thu Jun 10 at 2:30 PM. "
            "Reply 1 to confirm, 2 to cancel, 3 to reschedule. STOP to opt out"
        ]
        * 2
    )
    assert "Hopper" not in bodies[0] and "cardiology" not in bodies[0] and "Follow-up" not in bodies[0]
    assert [r.appointment_id for r in outbox(db_url)] == [appointment, appointment]


def test_cancelled_appointment_reminder_is_withdrawn(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100004")
    appointment = add_appointment(db_url, patient, at(2027, 6, 10, 14, 30), booked_at=at(2027, 6, 1, 9, 0))
    clock = Clock(at(2027, 6, 6, 10, 0))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()  # expands, nothing due yet
    with transaction(db_url) as s:
        s.get(Appointment, appointment).status = AppointmentStatus.CANCELLED
    clock.now = at(2027, 6, 10, 12, 30).astimezone(clock.now.tzinfo)
    dispatcher.run_once()
    assert fake.sent == []
    assert {r.reason for r in outbox(db_url)} == {"cancelled: appointment cancelled"}


def test_quiet_hours_defer_appointment_reminders_but_honour_chosen_medication_times(
    db_url: str, fake: FakeTwilio, tmp_path: Path
) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    early = add_patient(db_url, "+15550100005")
    add_appointment(db_url, early, at(2027, 6, 10, 8, 30), booked_at=at(2027, 6, 1, 9, 0))  # 2 h before = 06:30
    pill = add_patient(db_url, "+15550100006", first="Bea")
    add_plan(db_url, pill, [time(6, 30)], start=date(2027, 6, 10))  # the patient chose a time in quiet hours
    clock = Clock(at(2027, 6, 10, 6, 30))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    assert [m["To"] for m in fake.sent] == ["+15550100006"]
    deferred = [r for r in outbox(db_url) if r.kind is ReminderKind.APPOINTMENT and r.occurrence.minutes_before == 120]
    assert deferred[0].reason == "deferred: quiet hours" and deferred[0].due_at == at(2027, 6, 10, 8, 0)
    clock.now = at(2027, 6, 10, 8, 0).astimezone(clock.now.tzinfo)
    dispatcher.run_once()
    assert [m["To"] for m in fake.sent] == ["+15550100006", "+15550100005"]


def test_snooze_into_quiet_hours_is_not_sent(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100007")
    plan = add_plan(db_url, patient, [time(20, 50)], start=date(2027, 6, 10))
    with transaction(db_url) as s:
        s.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION,
                patient_id=patient,
                plan_id=plan,
                occurrence=DoseOccurrence(datetime(2027, 6, 10, 20, 50), snooze=1),
                due_at=at(2027, 6, 10, 21, 5),
            )
        )
    dispatcher_for(settings, fake, Clock(at(2027, 6, 10, 21, 5))).run_once()
    assert fake.sent == []
    snoozed = [r for r in outbox(db_url) if r.kind is ReminderKind.MEDICATION and r.occurrence.snooze][0]
    assert snoozed.reason == "quiet hours"


def test_daily_cap_limits_appointment_reminders_per_patient(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100008")
    add_appointment(db_url, patient, at(2027, 6, 10, 11, 0), booked_at=at(2027, 6, 10, 8, 0))
    add_appointment(db_url, patient, at(2027, 6, 10, 11, 30), booked_at=at(2027, 6, 10, 8, 0))
    dispatcher_for(settings, fake, Clock(at(2027, 6, 10, 9, 35))).run_once()
    assert len(fake.sent) == 1
    assert sorted(str(r.reason) for r in outbox(db_url)) == ["None", "daily limit reached"]


def test_rate_limit_is_retried_with_backoff_then_sent_once(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100009")
    add_plan(db_url, patient, [time(9, 0)], start=date(2027, 6, 1))
    fake.script(429, 429)
    clock = Clock(at(2027, 6, 2, 9, 0))
    dispatcher = dispatcher_for(settings, fake, clock, backoff_base=60.0)
    dispatcher.run_once()
    row = outbox(db_url)[0]
    assert fake.sent == [] and row.status is OutboxStatus.PENDING and row.reason == "retrying: 20429"
    assert row.due_at > clock.now + timedelta(seconds=29)  # backed off, not hammering
    for _ in range(3):
        clock.advance(minutes=5)
        dispatcher.run_once()
    assert len(fake.sent) == 1 and len(fake.requests) == 3
    assert outbox(db_url)[0].status is OutboxStatus.SENT


def test_connection_refused_is_retried(db_url: str, tmp_path: Path) -> None:
    with FakeTwilio() as fake:
        settings = settings_for(db_url, fake, tmp_path)
        patient = add_patient(db_url, "+15550100010")
        add_plan(db_url, patient, [time(9, 0)], start=date(2027, 6, 1))
        dispatcher = dispatcher_for(settings, fake, Clock(at(2027, 6, 2, 9, 0)))
    dispatcher.run_once()  # the server is gone
    row = outbox(db_url)[0]
    assert row.status is OutboxStatus.PENDING and row.reason == "retrying: connection error"


def test_opted_out_at_carrier_21610_is_final_and_recorded(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100011")
    add_plan(db_url, patient, [time(9, 0), time(10, 0)], start=date(2027, 6, 1))
    fake.script(21610)
    clock = Clock(at(2027, 6, 2, 9, 0))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    clock.advance(hours=1)
    dispatcher.run_once()
    assert fake.sent == [] and len(fake.requests) == 1
    reasons = [r.reason for r in outbox(db_url) if r.due_at <= clock.now]
    assert reasons == ["failed: 21610", "opted out"]
    with transaction(db_url) as s:
        assert consent.is_opted_out(s, "+15550100011")


def test_landline_30006_is_final_without_retry(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100012")
    add_plan(db_url, patient, [time(9, 0)], start=date(2027, 6, 1))
    fake.script(30006)
    clock = Clock(at(2027, 6, 2, 9, 0))
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    clock.advance(hours=1)
    dispatcher.run_once()
    row = outbox(db_url)[0]
    assert (row.status, row.reason, len(fake.requests)) == (OutboxStatus.FAILED, "failed: 30006", 1)


def test_timeout_after_sending_is_reconciled_not_resent(db_url: str, fake: FakeTwilio, tmp_path: Path) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100013")
    fake.script("timeout")
    now = datetime.now(LOCAL).replace(second=0, microsecond=0)  # reconciliation compares with provider time
    add_plan(db_url, patient, [now.time()], start=now.date())
    clock = Clock(now)
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    unknown = [r for r in outbox(db_url) if r.status is OutboxStatus.UNKNOWN]
    assert len(unknown) == 1 and unknown[0].reason == "outcome unknown: timeout"
    dispatcher.run_once()
    assert len(fake.sent) == 1
    settled = [r for r in outbox(db_url) if r.id == unknown[0].id][0]
    assert settled.status is OutboxStatus.SENT and settled.message_sid == fake.sent[0]["sid"]


def test_server_error_not_sent_is_resent_once_after_reconciliation(
    db_url: str, fake: FakeTwilio, tmp_path: Path
) -> None:
    settings = settings_for(db_url, fake, tmp_path)
    patient = add_patient(db_url, "+15550100014")
    fake.script(500)
    now = datetime.now(LOCAL).replace(second=0, microsecond=0)
    add_plan(db_url, patient, [now.time()], start=now.date())
    clock = Clock(now)
    dispatcher = dispatcher_for(settings, fake, clock)
    dispatcher.run_once()
    assert fake.sent == [] and outbox(db_url)[0].status is OutboxStatus.UNKNOWN
    dispatcher.run_once()
    assert len(fake.sent) == 1 and outbox(db_url)[0].status is OutboxStatus.SENT
