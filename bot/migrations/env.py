"""Alembic environment: migrates the database named by `DATABASE_URL` (or an explicit URL)."""
from __future__ import annotations

from alembic import context

import bot.schema  # noqa: F401  (registers every table on Base.metadata)
from bot.db import Base, make_engine
from bot.settings import get_settings

config = context.config
url = config.attributes.get("database_url") or get_settings().database_url


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        # SQLite cannot ALTER most constraints in place; batch mode recreates the table instead.
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
