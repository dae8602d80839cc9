"""`make bench`: every benchmark in this folder, one after the other; each writes its figures to results/.

.venv/bin/python -m benchmarks.run_all
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def benchmarks() -> list[str]:
    """Every `bench_*` module here and the NLU report, so a new benchmark runs without being listed anywhere."""
    here = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
    return sorted(name for name in here if name.startswith("bench_") or name.endswith("_report"))


def main() -> int:
    for name in benchmarks():
        started = time.monotonic()
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        sys.argv = [name]  # each parses its own options; run_all takes their defaults
        module.main()
        print(f"== {name} done in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
