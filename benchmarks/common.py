"""Small measuring tools shared by the benchmarks."""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

from tests.harness import process_tree

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """Latency figures in milliseconds from samples in seconds."""
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(percentile(samples, 95) * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
    }


def peak_rss_mb(root_pids: list[int]) -> float:
    """Sum of each process's peak resident memory (VmHWM): an upper bound of the whole tree's peak."""
    total_kb = 0
    for pid in process_tree(root_pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


def save(name: str, figures: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    figures = {"machine": f"{os.cpu_count()} cores", **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
