"""Questions about the clinic and visits asked for, read by their words where the classifier reads them as
something else (bot.nlu.readings holds the other corrections; this one runs after them).

- A question about the clinic's website or walk-ins has no topic of its own in the clinic profile: the contact
  answer (phone, email and the website) fits both; "do you have a website?" started a booking and "do you take
  walk-ins?" got the insurance list.
- An insurer asked after ("dying to know if u take cigna") is the insurance answer, not the medical-advice reply
  "dying" leaned it to.
- A shot asked for ("covid shot appt asap", "can i get a flu shott") is a booking; a question about the shots the
  clinic offers ("do you have flu shots yet") stays the vaccine answer.
- A reminder of an appointment asked for ("can you remind me about my appointment the day before") is the answer
  on appointment reminders, which the clinic texts anyway; it listed the appointments and never said so.
- A visit wanted in so many words ("I'd like to get it checked", "due for her yearly checkup", "checkup sunday?")
  is a booking where a near tie with a bare answer or a medical question fell back.
"""

from __future__ import annotations

import re

from bot.nlu.ranking import Ranking, moved

BOOKING = "book_appointment"
CONTACT = "faq/contact"
INSURANCE = "faq/insurance"
VACCINE = "faq/covid_vaccine"
APPOINTMENT_REMINDERS = "faq/appointment_reminders"
_REMINDING = re.compile(
    r"\b(remind\w*|rem[ie]?n?d(e?r)?s?|texts?|texting|txts?|notif\w*|alerts?|messages?|heads[- ]up|ping|call me)\b",
    re.I,
)
_ABOUT_ONES_VISIT = frozenset({"reschedule_appointment", "book_appointment", "cancel_appointment",
                               "confirm_appointment", "list_appointments"})

_WEBSITE = re.compile(r"\b(web ?sites?|web ?pages?|home ?page|url)\b", re.I)
_WALK_IN = re.compile(r"\bwalk[- ]?ins?\b|\bwalk (in|over|up)\b|\bwithout an? (appointment|appt)\b", re.I)
_A_SHOT = re.compile(
    r"\b(shots?|shott?s?|jabs?|vaccines?|vaccinations?|vax|vaccinated|boost(e)?rs?|immuni[sz]ations?)\b", re.I
)
_A_DAY = re.compile(
    r"\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?\b|\b(today|tomorrow|tmrw|tonight|this week|next week)\b",
    re.I,
)
# What a website question is read as by mistake: anything but a request the words make, or an emergency.
_READ_FOR_A_WEBSITE = frozenset({BOOKING, "help", "out_of_scope", "inform", "thank", "greet", "list_appointments"})
# What a walk-in question is read as by mistake; a booking stands ("any space for a walk in today" asks for a time).
_READ_FOR_A_WALK_IN = frozenset({"help", "out_of_scope", "inform", "medical_advice"})

# Insurers patients name (the clinic's own list is in its profile; any of these is a question for its answer).
_INSURER = re.compile(
    r"\b(aetna|cigna|blue ?cross|blue ?shield|bcbs|medicare|medicaid|medi-cal|united ?health(care)?|uhc|humana"
    r"|kaiser|tricare|anthem|molina|ambetter|oscar|wellcare|centene|caresource|highmark|emblem|insurance)\b",
    re.I,
)
_TAKES = re.compile(r"\b(take|takes|taking|accept|accepts|accepted|in[- ]network|work with|bill|cover(ed)?)\b", re.I)
# A medical question that names an insurer still is one ("does my aetna cover a dose change" is not about the plan
# list): only an insurer asked about with no medical words is the insurance answer.
_MEDICAL = re.compile(r"\b(dose|dosage|symptoms?|side effects?|pain|pills?|medications?|medicines?|meds)\b", re.I)
_READ_FOR_AN_INSURER = frozenset({"medical_advice", "inform", "out_of_scope", "help"})

# A shot asked for: a visit word, a wish, or "can I get" said of it. A question about what is offered, to whom, or
# at what cost is the vaccine answer.
_ASKS_FOR_A_SHOT = re.compile(
    r"\b(appt|appts|appointment|appointments|book|schedule|sched|sign me up|get me in|asap|i need|need my|need a"
    r"|i want|want to get|i'd like|id like|i would like|can i get|could i get|can i come in)\b",
    re.I,
)
_ABOUT_THE_SHOTS = re.compile(
    r"\b(do|does) (you|ya|u|y'?all|the clinic|your clinic) (have|offer|give|carry|do|stock)\b|\bis there\b"
    r"|\b(are|is) .{0,30}\b(available|offered|free|covered|in stock|safe)\b|\bwho (can|should|is eligible)\b"
    r"|\bhow much\b|\bcost\b|\bprice\b|\beligible\b|\bwalk[- ]?in\b|\b(do|will) (i|we) (have|need)\b"
    r"|\bneed an? (appointment|appt)\b|\b(in yet|left|covered|pay|what age|which|where)\b|\b(there|here)\W*$"
    r"|\bat (your|the) (office|clinic|practice)\b",
    re.I,
)

