"""A web chat patient who mistypes their date of birth can give it again. Found by a simulated patient: the wrong
birth date sent no code (as it must: nobody matched), the form waited for the code, the corrected birth date was
counted as a wrong code, and the third message locked the patient out. Going back is bounded like wrong codes,
and every answer reads the same whether or not the details matched anyone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from actions.verification import ValidateVerifyForm
from bot import identity
from bot.db import transaction
from bot.dialogue.answers import fits
from bot.identity import Outcome
from bot.settings import get_settings
from tests.scheduling_helpers import MARIA_DOB, Clinic
from tests.test_identity import T0
from tests.test_scheduling_actions import clinic, run, texts, tracker  # noqa: F401

WEB = {"channel": "webchat"}
NAMED = {"verify_name": "Maria Lopez"}
WRONG_DOB = MARIA_DOB.replace(year=MARIA_DOB.year - 1)


def _at_the_code(text: str) -> tuple[dict, str]:
    """`text` said where the form asks for the code (the slot mapping took the words as the code)."""
    slots = {**NAMED, "verify_dob": WRONG_DOB.isoformat(), "verify_code": text, "requested_slot": "verify_code"}
    result, messages = run(ValidateVerifyForm(), tracker(text, slots=slots, **WEB))
    return result, texts(messages)


def _texted_code(capsys: pytest.CaptureFixture[str]) -> str | None:
    found = re.search(r"verification code is (\d{6})", capsys.readouterr().out)
    return found[1] if found else None


def test_a_mistyped_birth_date_typed_again_at_the_code_sends_the_code(
    app_db: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    sent, messages = run(
        ValidateVerifyForm(), tracker(f"{WRONG_DOB:%m/%d/%Y}", slots={**NAMED, "requested_slot": "verify_dob"}, **WEB)
    )
    assert sent["requested_slot"] == "verify_code" and _texted_code(capsys) is None  # nobody matched: no text
    assert "If those details match our records" in texts(messages)
    again, said = _at_the_code(f"sorry, typo, it's {MARIA_DOB:%m/%d/%Y}")
    assert again["requested_slot"] == "verify_code" and again["verify_code"] is None
    assert "If those details match our records" in said and "didn't work" not in said
    code = _texted_code(capsys)
    assert code is not None
    done, _ = run(ValidateVerifyForm(), tracker(code, slots={**NAMED, **again}, **WEB))
    assert done["patient_verified"] is True and done["patient_id"] == clinic.maria


@pytest.mark.parametrize(
    "words", ["sorry, i typed my birthday wrong", "wrong date of birth", "I never got a text", "no code came"]
)
def test_saying_the_birth_date_was_wrong_or_no_code_came_asks_for_the_birth_date_again(
    app_db: str, clinic: Clinic, words: str  # noqa: F811
) -> None:
    result, said = _at_the_code(words)
    assert result["requested_slot"] == "verify_dob" and result["verify_dob"] is None and result["verify_code"] is None
    assert "date of birth" in said and "didn't work" not in said
    assert fits("verify_code", words, T0, 90)  # an answer to the code question, never a new request


def test_a_wrong_code_says_how_to_give_the_birth_date_again_whoever_was_claimed(
    app_db: str, clinic: Clinic  # noqa: F811
) -> None:
    settings = get_settings()
    with transaction(app_db) as s:
        identity.start_web(s, settings, "web-nobody", "Nobody Known", MARIA_DOB, T0)
        identity.start_web(s, settings, "web-maria", "Maria Lopez", MARIA_DOB, T0)
        nobody = identity.check_code(s, settings, "web-nobody", "000001", T0)
        maria = identity.check_code(s, settings, "web-maria", "000001", T0)
    assert nobody == maria and "type your date of birth again" in maria.message


def test_going_back_to_the_birth_date_is_counted_and_the_third_attempt_locks(
    app_db: str, clinic: Clinic  # noqa: F811
) -> None:
    settings = get_settings()
    with transaction(app_db) as s:
        outcomes = []
        for minute in range(3):
            at = T0 + timedelta(minutes=minute)
            identity.start_web(s, settings, "web-typo", "Maria Lopez", WRONG_DOB, at)
            outcomes.append(identity.give_up_code(s, settings, "web-typo", at).outcome)
        locked = identity.start_web(s, settings, "web-typo", "Maria Lopez", MARIA_DOB, T0 + timedelta(minutes=4))
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.LOCKED]
    assert locked.outcome is Outcome.LOCKED and locked.code_to_send is None


def test_the_action_stops_asking_once_going_back_locks(app_db: str, clinic: Clinic) -> None:  # noqa: F811
    for _ in range(2):
        assert _at_the_code("i typed my birthday wrong")[0]["requested_slot"] == "verify_dob"
    locked, said = _at_the_code("i typed my birthday wrong")
    assert locked["patient_verified"] is False and locked["requested_slot"] is None and "15 minutes" in said
