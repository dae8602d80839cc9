"""Pipeline component: intents (and FAQ topics) by logistic regression on pretrained sentence embeddings.

DIET trained from scratch learned our phrasings, not patients'; a pretrained encoder carries what words mean.
Each FAQ topic is its own label while training (a single merged `faq` label soaks up off-topic text), but the
emitted intent stays `faq` and the topic goes where Rasa's ResponseSelector would put it, so domain, rules
and `action_answer_faq` are unchanged. The classifier's `emergency` label must be confident to stand: the
deterministic layer (`EmergencyOverride`, last in the pipeline) catches the clear cases on its own.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from threadpoolctl import ThreadpoolController

from bot.nlu import encoder
from bot.nlu.asked_readings import read_as_asked
from bot.nlu.clause_notes import note_after_choice, note_second_request
from bot.nlu.clauses import Clause, after_a_number, clauses
from bot.nlu.emergency import EMERGENCY_INTENT
from bot.nlu.features import LexicalFeatures
from bot.nlu.readings import corrected
from bot.safety import SUSPECTED_KEY, only_talked_about

# Set on the parse data when the classifier thought of an emergency but was not sure enough to say so:
# the dialogue can name 911/988 and still carry on with the request.
RESPONSE_SELECTOR = "response_selector"
_FILE = "classifier.npz"
_META = "classifier.json"
# One BLAS thread for the classifier's matrix products: a message is one row, and OpenBLAS's second thread
# then only busy-waits after each call (measured: a parse took twice its wall time in CPU, 21 ms for 11).
_BLAS = ThreadpoolController()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmbeddingIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse regularisation strength of the logistic regression.
            "C": 20.0,
            # Also feed word and character TF-IDF (typos, drug names the encoder splits into pieces).
            "lexical_features": True,
            # Weight of the TF-IDF block against the unit-length embedding.
            "lexical_weight": 0.5,
            # The retrieval intent whose topics are separate labels inside the classifier.
            "retrieval_intent": "faq",
            # Below this probability the classifier's `emergency` gives way to its next label.
            "emergency_threshold": 0.85,
            # From this probability up an `emergency` that gave way is still flagged for the dialogue.
            "emergency_suspicion": 0.3,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        labels: list[str] | None = None,
        coef: np.ndarray | None = None,
        intercept: np.ndarray | None = None,
        lexical: LexicalFeatures | None = None,
        responses: dict[str, Any] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._labels = labels or []
        self._coef = coef
        self._intercept = intercept
        self._lexical = lexical
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmbeddingIntentClassifier:
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "tokenizers", "safetensors"]

    # --- training -------------------------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        targets = [m.get_full_intent() for m in examples]
        self._labels = sorted(set(targets))
        if self._config["lexical_features"]:
            self._lexical = LexicalFeatures.fit(texts)
        features = self._features(texts)
        model = LogisticRegression(C=self._config["C"], max_iter=2000, class_weight="balanced")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on a few hundred rows says nothing useful
            model.fit(features, [self._labels.index(t) for t in targets])
        self._coef, self._intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        self._responses = {
            key: value
            for key, value in training_data.responses.items()
            if key.startswith(f"utter_{self._config['retrieval_intent']}/")
        }
        self.persist()
        return self._resource

    def _features(self, texts: list[str]) -> np.ndarray:
        dense = encoder.shared_encoder().encode(texts)
        if self._lexical is None:
            return dense
        return np.hstack([dense, self._config["lexical_weight"] * self._lexical.transform(texts)])

    # --- prediction -----------------------------------------------------------------------------------

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row of label probabilities per text, columns in the order of `labels`."""
        if self._coef is None or self._intercept is None:
            raise RuntimeError("the intent classifier has not been trained")
        with _BLAS.limit(limits=1, user_api="blas"):
            logits = self._features(texts) @ self._coef.T + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._coef is None:
            return messages
        for message in messages:
            # The whole text, its clauses (bot.nlu.clauses) and what follows a choice by number go through the
            # encoder as one batch.
            text = message.get(TEXT) or ""
            parts = clauses(text)
            chosen = after_a_number(text)
            rows = self.probabilities([text, *parts, *([chosen[1]] if chosen else [])])
            self._annotate(message, rows[0], text)
            self._second_request(message, parts, rows[1 : len(parts) + 1])
            if chosen:
                note_after_choice(message, chosen[1], self._ranked(rows[-1], chosen[1]))
        return messages

    def _ranked(self, row: np.ndarray, text: str) -> list[tuple[str, float]]:
        ranked = sorted(zip(self._labels, row.tolist(), strict=False), key=lambda item: -item[1])
        return read_as_asked(corrected(ranked, text), text)

    def _second_request(self, message: Message, parts: list[str], rows: np.ndarray) -> None:
        """Notes a second request of another kind found in one of the text's clauses (bot.nlu.clause_notes)."""
        if not parts:
            return
        found = [Clause(part, self._labels[int(np.argmax(row))], float(np.max(row))) for part, row in zip(
            parts, rows, strict=False)]
        label = (message.get(INTENT) or {}).get(INTENT_NAME_KEY, "")
        if label == self._config["retrieval_intent"]:
            selected = (message.get(RESPONSE_SELECTOR) or {}).get(label, {})
            label = selected.get("response", {}).get("intent_response_key", label)
        note_second_request(message, found, label)

    def _annotate(self, message: Message, row: np.ndarray, text: str) -> None:
        ranked = self._ranked(row, text)
        emergency = dict(ranked).get(EMERGENCY_INTENT, 0.0)
        if ranked[0][0] == EMERGENCY_INTENT and emergency < self._config["emergency_threshold"]:
            ranked = [item for item in ranked if item[0] != EMERGENCY_INTENT]
        suspected = emergency >= self._config["emergency_suspicion"] and not only_talked_about(text)
        if ranked[0][0] != EMERGENCY_INTENT and suspected:
            message.set(SUSPECTED_KEY, round(emergency, 3), add_to_output=True)
        top_label, top_confidence = ranked[0]
        intents = self._intent_ranking(ranked)
        message.set(
            INTENT,
            {INTENT_NAME_KEY: intents[0][INTENT_NAME_KEY], PREDICTED_CONFIDENCE_KEY: top_confidence},
            add_to_output=True,
        )
        message.set(INTENT_RANKING_KEY, intents[:LABEL_RANKING_LENGTH], add_to_output=True)
        self._select_topic(message, ranked)

    def _intent_ranking(self, ranked: list[tuple[str, float]]) -> list[dict[str, Any]]:
        # A retrieval intent ranks by its likeliest topic: summing 14 topics would let vague text look like a
        # confident `faq`.
        seen: dict[str, float] = {}
        for label, confidence in ranked:
            seen.setdefault(label.split("/", 1)[0], confidence)
        return [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence} for name, confidence in seen.items()]

    def _select_topic(self, message: Message, ranked: list[tuple[str, float]]) -> None:
        """The FAQ topic in the ResponseSelector's output format (what `action_answer_faq` reads)."""
        retrieval = self._config["retrieval_intent"]
        topics = [(label, confidence) for label, confidence in ranked if label.startswith(f"{retrieval}/")]
        if not topics:
            return
        key, confidence = topics[0]
        prediction = {
            "response": {
                "responses": self._responses.get(f"utter_{key}", [{TEXT: key}]),
                PREDICTED_CONFIDENCE_KEY: confidence,
                "intent_response_key": key,
                "utter_action": f"utter_{key}",
            },
            "ranking": [
                {"id": index, PREDICTED_CONFIDENCE_KEY: c, "intent_response_key": label}
                for index, (label, c) in enumerate(topics[:LABEL_RANKING_LENGTH])
            ],
        }
        selector = message.get(RESPONSE_SELECTOR, {})
        selector["all_retrieval_intents"] = [retrieval]
        selector[retrieval] = prediction
        message.set(RESPONSE_SELECTOR, selector, add_to_output=True)

    # --- persistence (plain arrays and JSON: nothing executable is unpickled) -------------------------

    def persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            if self._coef is None or self._intercept is None:
                return  # nothing trained, nothing to keep
            arrays = {"coef": self._coef, "intercept": self._intercept}
            meta: dict[str, Any] = {"labels": self._labels, "responses": self._responses}
            if self._lexical is not None:
                lexical_meta, lexical_arrays = self._lexical.to_parts()
                meta["lexical"] = lexical_meta
                arrays.update(lexical_arrays)
            np.savez(directory / _FILE, **arrays)
            (directory / _META).write_text(json.dumps(meta))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmbeddingIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / _META).read_text())
                with np.load(directory / _FILE, allow_pickle=False) as arrays:
                    parts = {name: arrays[name] for name in arrays.files}
        except (ValueError, FileNotFoundError):
            # Untrained (no intent examples): the component stays silent, like Rasa's own classifiers.
            return cls(config, model_storage, resource)
        lexical = LexicalFeatures.from_parts(meta["lexical"], parts) if "lexical" in meta else None
        encoder.shared_encoder()  # load and verify the weights now, not on the first patient's message
        return cls(
            config,
            model_storage,
            resource,
            meta["labels"],
            parts["coef"],
            parts["intercept"],
            lexical,
            meta["responses"],
        )
