"""Corrections to the classifier's ranking where the words settle what the probabilities leave open.

Each one moves a misreading's probability to the request the words make in so many words, so the fallback's
ambiguity check sees one clear request; anything else on top stands.
"""

from __future__ import annotations

import re

from bot.faq import asks_about_hours
from bot.nlu.clinicians import (
    asks_for_a_clinician,
    describes_a_clinician_sought,
    looks_for_a_clinician,
    names_another_trade,
)
from bot.nlu.language import looks_spanish
from bot.nlu.medication_readings import (
    SURE,
    as_medication_reply,
    as_new_plan,
    as_plan_change,
    is_an_errand_reminder,
)
from bot.nlu.ranking import Ranking, moved
from bot.reminders.drugs import first_drug
from bot.scheduling.vocabulary import SPECIALTY_WORDS, TYPE_WORDS

BOOKING = "book_appointment"
# What a message naming a kind of clinician ("is there an eye doctor?", "talk to a counselor") is read as
# instead of a booking: a hand-off, a bare answer, off-topic, or an FAQ topic the classifier is unsure of.
_NOT_BOOKING_WHEN_A_CLINICIAN = frozenset({"human_handoff", "inform", "out_of_scope"})
# ... and those with the booking are what a bare answer naming one ("cardiology") is read as instead of an answer.
_READ_FOR_A_CLINICIAN = _NOT_BOOKING_WHEN_A_CLINICIAN | {BOOKING}
_FAQ_SURE = 0.6
# Looking for a clinician ("find me a therapist who speaks Spanish") is a booking even when a fact about the one
# sought (a language, an insurer, a place) reads as that FAQ, sure or not; other requests stand.
_NOT_BOOKING_WHEN_LOOKING = _NOT_BOOKING_WHEN_A_CLINICIAN | {"list_appointments", "greet"}
# The FAQ topics a clinician sought is described by ("a dentist who takes Delta", "the nearest ob-gyn").
_FACTS_OF_A_SEARCH = frozenset({"faq/insurance", "faq/languages", "faq/new_patient", "faq/location", "faq/hours"})
# A verb for what is done to an appointment the patient has, said of it ("push the skin doctor appt", "cancel my
# dermatology appointment"): the clinician's words lean the classifier toward a new booking, which would book
# a second visit instead of moving or cancelling the one they have.
_APPOINTMENT = r".*\b(?:appt|appointment|appointments|visit|it)\b"
_MANAGING = {
    "reschedule_appointment": re.compile(
        r"\b(?:push|move|moving|reschedule|resched|rescheduling|bump|shift|postpone)\b" + _APPOINTMENT, re.I
    ),
    "cancel_appointment": re.compile(r"\bcancel\b" + _APPOINTMENT, re.I),
    "confirm_appointment": re.compile(r"\bconfirm\b" + _APPOINTMENT, re.I),
}
_ABOUT_AN_APPOINTMENT = re.compile(r"\b(appt|appointment|appointments|visit|checkup|check-up)\b", re.I)
# A bare answer ("wednesday afternoon", "any doctor is fine") asked as a question or a need about a visit: "who's
# good for skin stuff?", "is dr kim in on fridays?", "need a follow up before 9am". Nobody asked it anything, so
# it is a request to be seen; inside the booking form a booking is that form's own request and still answers. So
# is one said as an order ("book a follow up").
_ASKED = re.compile(
    r"\?|^\W*(?:hi|hello|hey)?\W*(who|whos|who's|which|is|are|can|could|do you|does|need|i need|i want|i'd like"
    r"|id like|looking|where|when|whens|when's|book|schedule|sched|set me up|get me in|make me)\b",
    re.I,
)
_VISIT_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for words in (*TYPE_WORDS.values(), *SPECIALTY_WORDS.values()) for w in words)
    + r"|dr|doctor|doctors|doc|provider|providers|appointment|appt|appts|visit|seen|opening|openings|slot|slots)\b",
    re.I,
)
_ANSWER = "inform"
# A provider and a time with no verb ("thursday after 4, dr alvarez", "two weeks from today works for me, Dr
# Alvarez, morning"): the request to see them then, though it reads as a bare answer.
_A_PROVIDER = re.compile(r"\b(dr|doctor|doc)\.?\s+[a-z]{2,}|\b(np|nurse practitioner)\b", re.I)
_A_TIME = re.compile(
    r"\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?\b|\b(today|tomorrow|tmrw|tmr|tonight|morning|afternoon"
    r"|evening|next week|this week|weekend)\b|\b\d{1,2}(:\d\d)?\s*(am|pm)\b|\b(after|before|around|at) \d{1,2}\b"
    r"|\b\d{1,2}(st|nd|rd|th)\b",
    re.I,
)
# Openings asked after, not the clinic's hours: "any appts left 2day", "do you have availability thursday".
_OPENINGS = re.compile(
    r"\b(slots?|openings|opening(?! (hours?|times?|days?))|appts?|appointments?|availability|available"
    r"|spots? (open|left|free))\b",
    re.I,
)
# What a question whether the clinic is open at all ("do you have appointments on weekends?") is misread as.
_READ_FOR_HOURS = frozenset({"list_appointments", BOOKING, "inform"})
# The one word that says what is wanted ("book"), which the classifier reads as a bare answer.
_BOOKING_WORDS = frozenset({"book", "booking", "schedule", "appointment", "appt", "book appt", "book appointment"})
HANDOFF = "human_handoff"
# "whats the nurse line number": the number, which the contact answer gives; "speak with Dr Chen about my test
# results": a person, not the lab-results answer.
_NURSE_NUMBER = re.compile(r"\bnurse( line| number| phone|s? (number|phone))\b", re.I)
# "please delete all my information": a request about the patient's records for staff, not a text opt-out.
_DELETE_MY_DATA = re.compile(
    r"\b(delete|remove|erase|wipe|destroy)\b.{0,20}\b(my|our)\b.{0,12}\b(information|info|data|records?|account|"
    r"file|details|history)\b",
    re.I,
)
# Texts to someone else ("stop texting my mother, she passed away", "remove her from your texts"): staff see to that
# person's record; the sender's own consent is not theirs to change by it. STOP over SMS is settled before this.
_RELATIVE = (
    r"(mother|mom|mum|father|dad|grandmother|grandma|grandfather|grandpa|husband|wife|partner|son|daughter|sister"
    r"|brother|aunt|uncle|child|kid|baby|friend|neighbou?r)"
)
_A_DEATH = re.compile(r"\b(passed away|passed on|died|deceased|no longer with us|is dead|has died|funeral)\b", re.I)
_SOMEONE_ELSES_TEXTS = re.compile(
    r"\b(texting|text|messaging|message|contacting|calling|sending (texts|messages|reminders) to) (my|his|her|their) "
    + _RELATIVE
    + r"|\b(remove|take|drop|delete|unsubscribe|stop) (him|her|them|my " + _RELATIVE + r")\b"
    r"|\b(his|her|their) (texts|messages|reminders|alerts|number)\b"
    r"|\bmy " + _RELATIVE + r"'?s (texts|messages|reminders|alerts|number|phone)\b",
    re.I,
)
_PERSONAL_TOPICS = frozenset({"faq/lab_results", "faq/billing", "faq/medical_records"})  # about the patient's own
_TO_A_PERSON = re.compile(r"\b(speak|talk|chat)( directly)? (with|to)\b|\b(call|contact) me\b", re.I)
# Asked to talk to a person in so many words ("i'm not suicidal, i just want to talk to someone about my anxiety
# meds" fell back), and things only a person can settle: a class the clinic may run (no visit to book), or
# whether a visit they have is still needed ("feeling better, do i still need to come in?" began a booking).
_TO_SOMEONE = re.compile(
    r"\b(speak|talk|chat) (with|to) (someone|somebody|a person|a human|a real person|a nurse|staff|a pharmacist)\b"
    # A call back asked for ("can you have the doctor's office call me", "could someone ring me").
    r"|\b(have|get|ask) (someone|somebody|a nurse|the nurse|the doctor|your office|the office|the doctor'?s office"
    r"|staff|the front desk)\b.{0,20}\b(call|ring|phone) me\b|\b(someone|somebody) (call|ring|phone) me\b"
    # Someone at the desk named alone ("front desk", "rep pls", "operator"): put through, said in a word or two.
    r"|^\W*(the |a |an |your )?(front desk|reception(ist)?|rep|representative|agent|operator|human|real person"
    r"|live person|staff member)( please| pls| plz| now)?\W*$",
    re.I,
)
_FOR_A_PERSON = re.compile(
    r"\b(do|does|can) (you|the clinic|your clinic|y'?all) (run|offer|have|hold|teach|do|give|host) .{0,30}"
    r"\b(class|classes|course|courses|workshops?|support groups?)\b"
    r"|\b(don'?t|do not|doesn'?t|not) (really |even )?need to (come in|be seen|keep (it|my appointment"
    r"|the appointment))"
    r"|\b(do|should) (i|we) still (need to )?(come in|keep (it|my appointment|the appointment))\b",
    re.I,
)
# A note for an absence ("I need a doctor's note for work for missing yesterday" was booked for yesterday): staff
# write it from the record. A visit to get one is asked for in so many words.
_A_NOTE = re.compile(
    r"\b(doctor'?s|doctors|dr'?s|drs|sick|work|school|medical|excuse) (note|letter|slip)\b"
    r"|\bnote (for|excusing) (work|school|my (boss|employer|job))\b",
    re.I,
)
_A_VISIT_ASKED = re.compile(r"\b(appointment|appt|visit|book|schedule|come in|be seen)\b", re.I)
_NOT_A_PERSON_TO_OVERRULE = frozenset({"emergency", BOOKING})
# "Stop please", "please stop now": a texter's stop said in a word or two more than the keyword (it fell back).
# Inside a form the conversation rules read "stop" first and end the form (bot.dialogue.policy).
_STOP_PLEASE = re.compile(
    r"^\W*(please |pls |plz )?(stop|unsubscribe|opt me out)( (please|pls|plz|now|it|all|texting( me)?|"
    r"messaging( me)?|the texts|these texts|texts|messages))*\W*$",
    re.I,
)
# Words about an appointment the patient has ("my appointment with dr kim on friday", "do I have one with ..."):
# a look-up or a change, not a new visit.
_HAS_ONE = re.compile(
    r"\b(my|our|his|her|the) (appts?|appointments?|visits?)\b|\bdo i have\b|\bam i (booked|scheduled)\b", re.I
)
# A near tie of a booking and a look at the appointments or a move behind it ("schedule a visit", "when can i come
# in") is the booking unless the words point at a visit the patient has or ask to see or move one.
_NEAR_A_NEW_VISIT = frozenset({"list_appointments", "reschedule_appointment"})
_AN_EXISTING_VISIT = re.compile(
    r"\b(upcoming|scheduled|booked|bookings?|coming up|on the books|list|show|check|move|moving|reschedule|resched"
    r"|change|push|bump|shift|swap|postpone|pospone|earlier|later|instead|different|another|other|next|sooner)\b"
    r"|\b(it|that|mine|them)\b|\b(did|have|was|am|were) (i|you|we)\b|\bi'?m (seeing|coming|booked|scheduled)\b"
    r"|\b(my|our|his|her|sons?|daughters?|kids?)\b",
    re.I,
)
# "could the doctor write me a new script for my metformin er 500": a refill, though "the doctor" reads as a visit.
_NEW_SCRIPT = re.compile(r"\b(new|another|renew(ed)?|fresh) (script|prescription|rx|scrip)\b", re.I)


