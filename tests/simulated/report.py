"""The suite's figures: task success, first-try success, turns per task, harm; overall, by task kind,
by channel and for the held-out scenarios."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tests.simulated.patient import Outcome


def _kind(outcome: Outcome) -> str:
    return outcome.scenario.id.split("-")[0]


def _figures(outcomes: list[Outcome]) -> dict[str, Any]:
    done = [o for o in outcomes if o.success]
    return {
        "scenarios": len(outcomes),
        "task_success": len(done),
        "first_try": sum(o.first_try for o in outcomes),
        "turns_per_task": round(sum(o.turns for o in done) / len(done), 2) if done else None,
        "harm": sum(bool(o.harm) for o in outcomes),
    }


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        for key in ("all", f"kind:{_kind(o)}", f"channel:{o.scenario.channel}",
                    "held_out" if o.scenario.held_out else "seen"):
            groups.setdefault(key, []).append(o)
    return {
        "groups": {key: _figures(group) for key, group in groups.items()},
        "failed": {o.scenario.id: o.stuck for o in outcomes if not o.success},
        "not_first_try": {o.scenario.id: f"{o.repeated} asked again, {o.rephrased} rephrased"
                          for o in outcomes if o.success and not o.first_try},
    }


def _line(name: str, f: dict[str, Any]) -> str:
    return (f"{name:<16} {f['task_success']:>3}/{f['scenarios']:<3} reached the goal, {f['first_try']:>3} first try, "
            f"{f['turns_per_task'] or '-'} turns per task, harm {f['harm']}")


def render(outcomes: Iterable[Outcome]) -> str:
    result = figures(list(outcomes))
    lines = [_line(name, f) for name, f in sorted(result["groups"].items(), key=lambda kv: (kv[0] != "all", kv[0]))]
    lines += [f"  not reached: {sid} ({why})" for sid, why in result["failed"].items()]
    lines += [f"  reached, not first try: {sid} ({why})" for sid, why in result["not_first_try"].items()]
    return "\n".join(lines)
