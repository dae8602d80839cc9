"""Several requests in one text ("what's the parking like and can I book a flu shot for saturday").

The whole text gets one intent; its clauses are classified as well, and a clause that is clearly a second
request of another kind is kept with the parse data: an FAQ asked beside a request is answered when the
request starts (actions.forms), a request beside an FAQ is started after the answer (actions.core), and a
second request beside a first is started once the first is done (actions.offers.follow_on).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reminders.drugs import first_drug

# Where a second request may start: a sentence end, or "and" / "also" / "plus" before a question or request
# ("send": "cancel my appt ... and also send in a refill for my atorvastatin" lost the refill).
_SPLIT = re.compile(
    r"(?<=[.?!;])\s+|,?\s+(?:and also|and|also|plus|but|\+|&)\s+(?=(?:can|could|do|does|is|are|what|whats|what's|"
    r"where|when|how|i|i'd|id|i'm|im|please|pls|book|cancel|move|reschedule|set|remind|refill|send|stop|pause)\b)"
    # ... or a comma before another request's verb: "cancel my appointment, book me a flu shot instead".
    r"|,\s+(?=(?:book|cancel|move|reschedule|remind|refill)\b)"
    # ... or a new medicine after a stop: "stop the metformin reminders, I'm switching to jardiance - remind me
    # for that at 8am" (the new reminder, read alone, keeps its drug; the stop keeps only metformin).
    r"|,\s+(?=(?:i'?m|i am|im) (?:switching|changing|moving|starting|going on)\b)",
    re.I,
)
# A request named by its verb and its object is one however short ("refill metformin + stop the lisinopril texts").
_SHORT_REQUEST = re.compile(r"^(refill|stop|pause|cancel|book)\s+(?!it\b|that\b|them\b)\w+$", re.I)
_ASKS = re.compile(r"\?|^\W*(should|can|could|is|are|do|does|will|would|what|how|why|when|which)\b", re.I)
MIN_WORDS = 3  # a clause shorter than this ("and 8pm") is part of its neighbour's request
# ... except a confirmation or a reply to a dose reminder, each a request of its own however short ("Confirmed, but
# what should I bring?", "took it, but I'm running low, can you request a refill?").
_CONFIRMATION = re.compile(
    r"^(yes,? )?(confirm|confirmed|i'?ll be there|see (you|u) then|count me in"
    r"|took (it|them|my \w+)|taken|done|skip(ped|ping)?( it| today| this one| tonight)?)[.!]*$",
    re.I,
)
# A choice by number with more said after it ("1, and can I bring my daughter along?", "1 - also where do I park?"):
# the number, a mark or a joining word, then the rest. A time or a count ("2 pm works", "2 pills") has neither.
_NUMBER_THEN = re.compile(
    r"^\s*#?([1-9])\s*(?:[,;:.!)-]+\s*(?:(?:and also|and|also|plus|but|btw)\s+)?"
    r"|\s+(?:and also|and|also|plus|but|btw)\s+)"
    r"(\S+(?:\s+\S+)+)\s*$",
    re.I,
)
DOSE_REPLIES = frozenset({"medication_taken", "medication_skipped"})
# The requests worth starting beside an FAQ answer, and how sure the classifier must be of a clause.
# A medical question counts: "refill my lisinopril, and is a dry cough a side effect of it" gets the nurse line too.
# A confirmation counts: "yes I'll be there, but can I also move my other appointment" confirms as well.
REQUESTS = frozenset({"book_appointment", "reschedule_appointment", "cancel_appointment", "list_appointments",
                      "confirm_appointment",
                      "set_medication_reminder", "stop_medication_reminder", "request_refill", "human_handoff",
                      "medical_advice", *DOSE_REPLIES})
SURE = 0.6
# Requests done in one step, after which a second request of the same text can start at once ("refill my
# albuterol and remind me to use it twice a day"; a medical answer does one beside it, actions.core).
ONE_STEP = frozenset({"request_refill", "list_appointments", "stop_medication_reminder", *DOSE_REPLIES})
ALSO_FAQ_KEY = "also_faq"
ALSO_REQUEST_KEY = "also_request"
# What was said after a choice by number: put back once the choice is done (actions.offers).
AFTER_CHOICE_KEY = "after_choice"


@dataclass(frozen=True)
class Clause:
    text: str
    label: str  # the classifier's label: an intent, or "faq/<topic>"
    confidence: float


def clauses(text: str) -> list[str]:
    """The text's clauses when it has more than one (each of at least MIN_WORDS words), else []."""
    merged: list[str] = []
    for part in (p.strip(" ,") for p in _SPLIT.split(text or "")):
        if not part:
            continue
        if merged and len(merged[-1].split()) < MIN_WORDS and not _own_request(merged[-1]):  # "Hi." joins
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    # "..., and 8pm" belongs to the one before; "..., and stop lisinopril" is a request of its own.
    if len(merged) > 1 and len(merged[-1].split()) < MIN_WORDS and not _own_request(merged[-1]):
        merged[-2:] = [f"{merged[-2]} {merged[-1]}"]
    return merged if len(merged) > 1 else []


