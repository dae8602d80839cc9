"""Crisis detection on messages it was never tuned on... and on ordinary ones that only sound alarming.

tests/data/crisis_emergencies.yml and crisis_ordinary.yml are written for this test and kept out of the
training data (data/nlu): every emergency must be caught (recall 100%), and at most 5% of at least 100
ordinary messages mentioning symptoms, past events, medications or crisis words may get the crisis reply.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot import safety

DATA = Path(__file__).parent / "data"
EMERGENCIES: dict = yaml.safe_load((DATA / "crisis_emergencies.yml").read_text())["emergencies"]
ORDINARY: list = yaml.safe_load((DATA / "crisis_ordinary.yml").read_text())["ordinary"]


def test_every_held_out_emergency_gets_the_crisis_reply_with_its_category() -> None:
    missed = []
    for category, texts in EMERGENCIES.items():
        for text in texts:
            found = safety.detect(text)
            # "mixed" messages combine a past or denied episode with a present one: any category will do.
            if found is None or (category != "mixed" and found != category):
                missed.append((category, found, text))
    assert sum(len(texts) for texts in EMERGENCIES.values()) >= 50
    assert missed == []


def test_at_most_five_percent_of_ordinary_messages_get_the_crisis_reply() -> None:
    assert len(ORDINARY) >= 100 and all(isinstance(text, str) for text in ORDINARY)
    false_alarms = [text for text in ORDINARY if safety.detect(text)]
    assert len(false_alarms) / len(ORDINARY) <= 0.05, false_alarms


def test_held_out_texts_are_not_training_examples() -> None:
    training = "\n".join(path.read_text().lower() for path in (DATA.parent.parent / "data" / "nlu").glob("*.yml"))
    held_out = [text for texts in EMERGENCIES.values() for text in texts] + ORDINARY
    assert [text for text in held_out if f"- {text.lower()}\n" in training] == []
