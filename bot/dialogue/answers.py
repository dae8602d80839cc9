"""Whether a message answers the question a form has open, whatever intent the classifier gave it.

"Sim Parker" asked for a name is a name even if it reads like a question about new patients; "do you have
thursday instead?" asked for a time is a time. Such an answer goes to the form, not to an FAQ. Emergencies
are never overridden (the caller checks the intent first).
"""
from __future__ import annotations

import re
from datetime import datetime

from bot.birth_date import parse_dob
from bot.dialogue.offers import number_in
from bot.faq import asks_about_hours
from bot.reminders.durations import parse_until
from bot.reminders.parsing import parse_days, parse_times
from bot.reminders.schedule_words import every_hours, times_a_day
from bot.scheduling.errors import SchedulingError
from bot.scheduling.relative import says_relative
from bot.scheduling.timeparse import parse_when
from bot.scheduling.vocabulary import SPECIALTY_WORDS, TYPE_WORDS

# Ends the form in progress, whatever its question ("stop" alone over SMS never gets here: it is a keyword).
_STOP_WORDS = (
    r"(stop|quit|exit|abort|cancel that|cancel this|never ?mind|nvm|forget it|forget about it|stop it|"
    r"no stop|i changed my mind|changed my mind|dont bother|don't bother|skip it"
    # Keeping what is booked ("never mind, keep it as it is" asked for a day and time again and again).
    r"|(?:keep|leave) (?:it|my appointment|my appt|the appointment|the appt) (?:as it is|as is|the same|where it is"
    r"|like it is|unchanged)|keep my (?:appointment|appt)|don'?t (?:change|move) (?:it|anything)|no changes?)"
)
# ... with a filler before ("eh forget it") or said twice ("never mind, cancel that"): still a stop, never an answer.
STOP = re.compile(
    r"^\s*((eh|oh|uh|um+|hmm+|ah|actually|ok|okay|wait|nah|no)\W+)*" + _STOP_WORDS
    + r"(\W+(" + _STOP_WORDS[1:-1] + r"|please|thanks|thank you|then))*\W*$",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(r"^\s*(what|where|when|how|do|does|is|are|can|could|who|why|which|will|should)\b", re.I)
_NAME = re.compile(r"\s*[A-Za-z][A-Za-z'\-]*(\s+[A-Za-z][A-Za-z'\-.]*){1,3}\s*")
_ORDINAL = re.compile(r"\b(first|second|third|last|none|neither)\b", re.I)
_VISIT_WORDS = [w for words in (*TYPE_WORDS.values(), *SPECIALTY_WORDS.values()) for w in words]
_DOCTOR = re.compile(r"\b(dr|doctor|doc)\.?\s+[a-z]", re.I)


_YES_START = re.compile(r"\s*(yes|y|yeah|yep|yup|sure|ok|okay|please do|do it|go ahead|correct|right)\b", re.I)
_NO_START = re.compile(r"\s*(no|n|nope|nah|not now|don'?t|do not|keep it|leave it)\b", re.I)


# A yes taken back in the same breath: "yes wait no keep it", "ok actually no" ("yes, no problem" is still a yes).
_TAKEN_BACK = re.compile(
    r"\b(no|nope|nah|wait|hold on|actually|don'?t|do not|keep it|never ?mind|not|scratch that)\b"
    r"(?! (problem|problems|worries|rush|hurry|a problem)\b)",
    re.I,
)


def taken_back(text: str) -> bool:
    """A yes that the rest of the message takes back: no yes at all, never acted on (the question is asked again)."""
    start = _YES_START.match(text or "")
    return bool(start and _TAKEN_BACK.search(text[start.end() :]))


def yes_or_no(text: str) -> bool | None:
    """A reply to a yes/no question: True, False, or None when it is neither ("no, keep it" is a no, and so is
    nothing a yes taken back: "yes wait no keep it" is None)."""
    if _NO_START.match(text or ""):
        return False
    if _YES_START.match(text or ""):
        return None if taken_back(text) else True
    return None


# A medical question that also asks to be seen ("should I bring him in?"): the answer offers a sick visit.
_TO_BE_SEEN = re.compile(
    r"\b(bring (him|her|them|my \w+) in|come in|be seen|get (him|her|them|it) (seen|checked)|take (him|her|them) in"
    r"|see (a|the) (doctor|nurse)|see someone|need an? (appointment|appt|visit)|should (i|we) (come|go) in)\b",
    re.I,
)


def wants_to_be_seen(text: str) -> bool:
    return bool(_TO_BE_SEEN.search(text or ""))


# "never mind, I'll call later", "nvm i'll just ring the office": leaving the form to do it another way.
_LEAVING = re.compile(
    r"^\W*(?:(?:ok|okay|oh|ah|eh|actually|no|nah|um+|hmm+|not sure(?: yet)?|idk)\W+)*"
    r"(?:(?:never ?mind|nvm|forget it|no worries)\W+)?"
    r"(?:i'?ll|ill|i will|i'm going to|im going to|gonna|let me)\s+(?:just\s+)?"
    r"(?:call|ring|phone|try again|do it|book it|sort it out|come back|text back|check my calendar)\b"
    r"(?:\W+(?:you|the clinic|the office|instead|back|later|tomorrow|another time|some other time|thanks|thx"
    r"|thank you|bye))*\W*$",
    re.IGNORECASE,
)


def is_stop(text: str) -> bool:
    return bool(STOP.match(text or "") or _LEAVING.match(text or ""))


# At the code step: the birth date given was wrong, or no code came ("i typed my birthday wrong", "wrong dob",
# "i never got a text"). Either way the patient goes back to the birth date, since we never say which was wrong.
_REDO_BIRTH_DATE = re.compile(
    r"\b(birth ?day|birth ?date|date of birth|dob|bday)\b.{0,30}\b(wrong|typo|mistake|incorrect|mistyped|off)\b"
    r"|\b(wrong|typo|mistake|incorrect|mistyped|misspelt|misspelled)\b.{0,30}\b(birth ?day|birth ?date|date of birth"
    r"|dob|bday|year)\b|\b(didn'?t|did not|never|haven'?t|have not|not) (get|got|gotten|receive|received|come|came)\b"
    r".{0,20}\b(code|text|message|sms)\b|\bno (code|text)( came| yet| arrived)?\b",
    re.I,
)


def redoes_birth_date(text: str) -> bool:
    """Whether words at the code step take the patient back to the birth date rather than give a code."""
    return bool(_REDO_BIRTH_DATE.search(text or ""))


def fits(requested_slot: str | None, text: str, now: datetime, horizon_days: int) -> bool:
    """True when `text` is a plausible answer to the form question `requested_slot`."""
    text = (text or "").strip()
    if not requested_slot or not text or is_stop(text):
        return False
    lowered = text.lower()
    if requested_slot == "verify_name":
        return bool(_NAME.fullmatch(text)) and not _QUESTION_WORD.match(text) and "?" not in text
    if requested_slot == "verify_dob":
        return parse_dob(text) is not None
    if requested_slot == "verify_code":  # the code, or the way back to a mistyped birth date
        return bool(re.fullmatch(r"\s*\d{6}\s*", text)) or parse_dob(text) is not None or redoes_birth_date(text)
    if requested_slot in ("when", "slot_choice", "appointment_choice"):
        if number_in(text) is not None or _ORDINAL.search(lowered):
            return True
        if requested_slot == "appointment_choice":  # "the dermatology one", "the one with dr kim"
            return _names_a_visit(text, lowered)
        if says_relative(text):  # "a week later", "anything earlier?": read against the appointment being moved
            return True
        if asks_about_hours(text):  # "are you open on saturdays?": the hours answer it, then the form asks again
            return False
        try:
            return parse_when(text, now, horizon_days) is not None
        except SchedulingError:  # an unbookable time ("the 31st of february") still answers: the form says why
            return True
    if requested_slot == "visit":
        return _names_a_visit(text, lowered)
    if requested_slot in ("cancel_confirmed", "reminder_show_name", "reminder_confirmed"):
        return yes_or_no(text) is not None
    if requested_slot == "reminder_times":  # "every 6 hours", "twice a day": answers the form asks more about
        return bool(parse_times(text)) or every_hours(text) is not None or times_a_day(text) is not None
    if requested_slot == "reminder_days":
        return parse_days(text) is not None
    if requested_slot == "reminder_until":
        return parse_until(text, now.date()) is not False
    return False


# "the bennett one", "my wednesday appointment": words that single out one appointment among the patient's.
_THE_ONE = re.compile(r"^\W*(?:no\W+)?(?:the|my)\s+[a-z.' ]{2,30}?\s+(?:one|appointment|appt|visit)\b", re.I)


def describes_an_appointment(text: str) -> bool:
    """True for words that may pick one of the patient's appointments ("the bennett one", "the skin one")."""
    lowered = (text or "").lower()
    return bool(_THE_ONE.match(lowered)) or _names_a_visit(text or "", lowered)


def _names_a_visit(text: str, lowered: str) -> bool:
    return bool(_DOCTOR.search(text)) or any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in _VISIT_WORDS)


# Right after "You're booked": "wait, I meant wednesday not tomorrow", "oops wrong day, it should be thursday" take
# back the time just booked. A request beside it ("also one for my son friday"), a late note ("actually I'll be
# late tomorrow") or a question about it ("wait, is it on wednesday?") is not that.
_TAKES_BACK = re.compile(r"\b(?:meant|mean|actually|wait|oops|sorry|wrong|should be|should have been|instead|rather)\b")
_NOT_A_CORRECTION = re.compile(
    r"\b(?:also|another|second|too|as well|cancel|refill|remind|reminder|late|running|is it|was it|isn'?t it"
    r"|my (?:son|daughter|wife|husband|kid|child|mom|mum|dad|partner)\w*)\b"
)


def corrects_a_booking(text: str, now: datetime, horizon_days: int) -> bool:
    """True for words that take back the day or time just booked and say the one meant instead."""
    lowered = (text or "").lower()
    if not _TAKES_BACK.search(lowered) or _NOT_A_CORRECTION.search(lowered):
        return False
    try:
        return parse_when(lowered, now, horizon_days) is not None
    except SchedulingError:
        return True  # "I meant the 31st of february": the move says why it cannot be
