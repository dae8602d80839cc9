"""NLU report: intents, FAQ topics, crisis figures and the fallback threshold, on text the model never saw.

    make nlu-report
    .venv/bin/python -m benchmarks.nlu_report --config OTHER.yml --data OTHER/data/nlu --name nlu_before

The NLU of `--config` is trained on an 80/20 split of `--data` (fixed seed) and tested on
- the held-out 20%;
- benchmarks/data/nlu_other_style.yml: messages in other voices, never trained on;
- benchmarks/data/nlu_providers.yml: provider searches and scheduling requests in an assistant's style;
- tests/data/crisis_*.yml through the whole pipeline (classifier and deterministic layer).
Scores use the intent the pipeline emits (`faq` for every topic); the topic is scored on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from benchmarks.common import RESULTS, save
from bot.settings import PROJECT_ROOT

SEED = 42
TRAINING_FRACTION = 0.8
OTHER_STYLE = PROJECT_ROOT / "benchmarks" / "data" / "nlu_other_style.yml"
PROVIDERS = PROJECT_ROOT / "benchmarks" / "data" / "nlu_providers.yml"
CRISIS = PROJECT_ROOT / "tests" / "data"
FALLBACK = "nlu_fallback"
# The dialogue answers both the same way (a polite fallback, then a person): either is right for off-topic text.
OFF_TOPIC = {"out_of_scope", FALLBACK}


def rasa(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "rasa"), *args], cwd=PROJECT_ROOT, check=True)


def examples(path: Path) -> list[tuple[str, str]]:
    """(text, full intent) pairs of a Rasa NLU file; FAQ examples keep their topic (faq/hours)."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [(m.get("text"), m.get_full_intent()) for m in load_data(str(path)).intent_examples]


def parse_all(model: Path, *sets: list[str]) -> list[list[dict[str, Any]]]:
    """Each set of texts parsed by the model, loaded once."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> list[list[dict[str, Any]]]:
        parsed: list[list[dict[str, Any]]] = []
        for texts in sets:
            parsed.append([await agent.parse_message(text) for text in texts])
        return parsed

    return asyncio.run(run())


def emitted(parse: dict[str, Any]) -> tuple[str, str]:
    """The intent the pipeline emits, and the full label with the FAQ topic when the intent is `faq`."""
    intent = parse["intent"]["name"]
    if intent != "faq":
        return intent, intent
    topic = parse.get("response_selector", {}).get("faq", {}).get("response", {}).get("intent_response_key")
    return intent, topic or "faq"


def scores(pairs: list[tuple[str, str]], parses: list[dict[str, Any]]) -> dict[str, Any]:
    truth = [label.split("/")[0] for _, label in pairs]
    predicted = []
    for true, parse in zip(truth, parses, strict=False):
        intent = emitted(parse)[0]
        predicted.append(true if true in OFF_TOPIC and intent in OFF_TOPIC else intent)
    labels = sorted(set(truth))
    _, _, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    faq = [
        (label, emitted(parse)[1]) for (_, label), parse in zip(pairs, parses, strict=False) if label.startswith("faq/")
    ]
    return {
        "examples": len(pairs),
        "intent_accuracy": round(accuracy_score(truth, predicted), 3),
        "intent_macro_f1": round(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0), 3),
        "faq_topic_accuracy": round(sum(t == p for t, p in faq) / max(len(faq), 1), 3),
        "fallback_rate": round(sum(emitted(p)[0] == FALLBACK for p in parses) / len(parses), 3),
        "f1_per_intent": {label: round(float(score), 3) for label, score in zip(labels, f1, strict=False)},
        "support": {label: int(n) for label, n in zip(labels, support, strict=False)},
        "errors": [
            f"{true} -> {emitted(parse)[1]}: {text}"
            for (text, true), parse in zip(pairs, parses, strict=False)
            if true.split("/")[0] != emitted(parse)[0] and not (true in OFF_TOPIC and emitted(parse)[0] in OFF_TOPIC)
        ],
    }


def fallback_sweep(pairs: list[tuple[str, str]], parses: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Accuracy on held-out text for each FallbackClassifier setting, from the classifier's own ranking."""
    rows = []
    for threshold in (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        for ambiguity in (0.0, 0.05, 0.1):
            right = fallbacks = 0
            for (_, label), parse in zip(pairs, parses, strict=False):
                ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != FALLBACK]
                top, second = (ranking + [{"name": None, "confidence": 0.0}] * 2)[:2]
                unsure = top["confidence"] < threshold or top["confidence"] - second["confidence"] < ambiguity
                guess = FALLBACK if unsure and top["name"] != "emergency" else top["name"]
                true = label.split("/")[0]
                right += guess == true or (true in OFF_TOPIC and guess in OFF_TOPIC)
                fallbacks += guess == FALLBACK and true not in OFF_TOPIC
            # A wrong guess starts the wrong task; a needless fallback only asks the patient to rephrase.
            rows.append(
                {
                    "threshold": threshold,
                    "ambiguity": ambiguity,
                    "accuracy": round(right / len(pairs), 3),
                    "wrong_guess": round(1 - (right + fallbacks) / len(pairs), 3),
                    "needless_fallback": round(fallbacks / len(pairs), 3),
                }
            )
    return rows


