"""Conversation locks shared by the Rasa worker processes of one machine (`RASA_WORKERS` > 1, no Redis).

Rasa handles one message of a conversation at a time under a lock; its in-memory lock store holds only
inside one process, so several workers need a shared one. Here a conversation's lock is an exclusive
`flock` on one of a fixed set of lock files in the data folder (conversations are hashed onto them; two
that share a file only wait for each other's turn). The kernel releases the locks of a worker that dies,
so no conversation stays locked after a crash. Inside a process an asyncio lock per file keeps a
conversation's messages in arrival order. Workers on several machines share Redis instead (`REDIS_URL`).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

STRIPES = 256
# How often a worker looks again at a lock file held by another worker.
_RETRY_SECONDS = 0.005


class HostLockStore(LockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, path: str | None = None) -> None:
        directory = Path(path or endpoint_config.kwargs["path"])  # type: ignore[union-attr]
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory
        self._in_process: dict[int, asyncio.Lock] = {}

    def _stripe(self, conversation_id: str) -> int:
        return zlib.crc32(conversation_id.encode()) % STRIPES

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        stripe = self._stripe(conversation_id)
        async with self._in_process.setdefault(stripe, asyncio.Lock()):
            fd = os.open(self._directory / f"{stripe:03d}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                await _flock(fd, deadline=time.monotonic() + lock_lifetime, conversation_id=conversation_id)
                # Rasa's callers never read the lock object; it is yielded for the interface's sake.
                yield TicketLock(conversation_id)
            finally:
                os.close(fd)  # closing the file releases its flock


async def _flock(fd: int, deadline: float, conversation_id: str) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                # As Rasa's own lock stores do when a turn holds a conversation too long.
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.") from None
            await asyncio.sleep(_RETRY_SECONDS)
