"""Downloads that stream: a page returns a `Download` and its chunks go out as they are read.

The rows are read on one worker thread of their own (a database connection stays on the thread that opened
it) through a server-side cursor, and handed to the event loop through a small bounded queue: however many
rows an export has, the console holds a few chunks of them at a time. A browser that goes away stops the
reading and the waiting within half a second.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sanic.request import Request
from sqlalchemy.orm import Session

from bot.db import session_factory

log = logging.getLogger(__name__)
QUEUED_CHUNKS = 4
_END = object()


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    chunks: Callable[[Session], Iterator[str]]  # read-only: runs in a session of its own, after the page's


async def send(request: Request, download: Download, database_url: str) -> None:
    ready: queue.Queue[object] = queue.Queue(maxsize=QUEUED_CHUNKS)
    gone = threading.Event()

    def put(item: object) -> bool:
        while not gone.is_set():
            try:
                ready.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def take() -> object:
        # A bounded wait: when the browser goes away Sanic cancels this handler, and a thread blocked for good
        # in get() would keep the process from ever shutting down.
        while not gone.is_set():
            try:
                return ready.get(timeout=0.5)
            except queue.Empty:
                continue
        return _END

    def produce() -> None:
        try:
            with session_factory(database_url)() as session:
                for chunk in download.chunks(session):
                    if not put(chunk):
                        return
        except Exception as error:  # noqa: BLE001 - handed to the sending side, which ends the download
            put(error)
            return
        put(_END)

    response = await request.respond(
        content_type=download.content_type,
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )
    threading.Thread(target=produce, name="console-download", daemon=True).start()
    try:
        while True:
            item = await asyncio.to_thread(take)
            if item is _END:
                break
            if isinstance(item, Exception):
                # The status line has gone out: Sanic closes the connection without the closing chunk, which
                # tells the browser the download failed (never a file that looks whole but is not).
                log.error("download %s failed while reading rows", download.filename)
                raise item
            await response.send(item)
        await response.eof()
    finally:
        gone.set()
