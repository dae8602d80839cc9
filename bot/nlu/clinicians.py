"""Asking to talk to a kind of clinician is asking to see one: "can he talk to someone like a counselor" is a
booking, not a hand-off to the clinic's staff, however close "talk to someone" sits to a hand-off in meaning.
The booking then says plainly when the clinic has no such specialist (bot.scheduling.catalog)."""

from __future__ import annotations

import re

from bot.scheduling.vocabulary import ELSEWHERE, SPECIALTY_WORDS, TOPIC_WORDS, TYPE_WORDS

# Words that name who a patient is, not a clinician ("my son", "child") do not count.
_NOT_CLINICIANS = {"child", "children", "my son", "my daughter"}
_CLINICIAN_WORDS = sorted(
    {w for words in SPECIALTY_WORDS.values() for w in words if w not in _NOT_CLINICIANS} | set(ELSEWHERE),
    key=len,
    reverse=True,
)
# A nurse practitioner sees patients ("book me with the nurse practitioner"); "np" only as a title said of
# someone ("the np"): alone over SMS it is "no problem".
_CLINICIAN = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in _CLINICIAN_WORDS) + r")s?\b"
    r"|\bnurse practitioners?\b|\b(?:the|an|with|see|w) np\b",
    re.I,
)
# A person at the clinic is a hand-off whatever else the message names.
_STAFF = re.compile(
    r"\b(?:human|real person|receptionist|front desk|staff|manager|office|billing|nurse(?! practitioner)"
    r"|someone (?:at|from|in) (?:the|your) (?:clinic|office))\b",
    re.I,
)


# Looking for someone to see: a finding verb, then (within a few words) a clinician of any kind ("find me a
# therapist who speaks Spanish", "looking for a doctor who takes my insurance", "search providers near me").
# Said this way the request is the visit, even when a fact about it (a language, an insurer, a place) reads as
# the FAQ on that fact; the FAQ is answered beside the booking (bot.nlu.clauses) when asked as its own clause.
_FINDING = re.compile(
    r"\b(?:find|finding|look(?:ing)? for|search(?:ing)?(?: for)?|locate|recommend|suggest|need to see|want to see"
    r"|who (?:can|should|could) i see|get me in with|set me up with|hook me up with)\b"
    # A few words between, none that makes it one the patient has ("find my doctor's number", "find out if").
    r"(?:\s+(?!(?:my|out|your|our)\b)\S+){0,3}?\s+"
    r"(?:doctors?|docs?|providers?|physicians?|specialists?|clinicians?|practitioners?|dr)\b",
    re.I,
)
_FINDING_VERB = re.compile(
    r"\b(?:find|finding|look(?:ing)? for|search(?:ing)?(?: for)?|locate|recommend)\b(?!\s+(?:my|out|your|our)\b)", re.I
)


def asks_for_a_clinician(text: str) -> bool:
    """True when the words name a kind of clinician and no one at the clinic's desk."""
    return bool(_CLINICIAN.search(text)) and not _STAFF.search(text)


def looks_for_a_clinician(text: str) -> bool:
    """True when the words look for someone to see ("find me a dermatologist near downtown", "i need to find a
    doctor who takes my insurance") and name no one at the clinic's desk."""
    if _STAFF.search(text):
        return False
    verb = _FINDING_VERB.search(text)
    return bool(_FINDING.search(text) or (verb and _CLINICIAN.search(text, verb.end())))


