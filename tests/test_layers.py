"""Each process loads only the layers it needs: a package works without the packages above it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.schema import migrate
from bot.settings import PROJECT_ROOT


def test_messaging_stores_texts_without_the_reminder_engine_loaded(tmp_path: Path) -> None:
    """The Rasa process records replies and delivery statuses but never imports bot.reminders."""
    url = f"sqlite:///{tmp_path / 'nightingale.db'}"
    migrate(url)  # in this process; the child below loads messaging alone, as the Rasa server does
    script = f"""
import sys
from bot.db import transaction
from bot.messaging.inbound import apply_status, record_outbound
with transaction({url!r}) as s:
    record_outbound(s, "SM1", "+15550100001")
    apply_status(s, "SM2", "+15550100001", "delivered", None)
print("reminders loaded:", any(m.startswith("bot.reminders") for m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "reminders loaded: False", done.stderr[-2000:]
