"""The limits patients are told about are the limits the code applies: the words come from the constants."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from bot import identity
from bot.clock import duration_text
from bot.context import app_context
from bot.db import transaction
from bot.identity import Outcome
from bot.settings import get_settings
from tests.domain import project_domain
from tests.scheduling_helpers import JOSE_DOB, MARIA_DOB, MARIA_MOBILE, make_clinic

T0 = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)


def test_the_lock_out_message_names_the_lock_out_time(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make_clinic(sqlite_url)
    monkeypatch.setattr(identity, "LOCK_FOR", timedelta(minutes=20))
    settings = get_settings()
    with transaction(sqlite_url) as s:
        results = [identity.verify_sms(s, settings, MARIA_MOBILE, JOSE_DOB, T0) for _ in range(identity.MAX_FAILURES)]
    assert results[-1].outcome is Outcome.LOCKED
    assert "verification is paused for 20 minutes after too many attempts" in results[-1].message


def test_the_code_text_names_how_long_the_code_is_valid(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_clinic(sqlite_url)
    monkeypatch.setattr(identity, "CODE_VALID_FOR", timedelta(minutes=5))
    settings = get_settings()
    with transaction(sqlite_url) as s:
        started = identity.start_web(s, settings, "web-1", "Maria Lopez", MARIA_DOB, T0)
    identity.send_code(app_context(), started)
    assert re.search(r"verification code is \d{6}\. It expires in 5 minutes\.", capsys.readouterr().out)


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "1 hour 30 minutes"),
        (timedelta(hours=2), "2 hours"),
    ],
)
def test_spans_are_said_in_whole_minutes_and_hours(span: timedelta, words: str) -> None:
    assert duration_text(span) == words


def test_the_web_prompt_for_the_code_names_how_long_the_code_is_valid() -> None:
    # A domain response cannot read the constant, so this keeps the two from drifting apart.
    domain = project_domain()
    (prompt,) = domain["responses"]["utter_ask_verify_code"]
    assert f"It expires in {duration_text(identity.CODE_VALID_FOR)}." in prompt["text"]


def test_the_code_is_asked_for_once(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by a tester: "... Please type the code here." and then "Please type the 6-digit code here."
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    with transaction(sqlite_url) as s:
        started = identity.start_web(s, get_settings(), "web-once", "nobody known", "01/01/1990")
    assert started.outcome is Outcome.CODE_SENT and "type" not in started.message.lower()
