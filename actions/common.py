"""What every action needs: settings, the clinic profile, and database work off the event loop."""
from __future__ import annotations

import asyncio
from typing import Callable, TypeVar

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot.clinic import ClinicProfile, load_profile
from bot.db import transaction
from bot.settings import get_settings

T = TypeVar("T")


def profile() -> ClinicProfile:
    return load_profile(get_settings().clinic_profile)


async def in_db(work: Callable[[Session], T]) -> T:
    """Run `work` in one committed transaction on a worker thread (rasa-sdk's loop must not block)."""

    def run() -> T:
        with transaction(get_settings().database_url) as session:
            return work(session)

    return await asyncio.to_thread(run)


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"
