"""The sentence encoder and the intent classifier built on it, as Rasa's pipeline runs them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import encoder
from bot.nlu.classifier import EmbeddingIntentClassifier
from bot.safety import SUSPECTED_KEY


def test_embeddings_match_the_published_similarities_of_all_minilm_l6_v2() -> None:
    # The model's documentation lists these cosine similarities: a wrong layer, mask or pooling moves them.
    first = encoder.shared_encoder().encode(
        ["The cat sits outside", "A man is playing guitar", "The new movie is awesome"]
    )
    second = encoder.shared_encoder().encode(
        ["The dog plays in the garden", "A woman watches TV", "The new movie is so great"]
    )
    assert np.allclose((first * second).sum(axis=1), [0.2838, -0.0327, 0.8939], atol=1e-4)


def test_a_batch_with_padding_gives_each_text_its_own_embedding() -> None:
    texts = ["hi", "can you move my thursday appointment with dr chen to next week"]
    together = encoder.shared_encoder().encode(texts)
    alone = np.vstack([encoder.shared_encoder().encode([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_weights_that_are_not_the_official_file_are_refused(tmp_path: Path) -> None:
    official = encoder.model_dir()
    (tmp_path / "tokenizer.json").write_bytes((official / "tokenizer.json").read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(encoder.EncoderUnavailable, match="refusing to load"):
        encoder.SentenceEncoder(tmp_path)


def _example(text: str, intent: str) -> Message:
    base, _, topic = intent.partition("/")
    data = {"text": text, "intent": base}
    if topic:
        data["intent_response_key"] = intent
    return Message(data=data)


TRAINING = {
    "book_appointment": [
        "i need an appointment",
        "can i book a visit",
        "schedule me to see a doctor",
        "i want to come in next week",
        "set up a checkup for me",
    ],
    "cancel_appointment": [
        "cancel my appointment",
        "i cant make it, please cancel",
        "drop my visit tomorrow",
        "call off my appointment",
        "i need to cancel",
    ],
    "faq/hours": [
        "what are your hours",
        "when do you open",
        "are you open saturday",
        "what time do you close",
        "opening times please",
    ],
    "faq/parking": [
        "is there parking",
        "where do i park",
        "do you have a parking lot",
        "is parking free",
        "parking garage nearby?",
    ],
    "human_handoff": [
        "i want to talk to a person",
        "can someone call me",
        "let me speak to someone",
        "talk to a human please",
        "connect me with your staff",
    ],
    "emergency": [
        "i have crushing chest pain",
        "my husband collapsed",
        "i cant breathe at all",
        "i took a whole bottle of pills",
        "my child is not breathing",
    ],
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("classifier")
    context = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
    component = EmbeddingIntentClassifier.create({}, storage, resource, context)
    data = TrainingData([_example(t, label) for label, texts in TRAINING.items() for t in texts])
    component.train(data)
    return storage, resource, context


def _parse(component: EmbeddingIntentClassifier, text: str) -> dict:
    message = Message(data={"text": text})
    component.process([message])
    return message.as_dict(only_output_properties=True)


def test_faq_topics_are_emitted_as_faq_with_the_topic_where_the_response_selector_puts_it(trained: tuple) -> None:
    component = EmbeddingIntentClassifier.load({}, *trained)
    parsed = _parse(component, "what time do you open on saturdays")
    assert parsed["intent"]["name"] == "faq"
    assert {item["name"] for item in parsed["intent_ranking"]}.isdisjoint({"faq/hours", "faq/parking"})
    assert parsed["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/hours"
    assert parsed["response_selector"]["all_retrieval_intents"] == ["faq"]


def test_the_loaded_model_predicts_what_was_trained(trained: tuple) -> None:
    component = EmbeddingIntentClassifier.load({}, *trained)
    assert _parse(component, "please cancel my visit")["intent"]["name"] == "cancel_appointment"
    assert _parse(component, "could i get an appointment next tuesday")["intent"]["name"] == "book_appointment"


def test_an_unsure_emergency_gives_way_to_the_next_intent_and_is_flagged(trained: tuple) -> None:
    strict = EmbeddingIntentClassifier.load({"emergency_threshold": 0.999, "emergency_suspicion": 0.0}, *trained)
    parsed = _parse(strict, "my chest hurts a little when i cough, can i book a visit")
    assert parsed["intent"]["name"] != "emergency"
    assert "emergency" not in [item["name"] for item in parsed["intent_ranking"]][:1]
    assert SUSPECTED_KEY in parsed

    lenient = EmbeddingIntentClassifier.load({"emergency_threshold": 0.0}, *trained)
    assert _parse(lenient, "my father collapsed and is not breathing")["intent"]["name"] == "emergency"


def test_an_emergency_named_only_as_a_topic_gets_no_emergency_note(trained: tuple) -> None:
    # A caregiver asking what to watch for was told "If this is an emergency, call 911 now" first.
    wary = EmbeddingIntentClassifier.load({"emergency_threshold": 0.999, "emergency_suspicion": 0.0}, *trained)
    asked = "what are the warning signs of an opioid overdose? my brother is in recovery"
    assert SUSPECTED_KEY not in _parse(wary, asked)
    assert SUSPECTED_KEY in _parse(wary, "my brother took something, i think its an overdose")


def test_asking_to_talk_to_a_kind_of_clinician_is_a_booking_not_a_hand_off(trained: tuple) -> None:
    component = EmbeddingIntentClassifier.load({}, *trained)
    text = "can he talk to someone like a counselor"
    raw = dict(zip(component._labels, component.probabilities([text])[0].tolist(), strict=True))
    assert max(raw, key=raw.__getitem__) == "human_handoff"  # what the classifier alone would say
    parsed = _parse(component, text)
    ranking = [item["name"] for item in parsed["intent_ranking"]]
    assert parsed["intent"]["name"] == "book_appointment" and "human_handoff" not in ranking[:2]
    assert parsed["intent"]["confidence"] >= raw["human_handoff"] + raw["book_appointment"] - 1e-6
    # Someone at the clinic stays a hand-off.
    assert _parse(component, "let me speak to someone at the front desk")["intent"]["name"] == "human_handoff"