# A reminder of a visit asked for or asked about: a reminder of an appointment, or reminding and a visit with
# "before" ("remind me about my appointment the day before"). "remind me of the time of my next appointment" asks
# when it is; a medicine named is a medication reminder; stopping them is an opt-out or a plan change.
_VISIT_REMINDER = re.compile(
    r"\b(appointment|appt|visit|checkup|check-up)s? (reminders?|texts?|txts?|notifications?)\b"
    r"|\b(reminders?|notifications?) (for|about|of|before) (my |an |the |your |each |every )?(next )?"
    r"(appointment|appt|visit|checkup|check-up)s?\b"
    r"|\b(remind|reminders?|text|txt|message|notify)\b.{0,30}\b(appointment|appt|visit|checkup|check-up)s?\b.{0,30}"
    r"\b(day before|night before|before|beforehand|ahead|in advance)\b"
    r"|\b(remind|reminders?|text|txt|message|notify)\b.{0,30}\b(before|ahead of)\b.{0,20}"
    r"\b(appointment|appt|visit|checkup|check-up)s?\b",
    re.I,
)
_NOT_ABOUT_VISIT_REMINDERS = re.compile(
    r"\b(stop|no more|don'?t|dont|do not|turn off|unsubscribe|opt out|too many|meds?|medications?|medicines?|pills?"
    r"|doses?|tablets?)\b",
    re.I,
)
_READ_FOR_VISIT_REMINDERS = frozenset({
    "list_appointments", "set_medication_reminder", "list_medication_reminders", "nlu_fallback", "inform",
    "out_of_scope", "help",
})

# A visit wanted in so many words: a wish or a need said of a visit, or of having something looked at.
_VISIT = (
    r"(checkup|check-up|check up|physical|well check|well-check|exam|appointment|appt|visit|follow[- ]?up|screening"
    r"|recheck)"
)
_WANTS_A_VISIT = re.compile(
    r"\b(due for|overdue for|time for|need|needs|want|wants|i'?d like|id like|would like|looking for)\b.{0,60}\b"
    + _VISIT
    + r"\b"
    r"|\bget (it|this|that|them|these|him|her|me|my \w+|his \w+|her \w+)( \w+)? (checked|checked out|looked at|seen"
    r"|examined)\b"
    r"|\b(take|have) a look at (it|this|that|them|my \w+)\b",
    re.I,
)
# A visit word and a day asked as a question with nothing else ("checkup sunday?", "physical next week?").
_VISIT_ON_A_DAY = re.compile(
    r"^\W*(a |an )?" + _VISIT + r"\s+(on |this |next )?(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?"
    r"(\s+(morning|afternoon|evening))?\s*\?\s*$"
    r"|^\W*(a |an )?" + _VISIT + r"\s+(today|tomorrow|tmrw|next week|this week)\s*\?\s*$",
    re.I,
)
# What such a request is read as when it falls back or is lost; "a mole changed color, is that cancer?" has no
# wish in it and stays a medical question.
_NEAR_A_VISIT = frozenset({"inform", "medical_advice", "out_of_scope"})


def read_as_asked(ranked: Ranking, text: str) -> Ranking:
    if not ranked or ranked[0][0] == "emergency":
        return ranked
    words = text or ""
    top = ranked[0][0]
    if _WEBSITE.search(words) and (top in _READ_FOR_A_WEBSITE or top.startswith("faq/")) and top != CONTACT:
        return _sure(moved(ranked, top, CONTACT))
    if _WALK_IN.search(words) and not _A_SHOT.search(words) and top != CONTACT and (
        top in _READ_FOR_A_WALK_IN or top.startswith("faq/")
    ):
        return _sure(moved(ranked, top, CONTACT))
    if top in _READ_FOR_AN_INSURER and _INSURER.search(words) and _TAKES.search(words) and not _MEDICAL.search(words):
        return _sure(moved(ranked, top, INSURANCE))
    if top in _READ_FOR_VISIT_REMINDERS and _VISIT_REMINDER.search(words) and not _NOT_ABOUT_VISIT_REMINDERS.search(
        words
    ):
        return _sure(moved(ranked, top, APPOINTMENT_REMINDERS))
    if top == APPOINTMENT_REMINDERS and not _REMINDING.search(words) and len(ranked) > 1 and (
        ranked[1][0] in _ABOUT_ONES_VISIT
    ):
        # "can I come the day before my appointment instead": a move; reminders are asked about in so many words.
        return moved(ranked, top, ranked[1][0])
    if _shot_asked_for(ranked, words):
        return _sure(moved(ranked, VACCINE, BOOKING))
    return _as_visit_wanted(ranked, words)


def _shot_asked_for(ranked: Ranking, words: str) -> bool:
    """The vaccine answer first, or in a near tie behind a booking ("can i get my covid boostr this friday" fell
    back), for words that ask to be given a shot."""
    top_two = [label for label, _ in ranked[:2]]
    if not (top_two[0] == VACCINE or (VACCINE in top_two and BOOKING in top_two)):
        return False
    asked = _ASKS_FOR_A_SHOT.search(words) or _A_DAY.search(words)
    return bool(_A_SHOT.search(words) and asked and not _ABOUT_THE_SHOTS.search(words))


def _as_visit_wanted(ranked: Ranking, words: str) -> Ranking:
    """A booking beside a bare answer or a medical question in the top two, when the words want a visit: the
    other's probability becomes the booking's, so the fallback's ambiguity check sees one request."""
    top_two = [label for label, _ in ranked[:2]]
    if BOOKING in top_two and len(top_two) == 2:
        other = top_two[1] if top_two[0] == BOOKING else top_two[0]
        if other in _NEAR_A_VISIT and (_WANTS_A_VISIT.search(words) or _VISIT_ON_A_DAY.search(words)):
            return moved(ranked, other, BOOKING)
    return ranked


def _sure(ranked: Ranking) -> Ranking:
    """Past the fallback: the words settled it, however the probabilities were spread."""
    label, confidence = ranked[0]
    return [(label, max(confidence, 0.6)), *ranked[1:]]
