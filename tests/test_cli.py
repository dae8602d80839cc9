"""Staff read hand-offs, safety events, opt-outs, refills and deliveries from the command line."""

from datetime import date, datetime, timedelta

import pytest

from bot import handoff, safety
from bot.cli import main
from bot.db import transaction, utcnow
from bot.messaging import consent
from bot.messaging.models import ConsentAction
from bot.models import Patient
from bot.reminders.models import OutboxStatus, RefillRequest, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence


@pytest.fixture
def clinic_db(app_db: str) -> str:
    with transaction(app_db) as s:
        patient = Patient(
            first_name="Ana",
            last_name="Diaz",
            date_of_birth=date(1980, 2, 3),
            mobile="+15550100001",
            time_zone="America/New_York",
        )
        s.add(patient)
        s.flush()
        consent.record(s, "+15550100001", ConsentAction.OPT_OUT, "keyword")
        consent.record(s, "+15550100002", ConsentAction.OPT_OUT, "keyword")
        consent.record(s, "+15550100002", ConsentAction.OPT_IN, "keyword")
        handoff.request_handoff(s, "+15550100003", "sms", "asked")
        safety.record_event(s, "web-abc", "webchat", "chest_pain", "rule")
        s.add(RefillRequest(patient_id=patient.id, medication="lisinopril", channel="sms"))
        due = utcnow() - timedelta(hours=1)
        s.add_all(
            [
                ReminderOutbox(
                    kind=ReminderKind.MEDICATION,
                    patient_id=patient.id,
                    occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)),
                    due_at=due,
                    status=OutboxStatus.SKIPPED,
                    reason="opted out",
                ),
                ReminderOutbox(
                    kind=ReminderKind.MEDICATION,
                    patient_id=patient.id,
                    occurrence=DoseOccurrence(datetime(2027, 6, 2, 20)),
                    due_at=due,
                    status=OutboxStatus.SKIPPED,
                    reason="opted out",
                ),
            ]
        )
    return app_db


def test_optouts_list_only_numbers_still_opted_out(clinic_db: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["optouts"]) == 0
    out = capsys.readouterr().out
    assert "+15550100001" in out and "+15550100002" not in out
    assert "1 number(s) opted out" in out


def test_staff_see_handoffs_safety_refills_and_why_reminders_were_not_sent(
    clinic_db: str, capsys: pytest.CaptureFixture
) -> None:
    for command in (["handoffs"], ["safety"], ["refills"], ["deliveries"]):
        assert main(command) == 0
    out = capsys.readouterr().out
    assert "+15550100003" in out and "1 open hand-off request(s)" in out
    assert "chest_pain (rule)" in out
    assert "lisinopril" in out
    assert "     2  medication   skipped    opted out" in out
