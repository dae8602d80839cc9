"""Cross-validated NLU report (intents and FAQ topics), kept out of the test run's time budget.

    make nlu-report      (5-fold cross-validation of data/nlu with config.yml; a few minutes on 2 cores)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import RESULTS, save
from bot.settings import PROJECT_ROOT

FOLDS = 5


def main() -> None:
    out = RESULTS / "nlu"
    rasa = Path(sys.executable).parent / "rasa"
    subprocess.run(
        [str(rasa), "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
         "--folds", str(FOLDS), "--out", str(out)],
        cwd=PROJECT_ROOT, check=True,
    )
    intents = json.loads((out / "intent_report.json").read_text())
    figures = {
        "folds": FOLDS,
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 3),
        "weakest_intents": sorted(
            ((name, round(v["f1-score"], 3)) for name, v in intents.items() if isinstance(v, dict) and "support" in v
             and name not in ("macro avg", "weighted avg", "micro avg")),
            key=lambda item: item[1],
        )[:5],
    }
    selector = out / "response_selection_report.json"
    if selector.exists():
        topics = json.loads(selector.read_text())
        figures["faq_topic_weighted_f1"] = round(topics["weighted avg"]["f1-score"], 3)
    save("nlu", figures)


if __name__ == "__main__":
    main()
