"""Corrections to the classifier's ranking for words about medicines: a plan changed or given up, a new plan
asked for in other words, a reply to a dose reminder. Apart from bot.nlu.readings, which calls them."""

from __future__ import annotations

import re

from bot.nlu.ranking import Ranking, moved
from bot.reminders.drugs import first_drug, is_drug, misspelt_drugs
from bot.reminders.form_answers import shift_of
from bot.reminders.reply_words import says_dose_mistake, says_unwell
from bot.reminders.schedule_words import adds_a_time

# Words about a medication reminder, not an appointment ("change my metformin reminder to 9pm", "move my pill
# texts to the evening"): the move or booking reading would open an appointment form.
_ABOUT_A_PLAN = re.compile(
    r"\b(change|move|switch|push|shift|reschedule|resched|cancel|stop|pause|update|make)\b.{0,40}\bmy\b.{0,30}"
    r"\b(reminders?|(pill|med|meds|medication|dose) texts?)\b"
    # "change the 8pm metformin one to 9:30pm": one of a plan's times, named by its clock time.
    r"|\b(change|move|switch|push|shift)\b.{0,20}\b\d{1,2}(:\d\d)?\s*(am|pm)\b.{0,25}\b(one|reminder|dose|pill)\b",
    re.I,
)
# "no more pill txts for simvastatin": about the reminders, though "more ... simvastatin" reads as a refill.
_NO_MORE_TEXTS = re.compile(
    r"\b(no more|stop|don'?t need|dont need|no longer need|quit)\b.{0,30}"
    r"\b(texts?|txts?|texting|reminders?|reminding|messages?|messaging|msgs?)\b",
    re.I,
)
# Texts given up in words that the classifier reads as a look at them or a refill ("no more texts about my pills,
# I have an alarm now" listed them), or as nothing sure.
_NOT_TEXTS_GIVEN_UP = frozenset({"request_refill", "list_medication_reminders", "nlu_fallback", "out_of_scope"})
# Medicines in general or by name, wherever in the sentence ("stop texting me about my meds"): texts about them
# are the medication plans' texts; an opt-out would end every text from the clinic and leave the plans active.
_MEDICINE_WORDS = re.compile(r"\b(meds?|pills?|medications?|medicines?|tablets?|doses?|prescriptions?)\b", re.I)
# "forgot, taking it now": the dose is being taken, though "forgot" reads as a skip.
_TAKING_NOW = re.compile(
    r"\b(taking (it|them|my \w+) (now|rn|right now)|took (it|them)|just took|taken (it|them)?\s*now|doing it now"
    r"|on it now)\b",
    re.I,
)
# "gonna take it after breakfast": a dose taken a little later, which the reminder's snooze is for.
_TAKING_LATER = re.compile(
    r"\b(gonna|going to|will|i'?ll|i will) take (it|them|my (pill|pills|meds|dose|medicine|medication)) "
    r"(after|with|at|in|later|when|once)\b",
    re.I,
)
# A dose taken, said as a reply to its reminder ("yep swallowed it w breakfast", "took all my morning pills"):
# "swallowed" is no overdose and the reply no question. "took them all at once" is left to bot.safety.
_DOSE_TAKEN = re.compile(
    r"^\W*((yes|yep|yeah|yup|ya|ok|okay|done)\W+)*(i\s+)?(just\s+|already\s+)?(took|swallowed|had|taken|downed) "
    r"(it|my (pill|pills|meds|dose|medicine|medication)|(all )?my (morning|evening|night|bedtime|am|pm|daily) "
    r"(pills|meds|dose|doses))\b(?!\s+(all|too|at once|together))",
    re.I,
)
# "took the metformin but not the lisinopril yet": a dose taken, named by its drug (checked against
# bot.reminders.drugs); which reminder it answers is the action's to check.
_TOOK_A_DRUG = re.compile(r"^\W*(i\s+)?(just\s+|already\s+)?(took|had|taken) (the|my) ([a-z][a-z\-]+)\b", re.I)
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
# "not today, my stomach is upset": a reply that opens with it and says why, feeling unwell. Alone ("not today")
# it may answer a question about a visit.
_NOT_TODAY = re.compile(r"^\W*(nah\W+|no\W+)?(not today|not tonight|skipping (it )?today)\b", re.I)
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
NEW_PLAN = "set_medication_reminder"
MEDICAL_QUESTION = "medical_advice"
_NOT_A_NEW_PLAN_WHEN_READ_AS = frozenset(
    {"book_appointment", "opt_in", "inform", "out_of_scope", "faq/medical_records"}
)
_BESIDE_A_NEW_PLAN = frozenset({"reschedule_appointment", "book_appointment"})
_TEXTS_ABOUT_A_DRUG = re.compile(
    r"\b(text|txt|message|remind|remnder|remindr|remider|reminder|ping|alert|notify)\b.{0,60}"
    r"\b(every|each|daily|nightly|morning|evening|night"
    r"|bedtime|am|pm|\d{1,2}(:\d\d)?)\b",
    re.I,
)
_ASKS_ADVICE = re.compile(r"\?|\b(should|can i|could i|is it|is that|ok to|okay to|safe|what if|do i)\b", re.I)
# New times for a plan the patient has, said without "change my ... reminder": "can my thyroid pill reminder come
# at 6am instead", "switch my metformin to just once a day at 8 am", "my lisinopril time changed to 10 at night",
# "come at 7 and 7 instead of 8 and 8". Read as a new plan they made a second one beside the old; as a move, an
# appointment; as a look at the reminders, nothing changed.
_NEW_TIMES_FOR_A_PLAN = re.compile(
    r"\b(instead|rather than|come at|times? (is |has )?changed|(switch|change|move) (my|the) [a-z]+( [a-z]+)? to)\b",
    re.I,
)
_A_TIME = re.compile(r"\d|\b(morning|noon|evening|night|bedtime|breakfast|lunch|dinner)\b", re.I)
_A_PLAN_OF_ITS_OWN = re.compile(r"\b(my|the)\b.{0,30}\b(reminders?|texts?|txts?)\b", re.I)
_RETIMED_WHEN_READ_AS = frozenset({
    "set_medication_reminder", "reschedule_appointment", "list_medication_reminders", "book_appointment", "inform",
    "nlu_fallback", "out_of_scope",
})
PLAN_CHANGE = "stop_medication_reminder"  # its action stops, pauses, resumes or retimes plans (bot.reminders.changes)
# Paused reminders asked back in the words the pause reply gives ('Text "resume my reminders"'), which fell back.
# Texts asked back ("turn my reminders by text back on") are the texts' consent, not a plan.
_RESUMES_REMINDERS = re.compile(
    r"\b(resume|unpause|un-pause|restart|reactivate|re-?enable)\b.{0,25}\breminders?\b"
    r"|\b(turn|switch|put|start|get)\b.{0,25}\breminders?\b.{0,15}\b(back on|on again|again|back)\b"
    r"|\breminders?\b.{0,10}\bback on\b|\b(unpause|un-pause)\b",
    re.I,
)
_TEXTS = re.compile(r"\b(texts?|txts?|texting|by text|sms|messages?)\b", re.I)
_KEEPS_ITS_READING = frozenset({"list_medication_reminders"})
SURE = 0.6  # past the fallback's threshold: the words themselves say what is asked
_ABOUT_AN_APPOINTMENT = re.compile(r"\b(appt|appointment|appointments|visit|checkup|check-up)\b", re.I)


