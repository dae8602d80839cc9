"""Which visit or appointment a patient settled on when they corrected themselves in one text: "cancel my skin
appointment. wait no, the one with alvarez", "a follow up with dr chen, hmm, or actually dr patel is fine".

bot.corrections drops the corrected words; these are the kinds of detail the scheduling readers name (timeparse
names its own: days and times). What a visit is (its kind, specialty or provider) is one kind, so the provider
said after a correction replaces the one said before it and the follow-up stays. Which appointment is meant is
one kind with its day: "my skin appointment, I mean the friday one" is the Friday one, whatever its kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.corrections import corrected
from bot.scheduling.timeparse import DAY_DETAIL
from bot.scheduling.vocabulary import SPECIALTY_WORDS, TYPE_WORDS

_VISIT_PHRASES = frozenset(p for said in (*TYPE_WORDS.values(), *SPECIALTY_WORDS.values()) for p in said)
_DOCTOR = r"\b(?:dr|doctor|doc)\.?\s+[a-z][a-z'\-]+"


def settled_visit(text: str, names: Iterable[str]) -> str:
    """`text` in lower case without the visit it takes back; `names`: words naming the visits that may be meant
    (providers' last names, the clinic's names for its kinds of visit)."""
    return corrected(text.lower(), (_visit_detail(names),))


def settled_appointment(text: str, names: Iterable[str]) -> str:
    """`text` in lower case without the appointment it takes back (by kind, provider or day); `names`: the words
    of the appointments it may describe."""
    return corrected(text.lower(), (re.compile(f"{_visit_detail(names).pattern}|{DAY_DETAIL.pattern}"),))


def _visit_detail(names: Iterable[str]) -> re.Pattern[str]:
    words = sorted({*_VISIT_PHRASES, *(name.lower() for name in names if name)}, key=len, reverse=True)
    return re.compile(rf"{_DOCTOR}|\b(?:{'|'.join(map(re.escape, words))})\b")
