"""Shared fixtures: real databases, migrated with the project's own Alembic migrations.

`db_url` runs a test once on SQLite and once on PostgreSQL (the server at 127.0.0.1:5432,
database `test`; each test session creates and drops its own database there).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import text

from bot.db import engine_for
from bot.schema import migrate
from tests.databases import scratch_pg_database

if TYPE_CHECKING:
    from tests.harness import RunningAssistant


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep generated secrets and files of every test out of the developer's var/ folder."""
    from bot.context import app_context
    from bot.settings import get_settings

    monkeypatch.setenv("NIGHTINGALE_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    app_context.cache_clear()
    yield
    get_settings.cache_clear()
    app_context.cache_clear()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    with scratch_pg_database() as url:
        yield url


def _truncate_all(url: str) -> None:
    from bot.db import Base

    engine = engine_for(url)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'nightingale.db'}"
    migrate(url)
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    _truncate_all(pg_server_url)
    yield pg_server_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test against both supported databases."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def app_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the application's settings (actions, services) at a fresh migrated SQLite database."""
    from bot.context import app_context
    from bot.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    app_context.cache_clear()
    return sqlite_url


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    from tests.harness import running_assistant

    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running


# Debian's chromium, never a browser Playwright would download; one per test module that asks for it.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
