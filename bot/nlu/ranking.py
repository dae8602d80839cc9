"""The classifier's ranking and the one way a reading correction changes it."""

from __future__ import annotations

Ranking = list[tuple[str, float]]


def moved(ranked: Ranking, source: str, target: str) -> Ranking:
    scores = dict(ranked)
    scores[target] = scores.get(target, 0.0) + scores[source]
    scores[source] = 0.0
    return sorted(scores.items(), key=lambda item: -item[1])
