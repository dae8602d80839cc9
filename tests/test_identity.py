"""Identity checks: SMS number + date of birth, web name + date of birth + texted code, lock-out, no leaks."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import identity
from bot.db import transaction
from bot.identity import Outcome
from bot.models import IdentityCheck, Patient
from bot.settings import get_settings
from tests.scheduling_helpers import JOSE_DOB, MARIA_DOB, MARIA_MOBILE, Clinic, make_clinic

T0 = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return make_clinic(db_url)


def sent_code(output: str) -> str:
    return re.search(r"verification code is (\d{6})", output).group(1)


def test_sms_date_of_birth_is_asked_once_and_remembered_for_30_days(db_url: str, clinic: Clinic) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, "sms", T0) is None
        result = identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0)
    assert result.outcome is Outcome.VERIFIED and result.patient_id == clinic.maria
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, "sms", T0 + timedelta(days=29)) == clinic.maria
        assert identity.verified_patient(s, MARIA_MOBILE, "sms", T0 + timedelta(days=31)) is None


def test_a_number_that_changed_hands_is_no_longer_verified(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        identity.verify_sms(s, get_settings(), MARIA_MOBILE, MARIA_DOB, T0)
    with transaction(db_url) as s:
        s.get(Patient, clinic.maria).mobile = "+15550109999"
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, "sms", T0) is None


def test_unknown_number_and_wrong_birthday_read_the_same_and_three_misses_lock(db_url: str, clinic: Clinic) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        wrong = identity.verify_sms(s, settings, MARIA_MOBILE, JOSE_DOB, T0)
        stranger = identity.verify_sms(s, settings, "+15550109999", MARIA_DOB, T0)
    assert wrong.outcome is stranger.outcome is Outcome.RETRY
    assert wrong.message == stranger.message
    with transaction(db_url) as s:
        identity.verify_sms(s, settings, MARIA_MOBILE, JOSE_DOB, T0)
        locked = identity.verify_sms(s, settings, MARIA_MOBILE, JOSE_DOB, T0)
    assert locked.outcome is Outcome.LOCKED and "15 minutes" in locked.message
    with transaction(db_url) as s:
        # even the right answer waits out the lock
        assert identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=14)).outcome is Outcome.LOCKED
        assert identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=16)).outcome is Outcome.VERIFIED


def test_web_code_goes_to_the_mobile_on_file_and_is_stored_only_hashed(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        started = identity.start_web(s, settings, "web-1", "maria  LOPEZ", MARIA_DOB, T0)
    identity.send_code(settings, started)
    printed = capsys.readouterr().out
    assert started.outcome is Outcome.CODE_SENT and MARIA_MOBILE in printed
    code = sent_code(printed)
    with transaction(db_url) as s:
        stored = s.get(IdentityCheck, "web-1")
        assert code not in (stored.code_hash or "")
        assert identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=2)).patient_id == clinic.maria
    with transaction(db_url) as s:
        assert identity.verified_patient(s, "web-1", "webchat", T0 + timedelta(minutes=30)) == clinic.maria


def test_web_answers_the_same_when_nobody_matches_and_sends_nothing(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        match = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
        nobody = identity.start_web(s, settings, "web-2", "Maria Lopez", date(1999, 1, 1), T0)
    identity.send_code(settings, match)
    identity.send_code(settings, nobody)
    assert match.message == nobody.message
    assert capsys.readouterr().out.count("verification code") == 1
    with transaction(db_url) as s:
        outcomes = [identity.check_code(s, settings, "web-2", "123456", T0).outcome for _ in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]


def test_wrong_codes_lock_and_old_codes_expire(db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        first = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
    identity.send_code(settings, first)
    code = sent_code(capsys.readouterr().out)
    with transaction(db_url) as s:
        assert identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=11)).outcome is Outcome.EXPIRED
        second = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
    identity.send_code(settings, second)
    code = sent_code(capsys.readouterr().out)
    wrong = "000000" if code != "000000" else "111111"
    with transaction(db_url) as s:
        results = [identity.check_code(s, settings, "web-1", wrong, T0).outcome for _ in range(3)]
        after = identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=1))
    assert results == [Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]
    assert after.outcome is Outcome.LOCKED
    with transaction(db_url) as s:
        assert s.execute(select(IdentityCheck.verified_until).where(IdentityCheck.conversation_id == "web-1")).scalar_one() is None


@pytest.mark.parametrize(
    "text, expected",
    [("03/14/1980", date(1980, 3, 14)), ("march 14 1980", date(1980, 3, 14)), ("14th march 1980", date(1980, 3, 14)),
     ("1980-03-14", date(1980, 3, 14)), ("3/14/80", date(1980, 3, 14)), ("march 14", None), ("hello", None),
     ("02/31/1980", None)],
)
def test_dates_of_birth_are_read_in_the_usual_forms(text: str, expected: date | None) -> None:
    assert identity.parse_dob(text, date(2026, 12, 7)) == expected
