"""Who a provider sees: our pediatricians see children only, so an adult is neither offered nor booked with one.

A parent books a child's visit on their own record today (there is no child record), so a booking whose words
say it is for a child ("for my daughter", "my 4 year old") lets pediatricians in whatever the record's age.
Staff booking from the console are not filtered: they know who the visit is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from bot.models import Patient
from bot.scheduling.catalog import Visit
from bot.scheduling.errors import UnknownVisit

# The specialties that see children only.
CHILD_SPECIALTIES = frozenset({"Pediatrics"})
# Patients are seen as adults from their 18th birthday: the age of majority, and where US pediatric practices
# most often hand patients over (some keep them to 21; a clinic that does can raise this).
ADULT_AGE = 18
_FOR_A_CHILD = re.compile(
    r"\b(?:my|our|his|her|the)\s+(?:\d{1,2}\s*(?:-|\s)?\s*(?:(?:yr|year|month|mo|week|wk)s?(?:\s*(?:-|\s)?\s*old)?s?"
    r"|yo|y/o|y\.o)"
    r"|son|daughter|kids?|child|children|baby|babies|toddler|boy|girl|little one|newborn|infant|grandson"
    r"|granddaughter|grandchild|stepson|stepdaughter)\b"
    r"|\bwell[- ]?(?:child|baby)\b",
    re.I,
)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def for_a_child(texts: Iterable[str]) -> bool:
    """Whether the patient's words say the visit is for a child ("can i get my 2 yr old in")."""
    return any(_FOR_A_CHILD.search(text or "") for text in texts)


def booking_age(session: Session, patient_id: int, today: date, texts: Iterable[str]) -> int | None:
    """The age of whoever the visit is for: the patient's own, None when the words say it is for a child
    (whose age the record does not hold: any provider may then be offered)."""
    if for_a_child(texts):
        return None
    patient = session.get(Patient, patient_id)
    return age_on(patient.date_of_birth, today) if patient is not None else None


def sees(specialty: str, age: int | None) -> bool:
    """Whether a provider of `specialty` sees a patient of `age` (None: unknown, anyone)."""
    return age is None or age < ADULT_AGE or specialty not in CHILD_SPECIALTIES


def check_visit(visit: Visit, age: int | None) -> None:
    """UnknownVisit, with what to do instead, when no provider of `visit` sees a patient of `age`."""
    if any(sees(specialty, age) for specialty in visit.specialties):
        return
    if visit.provider_name:
        raise UnknownVisit(
            f"{visit.provider_name} is one of our pediatricians and sees children only. If the visit is for a "
            'child, tell me who it\'s for (for example "it\'s for my son"); otherwise, who would you like to see?'
        )
    raise UnknownVisit(
        f"Our pediatricians see children only (under {ADULT_AGE}). If the visit is for a child, tell me who it's "
        'for (for example "it\'s for my daughter"); otherwise, what kind of visit would you like?'
    )
