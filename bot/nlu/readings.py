"""Corrections to the classifier's ranking where the words settle what the probabilities leave open.

Each one moves a misreading's probability to the request the words make in so many words, so the fallback's
ambiguity check sees one clear request; anything else on top stands.
"""

from __future__ import annotations

import re

from bot.nlu.clinicians import asks_for_a_clinician, looks_for_a_clinician
from bot.nlu.language import looks_spanish
from bot.reminders.drugs import first_drug, is_drug

Ranking = list[tuple[str, float]]

BOOKING = "book_appointment"
# What a message naming a kind of clinician ("is there an eye doctor?", "talk to a counselor") is read as
# instead of a booking: a hand-off, a bare answer, off-topic, or an FAQ topic the classifier is unsure of.
_NOT_BOOKING_WHEN_A_CLINICIAN = frozenset({"human_handoff", "inform", "out_of_scope"})
_FAQ_SURE = 0.6
# Looking for a clinician ("find me a therapist who speaks Spanish") is a booking even when a fact about the one
# sought (a language, an insurer, a place) reads as that FAQ, sure or not; other requests stand.
_NOT_BOOKING_WHEN_LOOKING = _NOT_BOOKING_WHEN_A_CLINICIAN | {"list_appointments", "greet"}
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
# Words about a medication reminder, not an appointment ("change my metformin reminder to 9pm", "move my pill
# texts to the evening"): the move or booking reading would open an appointment form.
_ABOUT_A_PLAN = re.compile(
    r"\b(change|move|switch|push|shift|reschedule|resched|cancel|stop|pause|update|make)\b.{0,40}\bmy\b.{0,30}"
    r"\b(reminders?|(pill|med|meds|medication|dose) texts?)\b"
    # "change the 8pm metformin one to 9:30pm": one of a plan's times, named by its clock time.
    r"|\b(change|move|switch|push|shift)\b.{0,20}\b\d{1,2}(:\d\d)?\s*(am|pm)\b.{0,25}\b(one|reminder|dose|pill)\b",
    re.I,
)
_ABOUT_AN_APPOINTMENT = re.compile(r"\b(appt|appointment|appointments|visit|checkup|check-up)\b", re.I)
# "no more pill txts for simvastatin": about the reminders, though "more ... simvastatin" reads as a refill.
_NO_MORE_TEXTS = re.compile(
    r"\b(no more|stop|don'?t need|dont need|no longer need|quit)\b.{0,30}\b(texts?|txts?|reminders?|messages?|msgs?)\b",
    re.I,
)
# "forgot, taking it now": the dose is being taken, though "forgot" reads as a skip.
_TAKING_NOW = re.compile(
    r"\b(taking (it|them|my \w+) now|took (it|them)|just took|taken (it|them)?\s*now|doing it now|on it now)\b", re.I
)
# A dose taken, said as a reply to its reminder ("yep swallowed it w breakfast", "took all my morning pills"):
# "swallowed" is no overdose and the reply no question. "took them all at once" is left to bot.safety.
_DOSE_TAKEN = re.compile(
    r"^\W*((yes|yep|yeah|yup|ya|ok|okay|done)\W+)*(i\s+)?(just\s+|already\s+)?(took|swallowed|had|taken|downed) "
    r"(it|my (pill|pills|meds|dose|medicine|medication)|(all )?my (morning|evening|night|bedtime|am|pm|daily) "
    r"(pills|meds|dose|doses))\b(?!\s+(all|too|at once|together))",
    re.I,
)
# ... and nothing else, which may overrule even the classifier's emergency ("swallowed" read as an overdose).
_ONLY_DOSE_TAKEN = re.compile(
    r"^\W*((yes|yep|yeah|yup|ya|ok|okay|done)\W+)*(i\s+)?(just\s+|already\s+)?(took|swallowed|had|taken) "
    r"(it|my (pill|pills|meds|dose|medicine|medication))( (w|w/|with|at|after|before) (breakfast|lunch|dinner|supper"
    r"|food|a meal|my meal|water|coffee|juice))?( (this morning|tonight|already|on time|today))?"
    r"(\W+(thanks|thx|ty|lol|ok))*\W*$",
    re.I,
)
# Today's dose skipped with a reason ("not taking it today, my stomach is upset"): a skip, not a medical question.
_DOSE_SKIPPED = re.compile(
    r"\b(not|won'?t|wont|will not|not gonna|not going to|gonna skip|going to skip|skipping|skip) (taking |take )?"
    r"(it|them|my (pill|pills|meds|dose|medicine|medication)|this one|this dose)"
    r" (today|tonight|this (morning|evening|time))\b",
    re.I,
)
_DOSE_REPLY_SURE = 0.6
# An opt-out or opt-in said of one medication's texts ("i don't need the atorvastatin texts anymore", "restart
# my med texts"): that plan's reminders, not every text from the clinic.
_ONE_MEDICATIONS_TEXTS = re.compile(
    r"\b(the|my|those|these) (?!(appointment|appt|clinic|your|all|reminder|text|other)s?\b)[a-z][a-z\-]+ "
    r"(texts?|txts?|reminders?|messages?|alerts?)\b"
    r"|\b(pill|pills|med|meds|medication|medicine|dose|refill) (texts?|txts?|reminders?|messages?|alerts?)\b",
    re.I,
)
# "move my lisinopril text to 7:30 am": a drug's texts, named by the drug (checked against bot.reminders.drugs).
_DRUGS_TEXTS = re.compile(
    r"\b(change|move|switch|push|shift|stop|pause|update|cancel|make)\b.{0,30}\b([a-z][a-z\-]+) "
    r"(texts?|txts?|reminders?|alerts?|messages?|msgs?)\b",
    re.I,
)
# "i'm not on metformin anymore", "the doctor took me off lisinopril": its reminders are to stop, not a question.
_NO_LONGER_TAKES = re.compile(
    r"\b(no longer (on|taking|take|need)|stopped taking|quit taking|took me off|taken off|taking me off)\b"
    # "not on it" alone may be today's dose: only with a word that says for good.
    r"|\b(not on|not taking|don'?t take|dont take)\b.{0,30}\b(anymore|any more|for good)\b",
    re.I,
)
_ASKS_ADVICE = re.compile(r"\?|\b(should|can i|could i|is it|is that|ok to|okay to|safe|what if|do i)\b", re.I)
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
    r"\b(speak|talk|chat) (with|to) (someone|somebody|a person|a human|a real person|a nurse|staff|a pharmacist)\b",
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
_NOT_A_PERSON_TO_OVERRULE = frozenset({"emergency", BOOKING})
# "could the doctor write me a new script for my metformin er 500": a refill, though "the doctor" reads as a visit.
_NEW_SCRIPT = re.compile(r"\b(new|another|renew(ed)?|fresh) (script|prescription|rx|scrip)\b", re.I)

