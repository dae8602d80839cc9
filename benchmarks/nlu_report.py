"""NLU report on a held-out split (intents and FAQ topics), kept out of the test run's time budget.

make nlu-report      (80/20 split of data/nlu, fixed seed; trains the NLU once, a few minutes on 2 cores)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import RESULTS, save
from bot.settings import PROJECT_ROOT

SEED = 42
TRAINING_FRACTION = 0.8


def rasa(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "rasa"), *args], cwd=PROJECT_ROOT, check=True)


def main() -> None:
    out = RESULTS / "nlu"
    with tempfile.TemporaryDirectory() as scratch:
        split = Path(scratch)
        rasa(
            "data",
            "split",
            "nlu",
            "--nlu",
            "data/nlu",
            "--training-fraction",
            str(TRAINING_FRACTION),
            "--random-seed",
            str(SEED),
            "--out",
            str(split),
        )
        rasa(
            "train",
            "nlu",
            "--nlu",
            str(split / "training_data.yml"),
            "--config",
            "config.yml",
            "--out",
            str(split),
            "--fixed-model-name",
            "nlu",
        )
        rasa(
            "test",
            "nlu",
            "--nlu",
            str(split / "test_data.yml"),
            "--model",
            str(split / "nlu.tar.gz"),
            "--out",
            str(out),
        )
    intents = json.loads((out / "intent_report.json").read_text())
    per_intent = {
        name: v
        for name, v in intents.items()
        if isinstance(v, dict) and "support" in v and name not in ("macro avg", "weighted avg", "micro avg")
    }
    figures = {
        "split": f"{TRAINING_FRACTION:.0%} train / {1 - TRAINING_FRACTION:.0%} held out, seed {SEED}",
        "held_out_examples": sum(v["support"] for v in per_intent.values()),
        "intent_accuracy": round(intents["accuracy"], 3),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 3),
        "weakest_intents": sorted(
            ((n, round(v["f1-score"], 3)) for n, v in per_intent.items()), key=lambda item: item[1]
        )[:5],
    }
    selector = out / "response_selection_report.json"
    if selector.exists():
        topics = json.loads(selector.read_text())
        figures["faq_topic_accuracy"] = round(topics["accuracy"], 3)
        figures["faq_topic_weighted_f1"] = round(topics["weighted avg"]["f1-score"], 3)
    save("nlu", figures)


if __name__ == "__main__":
    main()