def crisis(model: Path) -> dict[str, Any]:
    emergencies = [
        t
        for texts in yaml.safe_load((CRISIS / "crisis_emergencies.yml").read_text())["emergencies"].values()
        for t in texts
    ]
    ordinary = yaml.safe_load((CRISIS / "crisis_ordinary.yml").read_text())["ordinary"]
    (parses,) = parse_all(model, emergencies + ordinary)
    flagged = [p["intent"]["name"] == "emergency" for p in parses]
    return {
        "emergency_recall": f"{sum(flagged[:len(emergencies)])}/{len(emergencies)}",
        "ordinary_false_alarms": f"{sum(flagged[len(emergencies):])}/{len(ordinary)}",
        "missed": [t for t, f in zip(emergencies, flagged, strict=False) if not f],
        "false_alarms": [t for t, f in zip(ordinary, flagged[len(emergencies) :], strict=False) if f],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--data", default="data/nlu")
    parser.add_argument("--name", default="nlu")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        split = Path(scratch)
        rasa(
            "data",
            "split",
            "nlu",
            "--nlu",
            args.data,
            "--training-fraction",
            str(TRAINING_FRACTION),
            "--random-seed",
            str(SEED),
            "--out",
            str(split),
        )
        started = time.monotonic()
        rasa(
            "train",
            "nlu",
            "--nlu",
            str(split / "training_data.yml"),
            "--config",
            args.config,
            "--out",
            str(split),
            "--fixed-model-name",
            "nlu",
        )
        training_seconds = round(time.monotonic() - started, 1)
        model = split / "nlu.tar.gz"
        held_out, other, providers = examples(split / "test_data.yml"), examples(OTHER_STYLE), examples(PROVIDERS)
        held_out_parses, other_parses, provider_parses = parse_all(
            model, [t for t, _ in held_out], [t for t, _ in other], [t for t, _ in providers]
        )
        figures = {
            "config": args.config,
            "data": args.data,
            "split": f"{TRAINING_FRACTION:.0%} train / {1 - TRAINING_FRACTION:.0%} held out, seed {SEED}",
            "nlu_training_seconds_incl_startup": training_seconds,
            "held_out": scores(held_out, held_out_parses),
            "other_style": scores(other, other_parses),
            "providers": scores(providers, provider_parses),
            "crisis_full_pipeline": crisis(model),
            "fallback_sweep_held_out": fallback_sweep(held_out, held_out_parses),
            "fallback_sweep_other_style": fallback_sweep(other, other_parses),
        }
    RESULTS.mkdir(exist_ok=True)
    save(args.name, figures)


if __name__ == "__main__":
    main()
