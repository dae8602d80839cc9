"""Asking to talk to a kind of clinician is asking to see one: "can he talk to someone like a counselor" is a
booking, not a hand-off to the clinic's staff, however close "talk to someone" sits to a hand-off in meaning.
The booking then says plainly when the clinic has no such specialist (bot.scheduling.catalog)."""

from __future__ import annotations

import re

from bot.scheduling.vocabulary import ELSEWHERE, SPECIALTY_WORDS

# Words that name who a patient is, not a clinician ("my son", "child") do not count.
_NOT_CLINICIANS = {"child", "children", "my son", "my daughter"}
_CLINICIAN_WORDS = sorted(
    {w for words in SPECIALTY_WORDS.values() for w in words if w not in _NOT_CLINICIANS} | set(ELSEWHERE),
    key=len,
    reverse=True,
)
_CLINICIAN = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _CLINICIAN_WORDS) + r")s?\b", re.I)
# A person at the clinic is a hand-off whatever else the message names.
_STAFF = re.compile(
    r"\b(?:human|real person|receptionist|front desk|staff|manager|office|billing|nurse|someone (?:at|from|in) "
    r"(?:the|your) (?:clinic|office))\b",
    re.I,
)


def asks_for_a_clinician(text: str) -> bool:
    """True when the words name a kind of clinician and no one at the clinic's desk."""
    return bool(_CLINICIAN.search(text)) and not _STAFF.search(text)
