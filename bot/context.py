"""The application, wired once per process: settings, the SMS gateway, the clock and the clinic profile.

Services take what they need from a `Context` instead of building their own gateway or reading settings;
`app_context()` builds the process's one context at start-up (tests build their own with fakes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from bot.clinic import ClinicProfile, load_profile
from bot.db import utcnow
from bot.messaging.gateway import SmsGateway, gateway_from_settings
from bot.settings import Settings, get_settings


@dataclass(frozen=True)
class Context:
    settings: Settings
    gateway: SmsGateway
    clock: Callable[[], datetime] = field(default=utcnow)

    @property
    def profile(self) -> ClinicProfile:
        # Read at each use: staff edits to the clinic's facts apply on the next message.
        return load_profile(self.settings.clinic_profile)


@lru_cache(maxsize=1)
def app_context() -> Context:
    settings = get_settings()
    return Context(settings, gateway_from_settings(settings))
