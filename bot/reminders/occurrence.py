"""Which reminder of a plan or an appointment an outbox row is: the `occurrence` key, written and read only here.

The unique keys (plan, occurrence) and (appointment, occurrence) need it in one text column:
- a dose is its planned local wall time, "2027-03-14T08:00" (stable across daylight saving); a snooze of it
  adds "+snooze<n>", so the dose keeps its planned time and each snooze is a row of its own;
- an appointment reminder is "<minutes before>m@<appointment start, UTC>", "4320m@2027-06-10T18:30Z", so the
  reminders of an appointment that moved no longer match it.
The column type below turns the text into these values and back, so the rest of the code sees only them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timezone
from typing import Any

from sqlalchemy import String, type_coerce
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

_DOSE = re.compile(r"(?P<planned>\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?:\+snooze(?P<snooze>[1-9]\d*))?")
_APPOINTMENT = re.compile(r"(?P<minutes>\d+)m@(?P<starts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z")


@dataclass(frozen=True)
class DoseOccurrence:
    """One dose of a medication plan at its planned local wall time (naive, to the minute); `snooze` > 0
    is the n-th snooze of that dose."""

    planned: datetime
    snooze: int = 0

    def __post_init__(self) -> None:
        # Checked rather than normalised: expansion makes hundreds of thousands of these.
        if self.planned.tzinfo is not None or self.planned.second or self.planned.microsecond:
            raise ValueError(f"a dose is planned at a naive local wall time to the minute, not {self.planned!r}")

    @property
    def clock(self) -> time:
        """The planned time of day (a snooze keeps the dose's time)."""
        return self.planned.time()

    @property
    def dose(self) -> DoseOccurrence:
        """The dose itself, whichever snooze this is."""
        return replace(self, snooze=0)

    def snoozed(self, n: int) -> DoseOccurrence:
        return replace(self, snooze=n)

    def __str__(self) -> str:
        text = self.planned.isoformat(timespec="minutes")
        return f"{text}+snooze{self.snooze}" if self.snooze else text


@dataclass(frozen=True)
class AppointmentOccurrence:
    """The reminder `minutes_before` the appointment's start (UTC, to the minute) as it was when planned."""

    minutes_before: int
    starts_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts_at", _utc_minute(self.starts_at))

    def is_for(self, starts_at: datetime) -> bool:
        """Whether the appointment still starts when this reminder was planned for."""
        return self.starts_at == _utc_minute(starts_at)

    def __str__(self) -> str:
        return f"{self.minutes_before}m@{self.starts_at:%Y-%m-%dT%H:%M}Z"


Occurrence = DoseOccurrence | AppointmentOccurrence


def parse_occurrence(text: str) -> Occurrence:
    """The value a stored key stands for; ValueError for text that is no occurrence key."""
    dose = _DOSE.fullmatch(text)
    if dose:
        return DoseOccurrence(datetime.fromisoformat(dose["planned"]), int(dose["snooze"] or 0))
    appointment = _APPOINTMENT.fullmatch(text)
    if appointment:
        starts = datetime.fromisoformat(appointment["starts"]).replace(tzinfo=timezone.utc)
        return AppointmentOccurrence(int(appointment["minutes"]), starts)
    raise ValueError(f"not a reminder occurrence key: {text!r}")


def snoozes_of(column: ColumnElement, dose: DoseOccurrence) -> ColumnElement:
    """SQL: `column` (an occurrence column) holds a snooze of `dose`."""
    return type_coerce(column, String).like(f"{dose.dose}+snooze%")


class OccurrenceKey(TypeDecorator):
    """The occurrence column: typed values in Python, their text in the database."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, DoseOccurrence | AppointmentOccurrence):
            raise TypeError(f"an outbox occurrence must be a DoseOccurrence or AppointmentOccurrence, not {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Any) -> Occurrence | None:
        return None if value is None else parse_occurrence(value)


def _utc_minute(instant: datetime) -> datetime:
    return instant.astimezone(timezone.utc).replace(second=0, microsecond=0)