def corrected(ranked: Ranking, text: str) -> Ranking:
    if ranked and ranked[0][0] != "emergency" and looks_spanish(text):
        # Read as English it is a guess, however unsure; the staff speak Spanish: certain, past the fallback.
        return [(HANDOFF, 1.0)] + [(label, 0.0) for label, _ in ranked if label != HANDOFF]
    if ranked and looks_for_a_clinician(text) and (
        ranked[0][0] in _NOT_BOOKING_WHEN_LOOKING or ranked[0][0].startswith("faq/")
    ):
        ranked = moved(ranked, ranked[0][0], BOOKING)
    if ranked and ranked[0][0] in _FACTS_OF_A_SEARCH | {_ANSWER} and describes_a_clinician_sought(text):
        ranked = moved(ranked, ranked[0][0], BOOKING)
    if asks_for_a_clinician(text):
        # A bare answer ("cardiology", "my pcp please") stays one, and gathers the misreadings: inside a form it
        # answers the open question; outside one the dialogue books with it (bot.dialogue.policy).
        bare = bool(ranked) and ranked[0][0] == _ANSWER and not _ASKED.search(text)
        ranked = _folded(ranked, _ANSWER if bare else BOOKING)
    if ranked and ranked[0][0] in _READ_FOR_A_CLINICIAN - {"out_of_scope"} and names_another_trade(text or ""):
        return moved(ranked, ranked[0][0], "out_of_scope")
    if ranked and ranked[0][0] == "set_medication_reminder" and is_an_errand_reminder(text):
        return moved(ranked, ranked[0][0], "out_of_scope")
    if ranked and ranked[0][0] == _ANSWER and _ASKED.search(text or "") and _VISIT_WORDS.search(text or ""):
        ranked = moved(ranked, _ANSWER, BOOKING)
    if ranked and ranked[0][0] in (_ANSWER, "list_appointments") and _provider_and_time(text):
        ranked = moved(ranked, ranked[0][0], BOOKING)
    if ranked and ranked[0][0] == "faq/hours" and _OPENINGS.search(text or "") and not asks_about_hours(text):
        ranked = moved(ranked, "faq/hours", BOOKING)
    if ranked and ranked[0][0] in _READ_FOR_HOURS and asks_about_hours(text):
        # "do you have appointments on weekends?" listed the patient's appointments: the hours answer it.
        for label in [label for label, _ in ranked[:2] if label in _READ_FOR_HOURS]:
            ranked = moved(ranked, label, "faq/hours")
    if ranked and ranked[0][0] != BOOKING and re.sub(r"[^a-z ]", "", (text or "").lower()).strip() in _BOOKING_WORDS:
        ranked = moved(ranked, ranked[0][0], BOOKING)
    ranked = as_new_plan(as_plan_change(_as_managing(_as_new_visit(ranked, text), text), text), text)
    if ranked and ranked[0][0] == HANDOFF and _NURSE_NUMBER.search(text or "") and not _TO_A_PERSON.search(text or ""):
        ranked = moved(ranked, HANDOFF, "faq/contact")
    if ranked and ranked[0][0] in _PERSONAL_TOPICS and _TO_A_PERSON.search(text or ""):
        ranked = moved(ranked, ranked[0][0], HANDOFF)
    if ranked and ranked[0][0] in ("opt_out", "faq/medical_records") and _DELETE_MY_DATA.search(text or ""):
        ranked = moved(ranked, ranked[0][0], HANDOFF)
    if ranked and ranked[0][0] in ("opt_out", "opt_in") and about_someone_elses_texts(text):
        ranked = moved(ranked, ranked[0][0], HANDOFF)
    ranked = as_medication_reply(ranked, text)
    if ranked and ranked[0][0] not in ("opt_out", "emergency") and _STOP_PLEASE.match(text or ""):
        ranked = moved(ranked, ranked[0][0], "opt_out")
        return [("opt_out", max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and _TO_SOMEONE.search(text or "") and ranked[0][0] not in _NOT_A_PERSON_TO_OVERRULE:
        # Past the fallback, even when the person was already the (unsure) first guess.
        ranked = moved(ranked, ranked[0][0], HANDOFF) if ranked[0][0] != HANDOFF else ranked
        return [(HANDOFF, max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and ranked[0][0] == BOOKING and _NEW_SCRIPT.search(text or "") and first_drug(text):
        ranked = moved(ranked, BOOKING, "request_refill")
        return [("request_refill", max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and ranked[0][0] == BOOKING and (_FOR_A_PERSON.search(text or "") or _for_a_note(text)) and not (
        asks_for_a_clinician(text)
    ):
        ranked = moved(ranked, BOOKING, HANDOFF)
        return [(HANDOFF, max(ranked[0][1], SURE)), *ranked[1:]]
    return ranked


def _for_a_note(text: str) -> bool:
    return bool(_A_NOTE.search(text or "")) and not _A_VISIT_ASKED.search(text or "")


def _provider_and_time(text: str) -> bool:
    words = text or ""
    return bool(_A_PROVIDER.search(words) and _A_TIME.search(words) and not _HAS_ONE.search(words))


def _folded(ranked: Ranking, into: str) -> Ranking:
    """The ranking with the misreadings of a request for a clinician among its top two folded into `into` (the
    booking, or the bare answer naming one): their probability is its, so the fallback's ambiguity check sees one
    clear request. A confident other request, an emergency or a medical question stands."""
    scores = dict(ranked)
    for label, score in ranked[:2]:
        if label == into:
            continue
        if label not in _READ_FOR_A_CLINICIAN and not (label.startswith("faq/") and score < _FAQ_SURE):
            break
        scores[into] = scores.get(into, 0.0) + score
        scores[label] = 0.0
    return sorted(scores.items(), key=lambda item: -item[1])


def _as_managing(ranked: Ranking, text: str) -> Ranking:
    """The ranking with a booking among the top two folded into the move, cancel or confirm beside it that the
    words ask for in so many words ("can we push the skin doctor appt to thursday"): the booking's probability
    becomes that request's. Anything else on top stands."""
    if len(ranked) < 2 or BOOKING not in (ranked[0][0], ranked[1][0]):
        return ranked
    # Either order: a near tie ("could I shift my visit with Dr. Bennett to Friday?" 0.43 / 0.41) fell back.
    other = ranked[1][0] if ranked[0][0] == BOOKING else ranked[0][0]
    managing = _MANAGING.get(other)
    if managing is None or not managing.search(text or ""):
        return ranked
    return moved(ranked, BOOKING, other)


def _as_new_visit(ranked: Ranking, text: str) -> Ranking:
    """The ranking with a look at the appointments or a move just behind a booking folded into it when the words
    name no visit the patient has and ask to see or move none."""
    if len(ranked) < 2 or ranked[0][0] != BOOKING:
        return ranked
    other = ranked[1][0]
    if other not in _NEAR_A_NEW_VISIT or _HAS_ONE.search(text or "") or _AN_EXISTING_VISIT.search(text or ""):
        return ranked
    return moved(ranked, other, BOOKING)


def about_someone_elses_texts(text: str) -> bool:
    """Whether the message asks about another person's texts, or says someone has died: for staff."""
    return bool(_SOMEONE_ELSES_TEXTS.search(text or "") or _A_DEATH.search(text or ""))


def names_a_death(text: str) -> bool:
    return bool(_A_DEATH.search(text or ""))
