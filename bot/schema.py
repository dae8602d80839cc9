"""Every mapped table, imported in one place so Alembic and `migrate()` see the whole schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import bot.console.models  # noqa: F401
import bot.messaging.models  # noqa: F401
import bot.models  # noqa: F401
import bot.reminders.models  # noqa: F401
from bot.settings import PROJECT_ROOT


def migrate(database_url: str) -> None:
    """Bring the database at `database_url` to the newest schema (idempotent)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(Path(PROJECT_ROOT / "bot" / "migrations")))
    config.attributes["database_url"] = database_url
    command.upgrade(config, "heads")
