"""Database access: engine and session construction, and the UTC timestamp column type.

SQLite is the embedded default; any SQLAlchemy URL (PostgreSQL in production) works through
`DATABASE_URL`. Code is written 2.0-style (`select()`, `Session.execute`) on SQLAlchemy 1.4.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Enum, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


class UTCDateTime(TypeDecorator):
    """Stores instants as UTC and always hands back timezone-aware UTC datetimes.

    SQLite has no time zone type, so values are normalised to naive UTC on the way in.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC instant is required")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """An enum column stored as its value strings (FHIR codes), checked by a constraint rather than a native
    type, so SQLite and PostgreSQL behave alike and new values need no ALTER TYPE."""
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e], length=32)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def private_file(path: str | os.PathLike[str]) -> None:
    """Create a database file readable by its owner only (0600) before SQLite creates it with the umask's
    mode; SQLite gives its -wal and -shm files the same permissions as the database file."""
    target = Path(path)
    if str(target) in ("", ":memory:") or target.exists():
        return
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        private_file(make_url(url).database or "")
    engine = create_engine(url, future=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN; take control so _sqlite_begin decides.
    dbapi_connection.isolation_level = None
    # WAL lets the action server, Rasa and the dispatcher read while one of them writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: two processes that read then write would
    # otherwise fail with "database is locked" instead of waiting their turn.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=engine_for(url), future=True, expire_on_commit=False)


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with session_factory(url)() as session:
        with session.begin():
            yield session
