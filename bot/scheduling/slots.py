"""One open time that can be offered to a patient: what availability finds, booking claims and errors carry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SlotOption:
    provider_id: int
    provider_name: str
    location: str
    type_id: int
    starts_at: datetime  # UTC
    ends_at: datetime

    @property
    def token(self) -> str:
        """A compact, self-contained reference kept in the conversation and sent back by a button."""
        return f"{self.provider_id}|{self.type_id}|{self.starts_at:%Y%m%dT%H%M}"
