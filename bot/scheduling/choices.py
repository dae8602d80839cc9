"""Numbered choices a patient answers in their own words ("2", "#2", "the second one", "3pm", a button):
open times to book, or which upcoming appointment a cancel or reschedule means.

An offer is kept in the conversation exactly as it was shown, so an answer is read against what the
patient saw. Patients answer with 1/2/3, never a keyword: carriers treat CANCEL as an opt-out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from typing_extensions import NotRequired

from bot.clock import clock_text, read_clock
from bot.scheduling import booking
from bot.scheduling.describing import (
    AFTER_THAT,
    OTHER_ONE,
    asking_clause,
    describe,
    known_words,
    matching,
    only_days,
    split_move,
    without_days,
)
from bot.scheduling.errors import NothingUpcoming
from bot.scheduling.policies import say_when
from bot.scheduling.settling import settled_appointment
from bot.scheduling.weekdays import WD, WEEKDAYS

# As many as a reminder's "reply 1, 2 or 3" and the open times offered for booking.
MAX_CHOICES = 3

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
# "the later one", "the earliest": offers are listed soonest first. Only with "the", so "anything later?" asks
# for other times and picks none.
_EARLIEST_OR_LATEST = re.compile(r"\bthe (earlier|earliest|later|latest)(?: one| time| slot| option)?\b(?! than)")
# "both", "all of them", "all my appointments": every one of the appointments offered.
_ALL = re.compile(
    r"^\W*(?:(?:yes|yeah|ok|okay|please|cancel)\W+)*(?:both|all|all of them|both of them|all three|all two|every one"
    r"|everything|all (?:my|of my|the) (?:appointments|appts|visits))\b(?:\W+(?:of them|please|pls|thanks|thx))*\W*$",
    re.I,
)
# A number word counts only as the whole answer: in "the second one" or "the blue one", "one" is no choice.
_NUMBER_WORD = re.compile(r"(?:number |option |no\.? )?(one|two|three)\W*")
_NUMBER_WORDS = {"one": 0, "two": 1, "three": 2}
# Words a numbered reply may trail without changing it: "1 thx", "2 pls", "3, thank you".
COURTESY = r"(?:[\s,.!]+(?:thx|thanks|thank you|thank u|ty|tnx|pls|plz|please|ok|okay))*"
# An appointment reminder asks for a bare 1, 2 or 3.
_REMINDER_REPLY = re.compile(r"\s*[123]\s*[.!]*" + COURTESY + r"\s*[.!]*\s*", re.I)
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?m\b)?")
# Words asking for other times than those listed: "none of those", "friday after 1pm", "the very last one that
# day", "the latest on a wednesday", "something earlier than the first", a date ("the 9th", "dec 9", "12/9").
_NEW_SEARCH = re.compile(
    r"\b(?:none|neither|not|other|another|different|else|instead|any|anything|something|very|than|"
    r"after|before|from|around|until|till|til|next|following|same|that day|on an?|today|tonight|tomorrow|tmrw|"
    r"week|weekend|month|morning|afternoon|evening|night|lunch|noon)\b"
    r"|\b(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}/\d{1,2}"
    r"|\b(?:[4-9]|[1-3]\d)(?:st|nd|rd|th)\b"
)
_WEEKDAY = re.compile(rf"\b({WD})\b")

# Appointment tokens are never bare numbers, which would be read as positions in the list.
_APPOINTMENT_TOKEN = "appointment:"


class Offer(TypedDict):
    token: str  # enough to act on the choice; a button's payload may send it back
    label: str  # what the patient is shown
    clock: str  # the local time alone ("3:00 PM"): a patient may answer with it
    about: NotRequired[str]  # an appointment's kind, provider and specialty: "the skin one", "the dermatology one"
    day: NotRequired[str]  # an appointment's local day (ISO): "the wednesday one"


def pick(text: str, offered: Sequence[Offer]) -> Offer | None:
    """The offer a reply means, None when it names none of them or asks for something else besides (the patient
    is asked again, or the words are searched anew): a pick books at once, so it is never a guess."""
    cleaned = text.strip().lower()
    for offer in offered:
        if cleaned == offer["token"].lower():
            return offer
    if _NEW_SEARCH.search(cleaned):
        return None
    chosen = _chosen(cleaned, offered)
    if chosen is None or not _times_in(cleaned) <= _times_in(chosen["clock"]):
        return None
    said_days = {WEEKDAYS[name] for name in _WEEKDAY.findall(cleaned)}
    return chosen if said_days <= {WEEKDAYS.get(chosen["label"].split(",")[0].lower())} else None


def _chosen(cleaned: str, offered: Sequence[Offer]) -> Offer | None:
    """The offer a reply points at by its place in the list or its clock time."""
    digit = re.fullmatch(r"\D{0,12}?([1-9])\D{0,12}", cleaned)
    if digit and not re.search(r"\d\s*[ap]\.?m\b|:\d", cleaned):
        return _nth(offered, int(digit.group(1)) - 1)
    word = _NUMBER_WORD.fullmatch(cleaned)
    if word:
        return _nth(offered, _NUMBER_WORDS[word.group(1)])
    for ordinal, index in _ORDINALS.items():
        if re.search(rf"\b{ordinal}\b", cleaned):
            return _nth(offered, index)
    end = _EARLIEST_OR_LATEST.search(cleaned)
    if end:
        return _nth(offered, 0 if end.group(1).startswith("earl") else -1)
    # "the 10am one": only when a single offer is at that time ("10am" is not part of "11:10am").
    said = _times_in(cleaned)
    at_that_time = [o for o in offered if said & _times_in(o["clock"])]
    return at_that_time[0] if len(at_that_time) == 1 else None


@dataclass(frozen=True)
class AppointmentMenu:
    """Which upcoming appointment a request to cancel or move means, as offers to choose from."""

    offers: list[Offer]
    later: int  # upcoming appointments after the offered ones
    unmatched: bool = False  # the request described an appointment the patient does not have

    @property
    def settled(self) -> int | None:
        """The appointment meant when there is nothing to ask (the only one, even when the words describe it
        wrongly: the patient is told, and the question that follows names it)."""
        return _appointment_id(self.offers[0]) if len(self.offers) == 1 else None


def answers_a_reminder(request: str) -> bool:
    """True for a bare 1, 2 or 3: the answer an appointment reminder asks for, which names its appointment."""
    return _REMINDER_REPLY.fullmatch(request) is not None


def appointment_menu(
    session: Session, patient_id: int, zone: ZoneInfo, reminder_reply: bool, now: datetime | None = None,
    request: str = "", moving: bool = False,
) -> AppointmentMenu:
    """The upcoming appointments a request to cancel or move may mean.

    A reply to a reminder means the reminded appointment, and a request describing exactly one upcoming
    appointment ("cancel my appointment with Dr. Bennett", "move my skin check", "my wednesday appointment")
    means that one; one describing several offers those, one describing none offers them all (`unmatched`,
    so the patient is told). A single upcoming appointment needs no question. NoAppointment when nothing is
    upcoming.
    """
    coming = booking.upcoming(session, patient_id, now)
    if not coming:
        raise NothingUpcoming(booking.NOTHING_UPCOMING)
    named = booking.reminded(session, patient_id, coming) if reminder_reply else None
    if named is not None:
        return AppointmentMenu([_appointment_offer(named, zone)], later=0)
    fitting = described_appointments(request, coming, zone, _today(now, zone), moving, acting=True)
    if fitting is not None and len(fitting) >= 1:
        coming = fitting
    shown = coming[:MAX_CHOICES]
    return AppointmentMenu(
        [_appointment_offer(b, zone) for b in shown], later=len(coming) - len(shown), unmatched=fitting == []
    )


def described_appointments(
    request: str, coming: Sequence[booking.Booked], zone: ZoneInfo, today: date, moving: bool = False,
    acting: bool = False,
) -> list[booking.Booked] | None:
    """The appointments among `coming` that the request describes (by provider, kind, specialty, day or date),
    None when it describes none at all. In a move only the words before the new time describe ("move my
    wednesday appointment | to friday"); without such a split, a day that fits no appointment is the new time.
    `acting`: the request is to cancel or move, and only its clause that asks it describes."""
    # "cancel my skin appointment. wait no, the one with alvarez": the one taken back describes nothing.
    request = settled_appointment(request, known_words([_about(b) for b in coming]))
    own, rest = asking_clause(request, moving) if acting else (request, "")
    if rest and (AFTER_THAT.search(own) or OTHER_ONE.search(own)):
        named = described_appointments(rest, coming, zone, today)
        if named:  # "yes to thursday, but cancel the one after that": relative to the one named
            if OTHER_ONE.search(own):
                return [b for b in coming if b not in named]
            return [b for b in coming if b.starts_at > named[0].starts_at][:1]
    if rest and describe(own, known_words([_about(b) for b in coming]), today).says_anything:
        request = own  # "I'll be at the thursday one. please cancel the one with dr kim": the kim one
    words = split_move(request) if moving else None
    source = words.source if words else request
    description = describe(source, known_words([_about(b) for b in coming]), today)
    if moving and words is not None and not words.marked and not matching(
        only_days(description), coming, _about, lambda b: _local_day(b, zone)
    ):
        description = without_days(description)
    if not description.says_anything:
        return None
    return matching(description, coming, _about, lambda b: _local_day(b, zone))


_ALL_IN_REQUEST = re.compile(r"\b(?:all|both)(?: of)? (?:my |the |our )?(?:appointments|appts|visits|them)\b", re.I)


def means_all(text: str, request: bool = False) -> bool:
    """Whether the reply to "which appointment?" means every one listed ("both", "all of them"), or (`request`)
    the request itself asks for all of them ("please cancel all my appointments")."""
    return bool((_ALL_IN_REQUEST.search if request else _ALL.match)(text or ""))


def pick_appointment(text: str, offered: Sequence[Offer], today: date | None = None) -> int | None:
    """The appointment a reply chooses among `offered`, None when it names none of them."""
    chosen = pick(text, offered) or _described(text, offered, today or date.today())
    return _appointment_id(chosen) if chosen else None


def _described(text: str, offered: Sequence[Offer], today: date) -> Offer | None:
    """The one offer whose kind, provider, specialty or day the reply names ("the skin one", "dr kim's",
    "the wednesday one"), read by the same matcher as the request itself."""
    known = known_words([o.get("about", "") for o in offered])
    description = describe(settled_appointment(text, known), known, today)
    if not description.says_anything:
        return None
    matches = matching(
        description, offered, lambda o: o.get("about", ""),
        lambda o: date.fromisoformat(o["day"]) if o.get("day") else None,
    )
    return matches[0] if len(matches) == 1 else None


def offered_ids(offered: Sequence[Offer]) -> list[int]:
    """The appointments an offer of appointments lists, in its order."""
    return [_appointment_id(offer) for offer in offered]


def reply_numbers(count: int) -> str:
    """'1, 2, 3': the answers a list of `count` offers takes."""
    return ", ".join(str(n + 1) for n in range(count))


def _times_in(text: str) -> set[time]:
    """The clock times written in `text` ("10am", "2:30", "11:30 AM"), read by the one clock rule; a bare
    number is no time here (it is a position in the list)."""
    found = set()
    for hour, minute, half in _CLOCK.findall(text.lower()):
        if minute or half:
            try:
                found.add(read_clock(hour, minute or None, half or None))
            except ValueError:
                continue
    return found


def _about(appointment: booking.Booked) -> str:
    # The provider by last name only: a patient's own first name ("this is Maria") names no Dr. Maria Alvarez.
    return f"{appointment.type_name} {_last_name(appointment.provider_name)} {appointment.specialty}"


def _last_name(provider_name: str) -> str:
    """ "Dr. Robert Kim" -> "kim", "Sarah Lopez, NP" -> "lopez"."""
    return provider_name.split(",")[0].split()[-1].lower()


def _local_day(appointment: booking.Booked, zone: ZoneInfo) -> date:
    return appointment.starts_at.astimezone(zone).date()


def _today(now: datetime | None, zone: ZoneInfo) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(zone).date()


def _nth(offered: Sequence[Offer], index: int) -> Offer | None:
    return offered[index] if offered and index < len(offered) else None


def _appointment_offer(appointment: booking.Booked, zone: ZoneInfo) -> Offer:
    # Minimum necessary: when, the kind of visit and with whom; nothing about why.
    return {
        "token": f"{_APPOINTMENT_TOKEN}{appointment.appointment_id}",
        "label": f"{say_when(appointment.starts_at, zone)}: {appointment.type_name} with {appointment.provider_name}",
        "clock": clock_text(appointment.starts_at.astimezone(zone).time()),
        "about": _about(appointment),
        "day": _local_day(appointment, zone).isoformat(),
    }


def _appointment_id(offer: Offer) -> int:
    return int(offer["token"].removeprefix(_APPOINTMENT_TOKEN))
