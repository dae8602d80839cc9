"""A numbered reply answers the offer it follows, and nothing else.

An offer is the choices (buttons on the web, numbered lines over SMS) of the bot's last turn before the
patient's reply; the tracker keeps every turn's buttons with the conversation, so the offer is read back
exactly as the patient saw it. An appointment reminder texted after that turn is the newer offer
("Reply 1 to confirm, 2 to cancel, 3 to reschedule"). With no open offer a digit is asked about, never guessed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.nlu.clauses import after_a_number
from bot.scheduling.choices import COURTESY
from bot.scheduling.confirming import CANNOT

# Marks, in its parse data, the message action_numbered_reply adds for the choice it resolved: "reminder:" +
# payload for a reminder's answer, else the payload.
RESOLVED_KEY = "resolved_choice"
# "get there" is the visit unless the words are about the time ("can't get there on time" is late, not missing).
_ABOUT_A_VISIT = re.compile(
    r"\b(make (it|that|this|the)|come|coming|be there|appointment|appt|visit|attend|that day|tomorrow|tmrw"
    r"|get there(?!\s+(on|in) time))\b",
    re.I,
)


# "the bus is not coming", "my ride didn't show": the way there failing, which says nothing of the visit.
_RIDE_NOT_COMING = re.compile(
    r"\b(bus|train|ride|uber|lyft|taxi|cab|subway|metro|tram|shuttle|driver)\s+(is\s+|was\s+|s\s+)?(not coming"
    r"|isn'?t coming|not here|won'?t come|wont come|didn'?t (come|show)|never (came|showed))\b",
    re.I,
)
# "I will arrive late maybe 20 minutes", "running 10 min behind": late, which the front desk is told, not missing.
_LATE = re.compile(
    r"\b(running|arrive|arriving|get there|be|i'?m|im|am)\s+((a )?(bit|little|few minutes|few mins)\s+)?(late|behind)\b"
    r"|\b\d+\s*(min|mins|minutes)\s+(late|behind)\b",
    re.I,
)
# ... unless the patient says they will not make it after all ("running late, I won't make it").
_NOT_MAKING_IT = re.compile(
    r"\b(can ?not|can'?t|cant|won'?t|wont|will not|not|unable to|couldn'?t) (be able to )?(make it|come|be there"
    r"|attend)\b|\bnot coming\b",
    re.I,
)


def about_missing_a_visit(text: str) -> bool:
    """ "I won't be able to make it", "sorry can't come that day": about an appointment, never a yes to it."""
    said = _RIDE_NOT_COMING.sub(" ", text or "")
    if not (CANNOT.search(said) and _ABOUT_A_VISIT.search(said)):
        return False
    return not _LATE.search(said) or bool(_NOT_MAKING_IT.search(said))


_NUMBER = re.compile(
    r"\s*(?:#|no\.?\s*|number\s+|option\s+|choice\s+)?([1-9])\s*[.)!]*" + COURTESY + r"\s*[.!]*\s*", re.I
)
_WORDS = {"one": 1, "two": 2, "three": 3, "first": 1, "second": 2, "third": 3}
_WORD = re.compile(
    r"\s*(?:number |option |the )?(one|two|three|first|second|third)(?: one| option)?\s*[.!]*"
    + COURTESY
    + r"\s*[.!]*\s*",
    re.I,
)
_YES = re.compile(r"^\s*(yes|yeah|yep|sure|ok)\b", re.I)
_NO = re.compile(r"^\s*(no|nope|not now)\b", re.I)


def switch_answer(text: str, intent: str | None) -> bool | None:
    """The reply to "Shall I stop that and ... instead?": True (switch), False (carry on) or None (neither).
    The words decide before the classifier; "1"/"2" answer the web's Yes/No buttons by number."""
    if _NO.match(text or "") or (text or "").strip() == "2":
        return False
    if _YES.match(text or "") or (text or "").strip() == "1":
        return True
    return {"affirm": True, "deny": False}.get(intent or "")


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str  # "/intent" or words the patient could have typed