# A clinician described by what they take or where they are ("which doctors around here accept United
# Healthcare", "the nearest ob-gyn that takes my plan"): a search for one, not the FAQ about the clinic's own.
_SOUGHT = (
    r"(?:doctors?|docs?|drs?|physicians?|providers?|dentists?|pediatricians?|therapists?|specialists?|counsell?ors?"
    r"|psychiatrists?|psychologists?|gyn\w*|ob ?-?/?gyns?|obgyns?|\w+ologists?|\w+iatrists?|optometrists?"
    r"|orthodontists?|surgeons?|internists?|clinicians?|pcps?|gps?|allergists?|shrinks?)"
)
_DESCRIBED = re.compile(
    rf"\b{_SOUGHT},?\s+(?:(?:who|that|which)(?:'s| is| are)?\s+)?(?:still |also )?(?:takes?|taking|accepts?"
    r"|accepting|accepted|covered|in[- ]network|near|nearby|around|close to|in my (?:area|network))\b"
    rf"|\b(?:nearest|closest)\b.{{0,20}}\b{_SOUGHT}\b",
    re.I,
)
# Asked of the clinic ("do your doctors take Aetna", "does the clinic have a doctor who ..."): its FAQ.
_OF_THE_CLINIC = re.compile(
    r"\b(?:your|ur|yall|clinic|office|practice)\b|\b(?:do|does|are|r|have) (?:you|u)\b|\byou (?:guys|all)\b", re.I
)


def describes_a_clinician_sought(text: str) -> bool:
    """True when the words describe a clinician to be found by insurer or place, not asked of this clinic."""
    return bool(_DESCRIBED.search(text)) and not _OF_THE_CLINIC.search(text) and not _STAFF.search(text)



# Trades and services no clinic gives ("find a plumber near me", "book a massage at a spa", "get me a haircut
# appointment"): off-topic, however much the finding or booking words read as a visit. A clinician named beside
# one ("a doctor's note for my lawyer") keeps the message the clinic's.
_ANOTHER_TRADE = re.compile(
    r"\b(?:plumbers?|plumbing|electricians?|mechanics?|auto shop|oil change|car wash|barbers?|barbershop|haircuts?"
    r"|hair ?cuts?|hairdressers?|hair salon|nail salon|salons?|manicures?|pedicures?|massages?(?: therapists?)?|spa"
    r"|lawyers?|attorneys?|accountants?|realtors?|tutors?|locksmiths?|handyman|contractors?|roofers?|landscapers?"
    r"|groomers?|vets?|veterinarians?|dog walkers?|babysitters?|nannies|nanny|restaurants?|hotels?|taxis?|cabs?"
    r"|tattoos?|personal trainers?)\b",
    re.I,
)


def names_another_trade(text: str) -> bool:
    """True when the words seek a trade or service no clinic gives, and no clinician besides."""
    return bool(_ANOTHER_TRADE.search(text)) and not asks_for_a_clinician(_ANOTHER_TRADE.sub(" ", text))


# A kind of visit (not what it is about: "cold", "skin" answer other questions too) said with when: "physical w/
# alvarez thu 2pm", "flu shot tmrw 9am". Said as a bare answer with no question open, it asks for that visit.
_KIND_WORDS = {w for words in TYPE_WORDS.values() for w in words} - TOPIC_WORDS
_KINDS = "|".join(re.escape(w) for w in sorted(_KIND_WORDS, key=len, reverse=True))
_VISIT_KIND = re.compile(rf"\b(?:{_KINDS})\b", re.I)
_WHEN = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?\b|\b(?:today|tomorrow|tmrw|tmr|tonight"
    r"|next week|this week|morning|afternoon|evening)\b|\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b",
    re.I,
)
# ... unless it names one the patient has ("the thursday checkup" answers "which appointment?").
_ONE_THEY_HAVE = re.compile(
    rf"\b(?:my|the|our|his|her|that|this)\s+(?:\w+\s+){{0,2}}(?:appt|appointment|visit|one|{_KINDS})\b",
    re.I,
)


def asks_for_a_visit(text: str) -> bool:
    """True when the words name a kind of clinician, or a kind of visit with when, and no one at the desk nor a
    visit the patient has: nobody asked, so it is a request to be seen."""
    if asks_for_a_clinician(text):
        return True
    return bool(_VISIT_KIND.search(text) and _WHEN.search(text) and not _ONE_THEY_HAVE.search(text)
                and not _STAFF.search(text))
