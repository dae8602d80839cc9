"""What the project's own files promise a contributor: commands that run, paths that exist."""

from __future__ import annotations

import importlib.util
import re

from bot.settings import PROJECT_ROOT


def test_every_module_the_makefile_runs_exists() -> None:
    modules = re.findall(r"python -m ([\w.]+)", (PROJECT_ROOT / "Makefile").read_text())
    assert "benchmarks.run_all" in modules  # `make bench`
    assert [m for m in modules if importlib.util.find_spec(m) is None] == []


def test_every_path_contributing_names_exists() -> None:
    text = (PROJECT_ROOT / "CONTRIBUTING.md").read_text()
    paths = {p.rstrip("/") for p in re.findall(r"`((?:bot|actions|data|tests|benchmarks)/[\w./*-]*)`", text)}
    assert len(paths) >= 5
    assert sorted(p for p in paths if not list(PROJECT_ROOT.glob(p))) == []
