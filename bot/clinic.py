"""The clinic profile: the operator-edited facts every answer is filled from.

Clinic holidays are not part of it: they live in the `clinic_holidays` table (`bot.scheduling.holidays`),
edited in the console. A `holidays:` list left in an older profile is imported into that table once, by
migration 0008, and is not read afterwards (`legacy_holidays`).

The YAML file is checked when it is read, and a missing or malformed field is named at once
("clinic profile bot/clinic.yml: 'phone' is missing") instead of breaking an answer later. The file is
re-read when it changes on disk, so an edit takes effect on the next message; an edit that does not pass
the check is logged and the last good profile stays in use, so a typo never silences the assistant.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.clock import clock_text

log = logging.getLogger(__name__)
T = TypeVar("T")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What a clinic may add to appointment reminders beyond the minimum necessary (bot.reminders.templates).
REMINDER_DETAILS = frozenset({"provider", "visit_type"})


class ProfileError(ValueError):
    """The clinic profile file is missing a field or has one that cannot be used."""


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    short_name: str  # used in texts, where every character counts
    zone: ZoneInfo
    phone: str
    nurse_line: str
    email: str
    website: str
    address: str
    hours: tuple[tuple[time, time] | None, ...]  # Monday first; None when closed all day
    insurance_plans: tuple[str, ...]
    languages: tuple[str, ...]
    reminder_details: frozenset[str]
    # The answers to frequent questions (bot.faq), a sentence or two each in the operator's words.
    parking: str
    billing: str
    lab_results: str
    telehealth: str
    what_to_bring: str
    new_patient: str
    medical_records: str
    cancellation_policy: str
    covid_vaccine: str
    handoff_hours: str

    def opening_hours(self, day: date) -> tuple[time, time] | None:
        """Local opening and closing time on `day`'s weekday, or None when closed that weekday (holidays are
        the scheduling table's, checked by the caller)."""
        return self.hours[day.weekday()]

    def weekly_hours(self) -> str:
        """'Mon, Tue, Thu 8:00 AM-5:00 PM; Wed 8:00 AM-7:00 PM; ...; closed Sun': days with the same hours
        together, short enough for a text."""
        open_days: dict[tuple[time, time], list[str]] = {}
        closed: list[str] = []
        for name, span in zip(WEEKDAYS, self.hours, strict=True):
            (closed if span is None else open_days.setdefault(span, [])).append(name[:3].capitalize())
        parts = [f"{', '.join(days)} {clock_text(start)}-{clock_text(end)}" for (start, end), days in open_days.items()]
        if closed:
            parts.append(f"closed {', '.join(closed)}")
        return "; ".join(parts)

    def local_now(self) -> datetime:
        return datetime.now(self.zone)


def parse_profile(facts: Any, source: str) -> ClinicProfile:
    """The profile from the YAML mapping read from `source` (named in errors); ProfileError names the field."""
    fields = _Fields(facts, source)
    profile = ClinicProfile(
        name=fields.text("name"),
        short_name=fields.optional("short_name", _text) or fields.text("name"),
        zone=fields.need("time_zone", _zone),
        phone=fields.text("phone"),
        nurse_line=fields.text("nurse_line"),
        email=fields.text("email"),
        website=fields.text("website"),
        address=fields.text("address"),
        hours=fields.need("hours", _hours),
        insurance_plans=fields.need("insurance_plans", _names),
        languages=fields.need("languages", _names),
        reminder_details=fields.optional("reminder_details", _details) or frozenset(),
        parking=fields.text("parking"),
        billing=fields.text("billing"),
        lab_results=fields.text("lab_results"),
        telehealth=fields.text("telehealth"),
        what_to_bring=fields.text("what_to_bring"),
        new_patient=fields.text("new_patient"),
        medical_records=fields.text("medical_records"),
        cancellation_policy=fields.text("cancellation_policy"),
        covid_vaccine=fields.text("covid_vaccine"),
        handoff_hours=fields.text("handoff_hours"),
    )
    if fields.optional("holidays", _holidays):
        log.warning("%s: its 'holidays' list is no longer read; holidays are kept in the console", source)
    fields.no_others()
    return profile


