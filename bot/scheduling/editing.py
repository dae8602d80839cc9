"""What every edit of the schedule's set-up shares: field errors, the stale-save check and the change record.

An edit either passes every check and is applied whole, or raises `Invalid` naming each bad field and
changes nothing. Forms carry the `version` of what they were read from (a digest of the record's values);
a save whose version is no longer current raises `Stale`, so two staff never silently overwrite each other.
Each applied edit returns a `Change` (before and after) for the caller's audit log. Edits never move or
cancel a booked appointment: pages show the bookings an edit left outside a provider's time instead.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


class Invalid(ValueError):
    """Bad input: `errors` maps a form field to the message shown next to it. Nothing was changed."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class Stale(Invalid):
    """Someone saved the same record since the form was read. Nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            {"version": "Someone else changed this meanwhile; the form now shows their version. "
             "Make your change again."}
        )


@dataclass(frozen=True)
class Change:
    action: str  # "provider.edit", "holiday.add", ...
    target: str  # "provider:3", "holiday:2027-12-25"
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def version_of(values: Any) -> str:
    """A short digest of a record's values: changes whenever any of them does."""
    return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()[:16]


def check_version(sent: str, current: str) -> None:
    if sent != current:
        raise Stale()


def text(errors: dict[str, str], form: dict[str, str], name: str, limit: int, what: str) -> str:
    """The field's text with its spaces tidied; an error when empty or too long."""
    value = " ".join(form.get(name, "").split())
    if not value:
        errors[name] = f"Write the {what}."
    elif len(value) > limit:
        errors[name] = f"At most {limit} characters."
    return value
