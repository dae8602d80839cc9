"""Collects every simulated conversation's outcome and prints the suite's figures at the end of the run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.simulated.patient import Outcome
from tests.simulated.report import figures, render

OUTCOMES: list[Outcome] = []


@pytest.fixture
def outcomes() -> list[Outcome]:
    return OUTCOMES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OUTCOMES:
        return
    terminalreporter.section("simulated patients")
    terminalreporter.write_line(render(OUTCOMES))
    out = Path("var")
    out.mkdir(exist_ok=True)
    (out / "simulated-report.json").write_text(json.dumps(figures(OUTCOMES), indent=2))
