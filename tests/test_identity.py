"""Identity checks: SMS number + date of birth, web name + date of birth + texted code, lock-out, no leaks."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import identity
from bot.birth_date import parse_dob
from bot.context import app_context
from bot.db import transaction
from bot.identity import Outcome
from bot.models import IdentityCheck, Patient
from bot.settings import get_settings
from tests.scheduling_helpers import (
    JOSE_DOB,
    MARIA_DOB,
    MARIA_MOBILE,
    Clinic,
    make_clinic,
)

T0 = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)
NOBODY_DOB = date(1999, 1, 1)


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return make_clinic(db_url)


def sent_code(output: str) -> str:
    return re.search(r"verification code is (\d{6})", output).group(1)


def texted(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The codes the console SMS gateway printed since the last look."""
    return re.findall(r"verification code is (\d{6})", capsys.readouterr().out)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def start(db_url: str, conversation: str, at: datetime, dob: date = MARIA_DOB) -> identity.Result:
    """A web claim to be Maria Lopez (or, with another birth date, nobody), its code texted after the commit."""
    settings = get_settings()
    with transaction(db_url) as s:
        started = identity.start_web(s, settings, conversation, "Maria Lopez", dob, at)
    identity.send_code(app_context(), started)
    return started


def guess(db_url: str, conversation: str, code: str, at: datetime) -> identity.Result:
    with transaction(db_url) as s:
        return identity.check_code(s, get_settings(), conversation, code, at)


def lock_maria(db_url: str) -> None:
    """Three wrong codes for Maria at T0, each from its own browser session."""
    for conversation in ("attacker-1", "attacker-2", "attacker-3"):
        start(db_url, conversation, T0)
        assert guess(db_url, conversation, "12345", T0).outcome is Outcome.RETRY


def test_sms_date_of_birth_is_asked_once_and_remembered_for_30_days(db_url: str, clinic: Clinic) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, T0) is None
        result = identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0)
    assert result.outcome is Outcome.VERIFIED and result.patient_id == clinic.maria
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, T0 + timedelta(days=29)) == clinic.maria
        assert identity.verified_patient(s, MARIA_MOBILE, T0 + timedelta(days=31)) is None


def test_a_number_that_changed_hands_is_no_longer_verified(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        identity.verify_sms(s, get_settings(), MARIA_MOBILE, MARIA_DOB, T0)
    with transaction(db_url) as s:
        s.get(Patient, clinic.maria).mobile = "+15550109999"
    with transaction(db_url) as s:
        assert identity.verified_patient(s, MARIA_MOBILE, T0) is None


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
        assert (
            identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=14)).outcome
            is Outcome.LOCKED
        )
        assert (
            identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=16)).outcome
            is Outcome.VERIFIED
        )


def test_web_code_goes_to_the_mobile_on_file_and_is_stored_only_hashed(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        started = identity.start_web(s, settings, "web-1", "maria  LOPEZ", MARIA_DOB, T0)
    identity.send_code(app_context(), started)
    printed = capsys.readouterr().out
    assert started.outcome is Outcome.CODE_SENT and MARIA_MOBILE in printed
    code = sent_code(printed)
    with transaction(db_url) as s:
        stored = s.get(IdentityCheck, "web-1")
        assert code not in (stored.code_hash or "")
        assert identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=2)).patient_id == clinic.maria
    with transaction(db_url) as s:
        assert identity.verified_patient(s, "web-1", T0 + timedelta(minutes=30)) == clinic.maria


def test_web_answers_the_same_when_nobody_matches_and_sends_nothing(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        match = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
        nobody = identity.start_web(s, settings, "web-2", "Maria Lopez", NOBODY_DOB, T0)
    identity.send_code(app_context(), match)
    identity.send_code(app_context(), nobody)
    assert match.message == nobody.message
    assert capsys.readouterr().out.count("verification code") == 1
    with transaction(db_url) as s:
        outcomes = [identity.check_code(s, settings, "web-2", "123456", T0).outcome for _ in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]


def test_wrong_codes_lock_and_old_codes_expire(db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        first = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
    identity.send_code(app_context(), first)
    code = sent_code(capsys.readouterr().out)
    with transaction(db_url) as s:
        assert identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=11)).outcome is Outcome.EXPIRED
        second = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
    identity.send_code(app_context(), second)
    code = sent_code(capsys.readouterr().out)
    wrong = "000000" if code != "000000" else "111111"
    with transaction(db_url) as s:
        results = [identity.check_code(s, settings, "web-1", wrong, T0).outcome for _ in range(3)]
        after = identity.check_code(s, settings, "web-1", code, T0 + timedelta(minutes=1))
    assert results == [Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]
    assert after.outcome is Outcome.LOCKED
    with transaction(db_url) as s:
        assert (
            s.execute(select(IdentityCheck.verified_until).where(IdentityCheck.conversation_id == "web-1")).scalar_one()
            is None
        )