# The appointment reminder's answers (bot/reminders/templates.py words them).
REMINDER_CHOICES = (
    Choice("Confirm", "/confirm_appointment"),
    Choice("Cancel", "/cancel_appointment"),
    Choice("Reschedule", "/reschedule_appointment"),
)


# Buttons whose payload is words (the web sends them through the classifier): the request each stands for
# (intent, FAQ topic), so a reply by number or a yes over SMS gets the same answer as the click.
WORD_PAYLOADS: dict[str, tuple[str, str | None]] = {
    "what are your hours": ("faq", "faq/hours"),
    "book a new patient visit": ("book_appointment", None),
    "book a video visit": ("book_appointment", None),
    "book a sick visit": ("book_appointment", None),
}


# "stop my metformin reminders": the button that offers to stop one drug's reminders (actions.wording_reminders).
_STOP_PAYLOAD = re.compile(r"stop my [a-z][\w \-]* reminders")


def payload_request(payload: str) -> tuple[str, str | None] | None:
    """The request (intent, FAQ topic) a button whose payload is words stands for; None for any other payload."""
    if payload in WORD_PAYLOADS:
        return WORD_PAYLOADS[payload]
    return ("stop_medication_reminder", None) if _STOP_PAYLOAD.fullmatch(payload) else None


class Kind(str, enum.Enum):
    CHOSEN = "chosen"
    NO_OFFER = "no_offer"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True)
class Resolution:
    kind: Kind
    choices: tuple[Choice, ...] = ()
    chosen: Choice | None = None
    reminder: bool = False  # the choices were the appointment reminder's


def number_in(text: str) -> int | None:
    """The number a reply consists of ("2", "#2", "option 2", "two"); None for anything else."""
    digit = _NUMBER.fullmatch(text or "")
    if digit:
        return int(digit.group(1))
    word = _WORD.fullmatch(text or "")
    return _WORDS[word.group(1).lower()] if word else None


def choice_number(text: str) -> int | None:
    """The number a reply chooses, alone ("2") or with a request after it ("1 - also where do I park?", which
    bot.nlu.clauses keeps for when the choice is done)."""
    chosen = after_a_number(text)
    return int(chosen[0]) if chosen else number_in(text)


def last_offer(events: Sequence[dict[str, Any]]) -> tuple[tuple[Choice, ...], float | None]:
    """The choices of the bot's turn before the latest user message, and when that turn ended (None: the bot
    never spoke). A turn without buttons offers nothing, even if an earlier one did."""
    seen_latest_user = False
    choices: tuple[Choice, ...] = ()
    at: float | None = None
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest_user:
                break
            seen_latest_user = True
        elif kind == "bot" and seen_latest_user:
            at = at or event.get("timestamp")
            buttons = (event.get("data") or {}).get("buttons") or []
            if buttons and not choices:
                choices = tuple(Choice(b.get("title", ""), b.get("payload", "")) for b in buttons)
    return choices, at


def resolve(number: int, offer: Sequence[Choice], offer_at: float | None, reminder_at: float | None) -> Resolution:
    """What `number` chooses: among the newer of the bot's last offer and an appointment reminder."""
    choices: tuple[Choice, ...]
    if reminder_at is not None and (offer_at is None or reminder_at > offer_at):
        choices, reminder = REMINDER_CHOICES, True
    elif offer:
        choices, reminder = tuple(offer), False
    else:
        return Resolution(Kind.NO_OFFER)
    if not 1 <= number <= len(choices):
        return Resolution(Kind.OUT_OF_RANGE, choices, reminder=reminder)
    return Resolution(Kind.CHOSEN, choices, choices[number - 1], reminder)


def yes_no(offer: Iterable[Choice]) -> tuple[Choice, Choice] | None:
    """The (yes, no) pair of an offer that asks a yes/no question, None for any other offer."""
    found = {("yes" if _YES.match(c.title) else "no" if _NO.match(c.title) else ""): c for c in offer}
    return (found["yes"], found["no"]) if "yes" in found and "no" in found else None
