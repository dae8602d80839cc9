"""Simulated patients over the real SMS webhook and the web chat, judged on the database.

Each conversation must change nothing the patient did not ask for. Each must also reach its goal,
except those listed in KNOWN_GAPS (still reported, with the reason), so a regression fails the run.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.simulated.patient import Outcome, run
from tests.simulated.scenarios import HELD_OUT_FILE, SCENARIOS, held_out_texts

pytestmark = pytest.mark.rasa

# Scenarios whose goal the assistant does not reach yet, and why (they still must do no harm).
KNOWN_GAPS: dict[str, str] = {}


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=[s.id for s in SCENARIOS])
def test_the_patient_gets_what_they_asked_for_and_nothing_else(assistant, outcomes: list[Outcome], index: int) -> None:
    scenario = SCENARIOS[index]
    outcome = run(scenario, assistant, index)
    outcomes.append(outcome)
    if not outcome.success:
        print(f"{outcome.stuck}\n{outcome.story()}")  # shown with -rP for the known gaps
    assert not outcome.harm, f"unrequested change {outcome.harm}\n{outcome.story()}"
    if scenario.id not in KNOWN_GAPS:
        assert outcome.success, f"{outcome.stuck}\n{outcome.story()}"


def test_the_suite_is_large_and_varied() -> None:
    assert len(SCENARIOS) >= 80 and len({s.id for s in SCENARIOS}) == len(SCENARIOS)
    assert {s.channel for s in SCENARIOS} == {"sms", "web"}
    assert {"elderly", "hurried", "non-native", "typos", "multi-request", "correction", "digression", "ambiguous"} <= {
        s.voice for s in SCENARIOS}


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_held_out_patients_words_are_listed_and_never_in_the_training_data() -> None:
    listed = [line for line in HELD_OUT_FILE.read_text().splitlines() if line and not line.startswith("#")]
    assert listed == held_out_texts(), "regenerate tests/simulated/held_out.txt: python -m tests.simulated.held_out"
    training = _normal(" ".join(p.read_text() for p in Path("data").rglob("*.yml")))
    assert [t for t in listed if _normal(t) in training] == []