def as_medication_reply(ranked: Ranking, text: str) -> Ranking:
    """A dose taken by mistake, paused plans asked back, one medication's texts opted out of or back into, texts no
    longer wanted, a dose being taken now, and a reply to a dose reminder said in so many words."""
    if ranked and says_dose_mistake(text):
        return _as_dose_mistake(ranked)
    if ranked and ranked[0][0] not in ("emergency", PLAN_CHANGE) and resumes_reminders(text):
        ranked = moved(ranked, ranked[0][0], PLAN_CHANGE)
        return [(PLAN_CHANGE, max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and ranked[0][0] in ("opt_out", "opt_in") and about_medicines(text):
        ranked = moved(ranked, ranked[0][0], PLAN_CHANGE)
        return [(PLAN_CHANGE, max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and ranked[0][0] in _NOT_TEXTS_GIVEN_UP and _NO_MORE_TEXTS.search(text or "") and about_medicines(text):
        ranked = moved(ranked, ranked[0][0], PLAN_CHANGE)
        return [(PLAN_CHANGE, max(ranked[0][1], SURE)), *ranked[1:]]
    if ranked and ranked[0][0] == "request_refill" and _NO_MORE_TEXTS.search(text or ""):
        ranked = moved(ranked, "request_refill", PLAN_CHANGE)
    if ranked and ranked[0][0] == "medication_skipped" and _TAKING_NOW.search(text or ""):
        ranked = moved(ranked, "medication_skipped", "medication_taken")
    return _as_dose_reply(ranked, text)


def _as_dose_mistake(ranked: Ranking) -> Ranking:
    """A dose taken by mistake ("took 2 by accident") is a question for the nurse line, never a dose taken: the
    first reading other than an emergency becomes it. The classifier's emergency keeps its probability, so a sure
    one stands and an unsure one still puts the emergency note first."""
    others = [label for label, _ in ranked if label not in ("emergency", MEDICAL_QUESTION)]
    asked = moved(ranked, others[0], MEDICAL_QUESTION) if others else ranked
    scores = dict(asked)
    scores[MEDICAL_QUESTION] = max(scores.get(MEDICAL_QUESTION, 0.0), SURE)
    return sorted(scores.items(), key=lambda item: -item[1])


def _as_dose_reply(ranked: Ranking, text: str) -> Ranking:
    """A dose taken or skipped in so many words is that reply, whatever else it was read as (a fallback, a
    change to the plan, a medical question); when it says nothing else, the classifier's suspicion of an emergency
    goes with it. A question stands."""
    words = text or ""
    taken = _DOSE_TAKEN.search(words) or _TAKING_NOW.search(words) or _took_a_drug(words)
    target = "medication_taken" if taken else None
    if target is None and _TAKING_LATER.search(words) and not _ASKS_ADVICE.search(words):
        target = "snooze_reminder"
    skipped = _DOSE_SKIPPED.search(words) or (_NOT_TODAY.search(words) and says_unwell(words))
    if target is None and skipped and not _ASKS_ADVICE.search(words):
        target = "medication_skipped"
    if not ranked or target is None or ranked[0][0] == target:
        return ranked
    if ranked[0][0] == "emergency" and not _ONLY_DOSE_TAKEN.match(words):
        return ranked
    # Only a reply that says nothing else takes the classifier's suspicion with it: "took my pills and now my heart
    # is racing" keeps the emergency note.
    only_taken = "emergency" in dict(ranked) and _ONLY_DOSE_TAKEN.match(words)
    calm = moved(ranked, "emergency", target) if only_taken else ranked
    replied = moved(calm, ranked[0][0], target)
    return [(target, max(replied[0][1], _DOSE_REPLY_SURE)), *replied[1:]]

def _took_a_drug(words: str) -> bool:
    named = _TOOK_A_DRUG.search(words)
    return bool(named and is_drug(named.group(5)) and not _ASKS_ADVICE.search(words))


def as_plan_change(ranked: Ranking, text: str) -> Ranking:
    """Words that change a medication reminder ("change my lisinopril reminder from 9am to 10am") are a change
    to that plan, whatever else they were read as: a move, a booking, a bare answer, or nothing sure enough
    (it fell back), even a new reminder ("change my ... reminder" is one they have). A look at them, or an
    emergency, stands."""
    if not ranked or ranked[0][0] in ("emergency", PLAN_CHANGE) or _ABOUT_AN_APPOINTMENT.search(text or ""):
        return ranked
    # A drug no longer taken is news about its plan even where it reads as a look at the reminders.
    about_a_plan = ranked[0][0] not in _KEEPS_ITS_READING and _ABOUT_A_PLAN.search(text or "")
    added = ranked[0][0] in _RETIMED_WHEN_READ_AS and adds_a_time(text) and _A_TIME.search(text or "")
    if not (about_a_plan or added or _names_a_drugs_plan(text) or _retimes_a_plan(ranked, text)):
        return ranked
    changed = moved(ranked, ranked[0][0], PLAN_CHANGE)
    return [(PLAN_CHANGE, max(changed[0][1], SURE)), *changed[1:]]

def as_new_plan(ranked: Ranking, text: str) -> Ranking:
    """Texts asked for about a drug at a time of day ("could you send me a text each evening at half past six
    about my warfarin") are a new reminder, though no word says "remind" and "send me" leans to a booking."""
    if not ranked or not _TEXTS_ABOUT_A_DRUG.search(text or ""):
        return ranked
    # Read as something else, or as the new plan in a near tie with a move ("remnder for my metforman at 8 pm
    # evry nite": 0.34 / 0.30 fell back): the other reading's probability is the plan's.
    misread = ranked[0][0] if ranked[0][0] in _NOT_A_NEW_PLAN_WHEN_READ_AS else None
    if ranked[0][0] == NEW_PLAN and len(ranked) > 1 and ranked[1][0] in _BESIDE_A_NEW_PLAN:
        misread = ranked[1][0]
    if misread is None:
        return ranked
    # A drug misspelt ("metforman") is still a drug here: read as a move, the request fell back.
    if not (first_drug(text) or misspelt_drugs(text)) or _ABOUT_AN_APPOINTMENT.search(text or ""):
        return ranked
    if _names_a_drugs_plan(text):
        return ranked
    return moved(ranked, misread, NEW_PLAN)

def _retimes_a_plan(ranked: Ranking, text: str) -> bool:
    """New times for a drug's plan, or for "my ... reminder" ("can my thyroid pill reminder come at 6am instead")."""
    words = text or ""
    if ranked[0][0] in _RETIMED_WHEN_READ_AS and shift_of(words):  # "my reminder for lisinopril make it one hour later"
        return bool(first_drug(words) or _A_PLAN_OF_ITS_OWN.search(words))
    if ranked[0][0] not in _RETIMED_WHEN_READ_AS or not _NEW_TIMES_FOR_A_PLAN.search(words):
        return False
    return bool(_A_TIME.search(words) and (first_drug(words) or _A_PLAN_OF_ITS_OWN.search(words)))


def _no_longer_taken(text: str) -> bool:
    return bool(_NO_LONGER_TAKES.search(text or "") and first_drug(text) and not _ASKS_ADVICE.search(text or ""))

def _names_a_drugs_plan(text: str) -> bool:
    """A drug's texts changed ("move my lisinopril text to 7:30 am"), or a drug no longer taken, said as news
    rather than a question ("i'm not on metformin anymore"; "i stopped taking it, is that ok?" stays a question)."""
    texts = _DRUGS_TEXTS.search(text or "")
    return bool(texts and is_drug(texts.group(2))) or _no_longer_taken(text)


def about_medicines(text: str) -> bool:
    """Whether the words are about medicines: in general ("my meds", "pill reminders") or by a drug's name."""
    return bool(_ONE_MEDICATIONS_TEXTS.search(text or "") or _MEDICINE_WORDS.search(text or "") or first_drug(text))


# A reminder of an errand ("remind me to buy milk", "set a reminder to call my sister"): no medicine or visit in it,
# so nothing the clinic reminds of; read as a medication reminder, the form asked which medicine.
_AN_ERRAND = re.compile(
    r"\bremind(?:er)?\b.{0,12}\b(?:to|about)\s+(?:call|phone|text|email|buy|pick up|pay|walk|feed|water|clean|order"
    r"|send|mail|wish|bake|cook|wash|charge|renew my (?:license|passport))\b",
    re.I,
)
_CLINIC_WORDS = re.compile(
    r"\b(?:doctor|dr|nurse|clinic|office|pharmacy|pharmacist|refill|appointment|appt|shot|vaccine|insulin|inhaler"
    r"|blood|sugar|glucose|pressure|check)\b",
    re.I,
)


def is_an_errand_reminder(text: str) -> bool:
    """Whether the words ask to be reminded of an errand with no medicine, dose or visit in it."""
    return bool(_AN_ERRAND.search(text or "")) and not about_medicines(text) and not _CLINIC_WORDS.search(text or "")


def resumes_reminders(text: str) -> bool:
    """ "resume my reminders", "turn my reminders back on": paused plans asked back, not texts or a visit."""
    words = text or ""
    return bool(
        _RESUMES_REMINDERS.search(words) and not _TEXTS.search(words) and not _ABOUT_AN_APPOINTMENT.search(words)
    )
