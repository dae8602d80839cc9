"""Scratch databases on the PostgreSQL server of this machine, for tests and benchmarks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from bot.db import engine_for
from bot.schema import migrate

PG_ADMIN_URL = os.environ.get("NIGHTINGALE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def scratch_pg_database(prefix: str = "nightingale_test", admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """A new, migrated PostgreSQL database, dropped (connections and all) when the block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate(url)
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