PLAN_CHANGE = "stop_medication_reminder"  # its action stops, pauses, resumes or retimes plans (bot.reminders.changes)
_KEEPS_ITS_READING = frozenset({"list_medication_reminders"})
_PLAN_CHANGE_SURE = 0.6


def corrected(ranked: Ranking, text: str) -> Ranking:
    if ranked and ranked[0][0] != "emergency" and looks_spanish(text):
        # Read as English it is a guess, however unsure; the staff speak Spanish: certain, past the fallback.
        return [(HANDOFF, 1.0)] + [(label, 0.0) for label, _ in ranked if label != HANDOFF]
    if ranked and looks_for_a_clinician(text) and (
        ranked[0][0] in _NOT_BOOKING_WHEN_LOOKING or ranked[0][0].startswith("faq/")
    ):
        ranked = _moved(ranked, ranked[0][0], BOOKING)
    if asks_for_a_clinician(text):
        ranked = _as_booking(ranked)
    ranked = _as_plan_change(_as_managing(ranked, text), text)
    if ranked and ranked[0][0] == HANDOFF and _NURSE_NUMBER.search(text or "") and not _TO_A_PERSON.search(text or ""):
        ranked = _moved(ranked, HANDOFF, "faq/contact")
    if ranked and ranked[0][0] in _PERSONAL_TOPICS and _TO_A_PERSON.search(text or ""):
        ranked = _moved(ranked, ranked[0][0], HANDOFF)
    if ranked and ranked[0][0] in ("opt_out", "faq/medical_records") and _DELETE_MY_DATA.search(text or ""):
        ranked = _moved(ranked, ranked[0][0], HANDOFF)
    if ranked and ranked[0][0] in ("opt_out", "opt_in") and about_someone_elses_texts(text):
        ranked = _moved(ranked, ranked[0][0], HANDOFF)
    if ranked and ranked[0][0] in ("opt_out", "opt_in") and _ONE_MEDICATIONS_TEXTS.search(text or ""):
        ranked = _moved(ranked, ranked[0][0], PLAN_CHANGE)
    if ranked and ranked[0][0] == "request_refill" and _NO_MORE_TEXTS.search(text or ""):
        ranked = _moved(ranked, "request_refill", PLAN_CHANGE)
    if ranked and ranked[0][0] == "medication_skipped" and _TAKING_NOW.search(text or ""):
        ranked = _moved(ranked, "medication_skipped", "medication_taken")
    ranked = _as_dose_reply(ranked, text)
    if ranked and _TO_SOMEONE.search(text or "") and ranked[0][0] not in _NOT_A_PERSON_TO_OVERRULE:
        # Past the fallback, even when the person was already the (unsure) first guess.
        ranked = _moved(ranked, ranked[0][0], HANDOFF) if ranked[0][0] != HANDOFF else ranked
        return [(HANDOFF, max(ranked[0][1], _PLAN_CHANGE_SURE)), *ranked[1:]]
    if ranked and ranked[0][0] == BOOKING and _NEW_SCRIPT.search(text or "") and first_drug(text):
        ranked = _moved(ranked, BOOKING, "request_refill")
        return [("request_refill", max(ranked[0][1], _PLAN_CHANGE_SURE)), *ranked[1:]]
    if ranked and ranked[0][0] == BOOKING and _FOR_A_PERSON.search(text or "") and not asks_for_a_clinician(text):
        ranked = _moved(ranked, BOOKING, HANDOFF)
        return [(HANDOFF, max(ranked[0][1], _PLAN_CHANGE_SURE)), *ranked[1:]]
    return ranked


