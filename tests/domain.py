"""The assistant's domain as the action server receives it: actions under test see the real forms and slots."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT


@cache
def project_domain() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
