"""The clinic profile: the operator-edited facts every answer is filled from.

The YAML file is re-read when it changes on disk, so an edit takes effect on the next message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class ClinicProfile:
    facts: dict

    @property
    def name(self) -> str:
        return self.facts["name"]

    @property
    def short_name(self) -> str:
        return self.facts.get("short_name") or self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.facts["time_zone"])

    def opening_hours(self, day: date) -> tuple[time, time] | None:
        """Local opening and closing time on `day`, or None when the clinic is closed."""
        if day.isoformat() in self.holidays:
            return None
        spec = str(self.facts["hours"].get(WEEKDAYS[day.weekday()], "closed"))
        if spec == "closed":
            return None
        start, end = spec.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)

    @property
    def holidays(self) -> dict[str, str]:
        return {str(day): name for day, name in (self.facts.get("holidays") or {}).items()}

    def upcoming_holidays(self, today: date, count: int = 2) -> list[tuple[date, str]]:
        days = sorted((date.fromisoformat(d), n) for d, n in self.holidays.items())
        return [(d, n) for d, n in days if d >= today][:count]

    def local_now(self) -> datetime:
        return datetime.now(self.zone)

    def __getitem__(self, key: str):
        return self.facts[key]


_cache: dict[Path, tuple[float, ClinicProfile]] = {}


def load_profile(path: Path) -> ClinicProfile:
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    with path.open(encoding="utf-8") as handle:
        profile = ClinicProfile(facts=yaml.safe_load(handle))
    _cache[path] = (mtime, profile)
    return profile