def _as_dose_reply(ranked: Ranking, text: str) -> Ranking:
    """A dose taken or skipped in so many words is that reply, whatever else it was read as (a fallback, a
    change to the plan, a medical question); its suspicion of an emergency goes with it. A question stands."""
    words = text or ""
    target = "medication_taken" if _DOSE_TAKEN.search(words) else None
    if target is None and _DOSE_SKIPPED.search(words) and not _ASKS_ADVICE.search(words):
        target = "medication_skipped"
    if not ranked or target is None or ranked[0][0] == target:
        return ranked
    if ranked[0][0] == "emergency" and not _ONLY_DOSE_TAKEN.match(words):
        return ranked
    moved = _moved(_moved(ranked, "emergency", target) if "emergency" in dict(ranked) else ranked, ranked[0][0], target)
    return [(target, max(moved[0][1], _DOSE_REPLY_SURE)), *moved[1:]]


def _moved(ranked: Ranking, source: str, target: str) -> Ranking:
    scores = dict(ranked)
    scores[target] = scores.get(target, 0.0) + scores[source]
    scores[source] = 0.0
    return sorted(scores.items(), key=lambda item: -item[1])


def _as_booking(ranked: Ranking) -> Ranking:
    """The ranking with the misreadings of a request for a clinician among its top two folded into the
    booking (their probability is the booking's), so the fallback's ambiguity check sees one clear request.
    A confident other request, an emergency or a medical question stands."""
    scores = dict(ranked)
    for label, score in ranked[:2]:
        if label == BOOKING:
            continue
        if label not in _NOT_BOOKING_WHEN_A_CLINICIAN and not (label.startswith("faq/") and score < _FAQ_SURE):
            break
        scores[BOOKING] = scores.get(BOOKING, 0.0) + score
        scores[label] = 0.0
    return sorted(scores.items(), key=lambda item: -item[1])


def _as_managing(ranked: Ranking, text: str) -> Ranking:
    """The ranking with a booking on top folded into the move, cancel or confirm that is second and that the
    words ask for in so many words ("can we push the skin doctor appt to thursday"): the booking's probability
    becomes that request's. Anything else on top stands."""
    if len(ranked) < 2 or ranked[0][0] != BOOKING:
        return ranked
    second = ranked[1][0]
    managing = _MANAGING.get(second)
    if managing is None or not managing.search(text or ""):
        return ranked
    return _moved(ranked, BOOKING, second)


def _as_plan_change(ranked: Ranking, text: str) -> Ranking:
    """Words that change a medication reminder ("change my lisinopril reminder from 9am to 10am") are a change
    to that plan, whatever else they were read as: a move, a booking, a bare answer, or nothing sure enough
    (it fell back), even a new reminder ("change my ... reminder" is one they have). A look at them, or an
    emergency, stands."""
    if not ranked or ranked[0][0] in (PLAN_CHANGE, "emergency"):
        return ranked
    if ranked[0][0] in _KEEPS_ITS_READING and not _no_longer_taken(text):
        # A look at them stands, but not when the words say the drug is no longer taken ("i stopped taking the
        # metformin last week, so no need for those texts" listed the reminders).
        return ranked
    if _ABOUT_AN_APPOINTMENT.search(text or "") or not (_ABOUT_A_PLAN.search(text or "") or _names_a_drugs_plan(text)):
        return ranked
    moved = _moved(ranked, ranked[0][0], PLAN_CHANGE)
    # Past the fallback's threshold: the words themselves say what is asked.
    return [(PLAN_CHANGE, max(moved[0][1], _PLAN_CHANGE_SURE)), *moved[1:]]


def _no_longer_taken(text: str) -> bool:
    return bool(_NO_LONGER_TAKES.search(text or "") and first_drug(text) and not _ASKS_ADVICE.search(text or ""))


def _names_a_drugs_plan(text: str) -> bool:
    """A drug's texts changed ("move my lisinopril text to 7:30 am"), or a drug no longer taken, said as news
    rather than a question ("i'm not on metformin anymore"; "i stopped taking it, is that ok?" stays a question)."""
    texts = _DRUGS_TEXTS.search(text or "")
    return bool(texts and is_drug(texts.group(2))) or _no_longer_taken(text)


def about_someone_elses_texts(text: str) -> bool:
    """Whether the message asks about another person's texts, or says someone has died: for staff."""
    return bool(_SOMEONE_ELSES_TEXTS.search(text or "") or _A_DEATH.search(text or ""))


def names_a_death(text: str) -> bool:
    return bool(_A_DEATH.search(text or ""))