def test_failures_in_two_conversations_lock_the_patient_for_a_third(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    start(db_url, "web-1", T0)
    start(db_url, "web-2", T0)
    code_1, code_2 = texted(capsys)
    assert [guess(db_url, "web-1", wrong(code_1), T0).outcome for _ in range(2)] == [Outcome.RETRY, Outcome.RETRY]
    # Maria's third failure is only the second session's first: it reads as any wrong code would.
    assert guess(db_url, "web-2", wrong(code_2), T0 + timedelta(minutes=1)).outcome is Outcome.RETRY
    # From now on even the right code is refused, and a new session gets no text.
    assert guess(db_url, "web-2", code_2, T0 + timedelta(minutes=2)).outcome is Outcome.RETRY
    third = start(db_url, "web-3", T0 + timedelta(minutes=3))
    assert third.outcome is Outcome.CODE_SENT and texted(capsys) == []
    with transaction(db_url) as s:
        assert identity.verified_patient(s, "web-2", T0 + timedelta(minutes=3)) is None


def test_the_patient_lock_lifts_after_15_minutes(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_maria(db_url)
    texted(capsys)
    start(db_url, "web-1", T0 + timedelta(minutes=14))
    assert texted(capsys) == []
    start(db_url, "web-1", T0 + timedelta(minutes=15))
    (code,) = texted(capsys)
    assert guess(db_url, "web-1", code, T0 + timedelta(minutes=16)).patient_id == clinic.maria


def test_a_locked_patient_and_a_claim_that_matches_nobody_read_the_same(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_maria(db_url)
    texted(capsys)
    at = T0 + timedelta(minutes=1)

    def seen(conversation: str, dob: date) -> list[tuple[Outcome, str]]:
        answers = [start(db_url, conversation, at, dob)] + [guess(db_url, conversation, "123456", at) for _ in range(3)]
        return [(a.outcome, a.message) for a in answers]

    maria, nobody = seen("web-maria", MARIA_DOB), seen("web-nobody", NOBODY_DOB)
    assert maria == nobody
    assert [outcome for outcome, _ in maria] == [Outcome.CODE_SENT, Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]
    assert texted(capsys) == []


def test_wrong_codes_on_the_web_never_lock_the_patient_out_of_their_own_phone(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a signed text speaks for a number: someone who knows Maria's name and birth date can lock the web
    claim to her, never her texts."""
    settings = get_settings()
    start(db_url, "web-1", T0)
    (code,) = texted(capsys)
    assert [guess(db_url, "web-1", wrong(code), T0).outcome for _ in range(3)][-1] is Outcome.LOCKED
    start(db_url, "web-2", T0)
    assert texted(capsys) == []  # the web claim to Maria is locked: no code goes out
    with transaction(db_url) as s:
        verified = identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=1))
    assert verified.outcome is Outcome.VERIFIED and verified.patient_id == clinic.maria


def test_only_an_sms_conversation_can_verify_by_birth_date(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s, pytest.raises(ValueError):
        identity.verify_sms(s, get_settings(), f"api:{MARIA_MOBILE}", MARIA_DOB, T0)


def test_failures_older_than_15_minutes_are_forgiven(db_url: str, clinic: Clinic) -> None:
    settings = get_settings()
    with transaction(db_url) as s:
        misses = [
            identity.verify_sms(s, settings, MARIA_MOBILE, JOSE_DOB, T0 + timedelta(minutes=m)).outcome
            for m in (0, 1, 16)
        ]
        assert misses == [Outcome.RETRY] * 3
        assert (
            identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB, T0 + timedelta(minutes=17)).outcome
            is Outcome.VERIFIED
        )


def test_wrong_codes_sent_at_once_from_many_sessions_still_lock_the_patient(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = [f"web-{n}" for n in range(6)]
    for conversation in sessions:
        start(db_url, conversation, T0)
    first_code = texted(capsys)[0]
    with ThreadPoolExecutor(len(sessions)) as pool:
        outcomes = list(pool.map(lambda conversation: guess(db_url, conversation, "12345", T0).outcome, sessions))
    assert outcomes == [Outcome.RETRY] * len(sessions)
    # Locked: even the first session's right code is refused now.
    assert guess(db_url, "web-0", first_code, T0 + timedelta(minutes=1)).outcome is Outcome.RETRY


def test_at_most_three_codes_are_texted_to_a_patient_in_15_minutes_however_many_sessions_ask(
    db_url: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [start(db_url, f"web-{n}", T0 + timedelta(minutes=n)) for n in range(5)]
    assert len(texted(capsys)) == 3
    # The sessions that got no text read exactly like those that did, and like a claim that matches nobody.
    nobody = start(db_url, "web-nobody", T0, NOBODY_DOB)
    assert {(a.outcome, a.message) for a in answers} == {(nobody.outcome, nobody.message)}
    start(db_url, "web-later", T0 + timedelta(minutes=15))
    (code,) = texted(capsys)
    assert guess(db_url, "web-later", code, T0 + timedelta(minutes=16)).patient_id == clinic.maria


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/14/1980", date(1980, 3, 14)),
        ("march 14 1980", date(1980, 3, 14)),
        ("14th march 1980", date(1980, 3, 14)),
        ("1980-03-14", date(1980, 3, 14)),
        ("3/14/80", date(1980, 3, 14)),
        ("march 14", None),
        ("hello", None),
        ("02/31/1980", None),
    ],
)
def test_dates_of_birth_are_read_in_the_usual_forms(text: str, expected: date | None) -> None:
    assert parse_dob(text, date(2026, 12, 7)) == expected