def _own_request(clause: str) -> bool:
    return bool(_CONFIRMATION.match(clause) or _SHORT_REQUEST.match(clause))


def second_requests(label: str, found: list[Clause]) -> dict[str, Clause]:
    """What the text asks besides its `label`, by key: an FAQ beside a request or another FAQ (ALSO_FAQ_KEY,
    answered first) and a request beside an FAQ or another request (ALSO_REQUEST_KEY, started once the first is
    done). "cancel my thursday appt, book me a flu shot instead, and do you take medicaid" keeps both the
    question and the other request."""
    # A medical question that asks nothing is a detail of the request beside it ("remind me about my pills. I take
    # my atorvastatin at bedtime": taken away as a question, the reminder form asked for the drug and time again).
    sure = [c for c in found if c.confidence >= SURE and (c.label != "medical_advice" or _ASKS.search(c.text))]
    kept: dict[str, Clause] = {}
    other_faq = next((c for c in sure if c.label.startswith("faq/") and c.label != label), None)
    if label in REQUESTS or label.startswith("faq/"):
        then = next((c for c in sure if c.label in REQUESTS and c.label != label), None)
        if then is not None:
            kept[ALSO_REQUEST_KEY] = then
    if other_faq is not None and (label in REQUESTS or label.startswith("faq/")):
        kept[ALSO_FAQ_KEY] = other_faq
    return kept


# "it" / "them" in one request of a text that names no drug, when the other request named one.
_PRONOUN = re.compile(r"\b(it|them)\b", re.I)


def named_again(text: str, other: str) -> str:
    """The request with its "it" as the drug the other request of the text named: "refill my escitalopram and
    remind me to take it at 9pm" sets the reminder for escitalopram; read alone, "remind me to take it" asked
    which medication."""
    if first_drug(text) or not _PRONOUN.search(text):
        return text
    drug = first_drug(other)
    return _PRONOUN.sub(drug, text, count=1) if drug else text


def after_a_number(text: str) -> tuple[str, str] | None:
    """The number a reply starts with and the request said after it, else None."""
    found = _NUMBER_THEN.match(text or "")
    return (found.group(1), found.group(2).strip()) if found else None


def corrected_dose_reply(found: list[Clause]) -> tuple[Clause, Clause | None] | None:
    """Two different replies to the one dose reminder ("skipped... oh wait no, I did take it"): the patient
    corrected themselves, so the last one said is the reply (both were recorded), with the sure request beside
    it, if any, to follow. None when the text holds at most one kind of dose reply."""
    replies = [c for c in found if c.label in DOSE_REPLIES and c.confidence >= SURE]
    if len({c.label for c in replies}) < 2:
        return None
    then = next((c for c in found if c.label in REQUESTS - DOSE_REPLIES and c.confidence >= SURE), None)
    return replies[-1], then


def dose_reply_first(found: list[Clause]) -> tuple[Clause, Clause] | None:
    """A sure reply to a dose reminder said first, and the sure request after it ("taken. also need a refill",
    "skip today and cancel my appointment next week"): the reply is recorded first, the request follows. Read
    from the whole text, the request won and the reply was lost."""
    if len(found) < 2 or found[0].label not in DOSE_REPLIES or found[0].confidence < SURE:
        return None
    then = next((c for c in found[1:] if c.label in REQUESTS - DOSE_REPLIES and c.confidence >= SURE), None)
    return (found[0], then) if then is not None else None
