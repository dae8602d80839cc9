"""Every scenario of the suite, in a fixed order (the order gives each simulated patient its number)."""

from __future__ import annotations

from pathlib import Path

from tests.simulated.patient import Scenario
from tests.simulated.scenarios_corrections import CORRECTIONS
from tests.simulated.scenarios_found import FOUND
from tests.simulated.scenarios_mixed import MIXED
from tests.simulated.scenarios_multi import MULTI
from tests.simulated.scenarios_other import DIGRESSIONS, HANDOFF_AND_STOP, MEDICATION, NUMBERS, QUESTIONS, REFILLS
from tests.simulated.scenarios_plans import PLAN_CHANGES
from tests.simulated.scenarios_scheduling import BOOKING, CANCELLING, CONFIRMING, MOVING
from tests.simulated.scenarios_words import WORDS

SCENARIOS: list[Scenario] = [
    *BOOKING,
    *MOVING,
    *CANCELLING,
    *CONFIRMING,
    *NUMBERS,
    *MEDICATION,
    *REFILLS,
    *QUESTIONS,
    *HANDOFF_AND_STOP,
    *DIGRESSIONS,
    *MULTI,
    *WORDS,
    *FOUND,
    *MIXED,
    *PLAN_CHANGES,
    *CORRECTIONS,
]
HELD_OUT_FILE = Path(__file__).with_name("held_out.txt")


def held_out_texts() -> list[str]:
    """What held-out patients type in their own words: openings, scripted lines of three words or more and
    answers of four or more (their plain rephrasings, "book a checkup", and bare answers such as "1" or "8am"
    are not theirs)."""
    texts: list[str] = []
    for s in SCENARIOS:
        if s.held_out:
            facts = [v for value in s.facts.values() for v in (value if isinstance(value, tuple) else (value,))]
            texts += [t for t in (s.opening, *s.script) if len(t.split()) >= 3]
            texts += [t for t in facts if len(t.split()) >= 4]
    return list(dict.fromkeys(texts))
