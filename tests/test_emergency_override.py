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
