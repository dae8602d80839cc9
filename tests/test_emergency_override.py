"""The emergency override runs last in the NLU pipeline: crisis words win over whatever was read before."""
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.emergency import CATEGORY_KEY, EmergencyOverride


def test_crisis_words_in_a_reply_to_a_dose_reminder_are_an_emergency_not_a_skipped_dose() -> None:
    # The classifier read a skipped dose; the action that records a skip must never run on these words.
    said = Message(data={TEXT: "no I didn't take it. I want to take all of them and not wake up",
                         INTENT: {"name": "medication_skipped", "confidence": 0.48}})
    EmergencyOverride().process([said])
    assert said.get(INTENT)["name"] == "emergency"
    assert said.get(CATEGORY_KEY) == "self_harm"


def test_an_overdose_told_to_a_dose_reminder_is_an_emergency_not_a_dose_taken() -> None:
    # Found by round-4 testers: the classifier read a dose taken and the reply was "Thanks, noted as taken."
    said = Message(data={TEXT: "I think I took too many, I took like 10 of them",
                         INTENT: {"name": "medication_taken", "confidence": 0.57}})
    EmergencyOverride().process([said])
    assert said.get(INTENT)["name"] == "emergency"
    assert said.get(CATEGORY_KEY) == "overdose"


def test_a_farewell_read_as_a_goodbye_is_an_emergency() -> None:
    # Found by round-5 testers: the reply was "Take care! Message us any time."
    said = Message(data={TEXT: "this is my last message, goodbye everyone, I'm done with life",
                         INTENT: {"name": "goodbye", "confidence": 0.81}})
    EmergencyOverride().process([said])
    assert said.get(INTENT)["name"] == "emergency"
    assert said.get(CATEGORY_KEY) == "self_harm"


def test_a_child_who_drank_bleach_is_an_emergency_named_a_poisoning() -> None:
    said = Message(data={TEXT: "my 2 year old drank some bleach", INTENT: {"name": "nlu_fallback", "confidence": 0.3}})
    EmergencyOverride().process([said])
    assert said.get(INTENT)["name"] == "emergency"
    assert said.get(CATEGORY_KEY) == "poisoning"