class _Fields:
    """Reads the fields of one profile file, remembering which were read to find misspelt ones."""

    def __init__(self, facts: Any, source: str) -> None:
        if not isinstance(facts, dict):
            found = type(facts).__name__
            raise ProfileError(f"clinic profile {source}: expected fields like 'name: ...', found {found}")
        self.facts, self.source = facts, source
        self.known: set[str] = set()

    def text(self, key: str) -> str:
        return self.need(key, _text)

    def need(self, key: str, convert: Callable[[Any], T]) -> T:
        value = self.optional(key, convert)
        if value is None:
            raise ProfileError(f"clinic profile {self.source}: '{key}' is missing")
        return value

    def optional(self, key: str, convert: Callable[[Any], T]) -> T | None:
        self.known.add(key)
        value = self.facts.get(key)
        if value is None:
            return None
        try:
            return convert(value)
        except (TypeError, ValueError) as error:
            raise ProfileError(f"clinic profile {self.source}: '{key}' {error}") from None

    def no_others(self) -> None:
        unknown = sorted(str(k) for k in self.facts if k not in self.known)
        if unknown:
            raise ProfileError(f"clinic profile {self.source}: '{unknown[0]}' is not a clinic profile field")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be text, not {value!r}")
    return value.strip()


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"must be a list of names, not {value!r}")
    return tuple(_text(v) for v in value)


def _zone(value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(_text(value))
    except ZoneInfoNotFoundError:
        raise ValueError(f"must be an IANA time zone such as America/New_York, not {value!r}") from None


def _hours(value: Any) -> tuple[tuple[time, time] | None, ...]:
    if not isinstance(value, dict):
        raise ValueError("must list opening hours by weekday, e.g. 'monday: \"08:00-17:00\"'")
    unknown = [day for day in value if day not in WEEKDAYS]
    if unknown:
        raise ValueError(f"has {unknown[0]!r}, which is not a weekday (monday ... sunday)")
    return tuple(_span(day, value.get(day, "closed")) for day in WEEKDAYS)


def _span(day: str, spec: Any) -> tuple[time, time] | None:
    if spec == "closed":
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in str(spec).split("-"))
    except ValueError:
        raise ValueError(f'for {day} must be "HH:MM-HH:MM" or closed, not {spec!r}') from None
    if not start < end:
        raise ValueError(f"for {day} closes before it opens: {spec!r}")
    return start, end


def _holidays(value: Any) -> dict[date, str]:
    if not isinstance(value, dict):
        raise ValueError("must list closed days as '\"YYYY-MM-DD\": name'")
    days = {}
    for day, name in value.items():
        try:
            days[day if isinstance(day, date) else date.fromisoformat(str(day))] = _text(name)
        except ValueError:
            raise ValueError(f"has {day!r}: {name!r}; expected '\"YYYY-MM-DD\": name'") from None
    return days


def _details(value: Any) -> frozenset[str]:
    details = frozenset(value) if isinstance(value, list) else None
    if details is None or not details <= REMINDER_DETAILS:
        raise ValueError(f"may list only {', '.join(sorted(REMINDER_DETAILS))}, not {value!r}")
    return details


# path -> (modification time last read, the last profile that passed the check)
_cache: dict[Path, tuple[float, ClinicProfile]] = {}


def load_profile(path: Path) -> ClinicProfile:
    """The profile in `path`, checked, re-read when the file changes (see the module docstring)."""
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        profile = _read(path)
    except ProfileError:
        if cached is None:
            raise
        log.exception("clinic profile edit not used; the last good profile stays in use")
        profile = cached[1]
    _cache[path] = (mtime, profile)
    return profile


def legacy_holidays(path: Path) -> dict[date, str]:
    """The `holidays:` list of an older profile file (checked as before), for the one-time import."""
    try:
        with path.open(encoding="utf-8") as handle:
            facts = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise ProfileError(f"clinic profile {_shown(path)}: not valid YAML: {error}") from None
    fields = _Fields(facts, _shown(path))
    return fields.optional("holidays", _holidays) or {}


def _read(path: Path) -> ClinicProfile:
    source = _shown(path)
    try:
        with path.open(encoding="utf-8") as handle:
            facts = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise ProfileError(f"clinic profile {source}: not valid YAML: {error}") from None
    return parse_profile(facts, source)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
