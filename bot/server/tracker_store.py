"""Where Rasa keeps conversations: its SQL tracker store, with SQLite connections that stay open.

On a SQLite file SQLAlchemy 1.4 opens a new connection for every read and every write of a conversation,
and each commit waits for a full disk sync. Here each thread keeps its connection (Rasa touches the store
from its event loop only), the file is in WAL mode and commits sync at checkpoints (`synchronous=NORMAL`): a
conversation survives a crash of any process; only a power cut may lose its last turns.
PostgreSQL and other databases are left as Rasa configures them.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from bot.db import private_file


class ConversationStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("dialect") == "sqlite" and kwargs.get("db"):
            private_file(kwargs["db"])  # conversations are health data: owner-only, like our own database
        super().__init__(*args, **kwargs)
        engine: Engine = self.engine  # type: ignore[has-type]  # set in Rasa's untyped __init__
        if engine.dialect.name != "sqlite":
            return
        url = engine.url
        engine.dispose()
        self.engine = create_engine(url, poolclass=SingletonThreadPool, connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
