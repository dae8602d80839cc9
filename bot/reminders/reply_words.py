"""Reading a patient's words about a reminder already sent: the drug a refill request names, and the
snooze asked for. Apart from bot.reminders.parsing, which reads the schedule of a new plan."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import Enum

from bot.reminders.conditions import without_conditions
from bot.reminders.drugs import drugs_in, first_drug, misspelt_drugs

_REFILL = re.compile(
    r"\b(?:refill|refil|refills|renew|renewal|out of|running out of|low on|more)\b(?:\s+request)?\s+"
    r"(?:on |of |for )?(?:my |the |some )?([a-z][a-z0-9\-]+)",
    re.I,
)
_NOT_A_DRUG = {
    "please", "pls", "plz", "prescription", "prescriptions", "medication", "medications", "meds", "med",
    "medicine", "pills", "pill", "it", "them", "asap", "a", "an", "refill", "refills", "my", "to", "and",
    # The last word of a question about refills is no drug ("how do refills work", "refills on weekends").
    "work", "works", "policy", "policies", "weekend", "weekends", "request", "requests", "done", "process",
    "take", "takes", "usually", "status", "update", "time", "cost", "costs", "here", "there", "now", "today",
    "tomorrow", "yet", "online", "through", "come", "came", "at", "in", "with", "from", "is", "are", "was",
    "this", "that", "your", "you", "me", "i", "the", "clinic", "pharmacy", "office", "form", "app", "line", "ready",
    "left", "remaining", "available", "anymore",
    # How the refill should go, not what it is for ("need my refill sorted out" was filed for "sorted").
    "soon", "again", "quick", "before", "after", "because", "since", "thanks", "thank", "thx", "out", "back",
    # Which of several, not a name ("both please", "the one for blood pressure").
    "both", "all", "either", "neither", "one", "ones", "other", "same",
}
# Words that read as English, not as a name: "sorted", "pending", "quickly".
_ENGLISH_ENDING = re.compile(r"(?:ed|ing|ly)$")
# A word before one of these describes the medicine ("my heart pills", "my nerve pain pills"): no name.
_DESCRIBED = re.compile(r"\s+(?:pills?|meds?|medicines?|medications?|tablets?|tabs|capsules?|prescriptions?)\b")


# The drug before the verb: "i just need my sertraline refilled", "my metformin needs refilling".
_REFILLED = re.compile(
    r"\b(?:my|the|our|his|her)\s+([a-z][a-z0-9\-]+)\s+(?:(?:needs?|needing)\s+)?(?:to be\s+)?"
    r"(?:refilled|refilling|refill|renewed|renewing|renew|topped up)\b"
    r"|\bnew (?:prescription|script|rx) (?:for|of) (?:my |the )?([a-z][a-z0-9\-]+)",
    re.I,
)


def refill_medication(text: str, own: tuple[str, ...] = ()) -> str | None:
    """The drug a refill request names ("need a refill on my albuterol inhaler" -> "albuterol"), else None.
    A word known to name a medicine wins wherever it stands ("no refills left on atorvastatin"), then a
    misspelt one ("atorvastatn"; `own`: the patient's plans, whose names count as known); else the word the
    request's verb points at, for names no list holds ("zepbound"), unless it reads as English or describes
    the medicine ("need my refill sorted out", "my heart pills")."""
    text = without_conditions(text or "")  # "refill my blood pressure medicine" names no drug ("blood")
    known = first_drug(text) or next(iter(misspelt_drugs(text, own)), None)
    if known:
        return known
    for match in (*_REFILL.finditer(text), *_REFILLED.finditer(text)):
        group = next(i for i, g in enumerate(match.groups(), 1) if g)
        word = match.group(group).lower()
        described = _DESCRIBED.match(text, match.end(group))
        if word not in _NOT_A_DRUG and not _ENGLISH_ENDING.search(word) and not described:
            return word
    return None


def refill_medications(text: str, own: tuple[str, ...] = ()) -> list[str]:
    """Every drug a refill request names ("refill my metformin and lisinopril": both), else every one it
    misspells, else the one `refill_medication` reads; empty when none is named."""
    unconditioned = without_conditions(text or "")
    named = drugs_in(unconditioned) or misspelt_drugs(unconditioned, own)
    if named:
        return named
    one = refill_medication(text, own)
    return [one] if one else []


class RefillAsk(Enum):
    REQUEST = "request"  # "please refill my metformin": a request for staff
    QUESTION = "question"  # "how do refills work": answered, nothing filed
    ALREADY_DONE = "already_done"  # "i already got my atorvastatin refilled at cvs": nothing to do
    STATUS = "status"  # "my refill for lisinopril didnt come through yet": a request already made, for staff to check


# A question opens its clause ("lol this line is killing me, anyway whats the refill policy").
_QUESTION = re.compile(
    r"(?:^|[,.!?;:]\s*|\b(?:anyway|anyways|so|btw|also|quick question|question)\s+)"
    # Not "can": "can i get my prescription refilled" asks for one.
    r"(?:how|what|whats|what's|when|do|does|is|are|how long)\b",
    re.I,
)
# A refill already asked for and not come: the team checks it; filing it again would be a duplicate.
_STATUS = re.compile(
    # "never came", not "never had to use it" (an EpiPen refill, with nothing asked for before); "hasn't come",
    # "didn't get it", not "I haven't asked in months" (a refill wanted, none asked for lately).
    r"\b(?:didn'?t|did not|hasn'?t|has not|haven'?t|have not|never|not)\s+(?:yet\s+|been\s+)?"
    r"(?:come|came|arrive|arrived|show(?:ed)? up|go|went|heard?|been (?:filled|sent|approved|processed)"
    r"|(?:get|got|gotten|receive|received|see|seen|pick(?:ed)? up) (?:it|them|anything|a thing|my refill|the refill"
    r"|my (?:meds|medication|medicine|prescription|pills)|a (?:call|text|reply|response)|any (?:word|reply|response))"
    r"|(?:get|got|gotten|receive|received)\b(?! any| a| more| enough| my \w+ in))\b"
    r"|\b(?:not yet|still (?:waiting|not)|no word|any update"
    r"|an update|status|come through|came through|go through|went through|gone through|ready yet|is it ready"
    r"|is my refill)\b",
    re.I,
)
# Words that ask for one ("refill pls", "i need a refill"); "refills on weekends" has none and names no drug.
_ASKS_FOR_ONE = re.compile(
    r"\b(please|pls|plz|need|needs|want|get|send|order|renew|out of|running|low on|asap|refilled|can you|could you"
    r"|would you)\b|^\s*refill\b|\brefill (my|the|it|them|his|her)\b|\btime for (a |my )?refill",
    re.I,
)
_DONE = re.compile(
    r"\b(already|finally)\b.{0,40}\b(got|picked|received|have|had|filled|refilled)\b"
    r"|\bgot (?:my |it |them )?(?:[a-z\-]+ )?(?:refilled|filled)\b|\bpicked (?:it |them )?up\b",
    re.I,
)


def refill_ask(text: str, named_drug: bool) -> RefillAsk:
    """What words the classifier read as a refill request ask for. `named_drug`: they name a drug (one of the
    patient's plans or `refill_medication`'s). A question that names none is answered, never filed."""
    words = text or ""
    if _STATUS.search(words):
        return RefillAsk.STATUS
    if _DONE.search(words):
        return RefillAsk.ALREADY_DONE
    if not named_drug and (_QUESTION.search(words.strip()) or not _ASKS_FOR_ONE.search(words.strip())):
        return RefillAsk.QUESTION
    return RefillAsk.REQUEST


# A dose skipped because the patient feels unwell ("not taking it today, my stomach is upset"): the nurse line helps.
_UNWELL = re.compile(
    r"\b(stomach|nause\w*|vomit\w*|throwing up|dizzy|sick|side effects?|rash|headache|unwell"
    r"|feel(ing)? (bad|awful|terrible|off|ill|weird))\b",
    re.I,
)


def says_unwell(text: str) -> bool:
    return bool(_UNWELL.search(text or ""))


# A dose taken wrongly, not as prescribed: one extra ("took 2 by accident", "i think i took it twice", "a double
# dose") or the wrong pill ("accidentally took my evening pill this morning"). Not an adherence reply: nothing is
# recorded and the patient gets the nurse line, a pharmacist and Poison Control. Many doses are an overdose, which
# bot.safety catches first. A routine is no mistake: "twice a day", "extra strength", "took it again today".
# "had" is left out: "i had extra pills left over" is no mistake.
_DOSE_TAKEN_WORD = re.compile(r"\b(took|taken|swallowed|popped|double[- ]?dosed)\b", re.I)
_EXTRA_DOSE = re.compile(
    r"\b(twice|two times|double|doubled|an extra|extra|another (one|pill|dose|tablet)|one too many|one more than"
    r"|instead of (one|1|just one))\b(?! ?(a|per|each|every) (day|morning|night|evening)| ?daily| ?strength|[- ]check)",
    re.I,
)
_BY_MISTAKE = re.compile(
    r"\b(by (accident|mistake|error)|on accident|accidentally|accidently|mistakenly|didn'?t mean to|wrong (pill|pills"
    r"|med|meds|medication|medicine|dose|one)|forgot (that )?i (had )?already (took|taken|had))\b",
    re.I,
)


def says_dose_mistake(text: str) -> bool:
    words = text or ""
    return bool(_DOSE_TAKEN_WORD.search(words) and (_EXTRA_DOSE.search(words) or _BY_MISTAKE.search(words)))


# Two to four pills taken at once, counted back to the reminder ("took 3 of them", "took 4 pills"), with no word of a
# mistake: five or more is an overdose (bot.safety). Not "all 3 of my morning pills" (three medicines), not a count
# over days ("3 of them this week"), not a strength or units ("took 2 mg").
_WORD_COUNTS = {"two": 2, "three": 3, "four": 4}
_PILLS_AT_ONCE = re.compile(
    r"\b(?:took|taken|swallowed|popped)\s+(?:like |about |maybe )?([2-4]|two|three|four)\s+"
    r"(?:of (?:them|those|these|em|my (?:\w+ ){0,2}(?:pills|tablets|tabs|capsules|caps))|(?:\w+ )?(?:pills|tablets|tabs"
    r"|capsules|caps))\b(?!.{0,30}\b(?:(?:over|in|during|this|last|per|a|each|every|all) (?:the |a )?(?:days?|weeks?"
    r"|weekend|months?)|today|as (?:prescribed|directed|told))\b)",
    re.I,
)
_PER_DOSE = re.compile(r"\b([1-9]|one|two|three|four)\s+(?:pills?|tablets?|tabs?|capsules?|caps?)\b", re.I)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else {"one": 1, **_WORD_COUNTS}[word.lower()]


def pills_at_once(text: str) -> int | None:
    """How many pills the words say were taken at once (2 to 4), else None."""
    found = _PILLS_AT_ONCE.search(text or "")
    return _count(found.group(1)) if found else None


def pills_per_dose(dose: str | None) -> int | None:
    """How many pills a plan's dose text says one dose is ("2 tablets"); None when it says no count ("500 mg")."""
    found = _PER_DOSE.search(dose or "")
    return _count(found.group(1)) if found else None


def more_than_a_dose(taken: int, per_dose: int | None) -> bool:
    """Whether `taken` pills at once is more than the plan's dose. With no count known, two may be a dose (many are
    "take 2 tablets") but three or four is asked about: a dose recorded as taken that was not is the worse mistake."""
    return taken > per_dose if per_dose is not None else taken >= 3


# "couldn't, I'm out of pills" to a dose reminder: that dose is skipped, and the refill is for that plan's drug.
_OUT_OF_PILLS = re.compile(
    r"(?<!running )\b(out of (my |the )?(pills?|meds?|medicine|medication|tablets?|it|them)"
    r"|ran out|run out|none left)\b"
    r"|\bno (pills?|meds?|tablets?) left\b",
    re.I,
)


def says_out_of_pills(text: str) -> bool:
    return bool(_OUT_OF_PILLS.search(text or ""))


# "later", "not yet", "in a bit" to a dose reminder: the dose is put off, which the reminder's snooze is for. The
# classifier reads a bare "later" as a farewell, which said goodbye and left the dose unanswered.
_PUT_OFF = re.compile(
    r"\b(later|laters|l8r|ltr|not yet|not now|not right now|in a (bit|while|sec|second|min|minute|few))\b", re.I
)


def puts_off(text: str) -> bool:
    return bool(_PUT_OFF.search(text or ""))


# "remind me again in 30 minutes", "snooze an hour", "half an hour": the delay asked for, kept to what a
# dose reminder can sensibly wait (a longer wait is the next dose's business).
# "give me 30 more minutes": a word between the number and its unit.
_SNOOZE_FOR = re.compile(
    r"\b(half an hour|half hour|an hour|a hour|one hour|(\d{1,3})\s*(?:more |extra |additional |other )?"
    r"(m|min|mins|minutes?|h|hr|hrs|hours?))\b",
    re.I,
)
SNOOZE_LIMITS = (timedelta(minutes=5), timedelta(hours=4))


def snooze_for(text: str) -> timedelta | None:
    """The snooze the words ask for, within SNOOZE_LIMITS; None when they name none."""
    match = _SNOOZE_FOR.search(text or "")
    if match is None:
        return None
    words = match.group(1).lower()
    if "half" in words:
        asked = timedelta(minutes=30)
    elif match.group(2) is None:
        asked = timedelta(hours=1)
    else:
        unit = match.group(3).lower()
        asked = timedelta(hours=int(match.group(2))) if unit.startswith("h") else timedelta(minutes=int(match.group(2)))
    return min(max(asked, SNOOZE_LIMITS[0]), SNOOZE_LIMITS[1])


# "I'm not taking that anymore, the doctor stopped it": the reminded drug given up for good, news not a question.
_GIVEN_UP = re.compile(
    r"\b(no longer (on|taking|take)|stopped taking|quit taking|took me off|taken off|taking me off)\b"
    r"|\b(not on|not taking|don'?t take|dont take)\b.{0,30}\b(anymore|any more|for good)\b"
    r"|\b(doctor|dr|doc|nurse)\b.{0,15}\b(stopped|discontinued|cancelled|canceled)\b",
    re.I,
)
_ASKS = re.compile(r"\?|\b(should|can i|could i|is it|is that|ok to|okay to|do i)\b", re.I)


def says_given_up(text: str) -> bool:
    """Whether the words say a drug is no longer taken at all (not today's dose skipped), without asking about it."""
    return bool(_GIVEN_UP.search(text or "")) and not _ASKS.search(text or "")


def taken_names_another_drug(text: str, reminded: str | None) -> bool:
    """ "took the metformin but not the lisinopril yet" to a lisinopril reminder: the dose said taken is another
    drug's, so the reminded one is not noted as taken (it is asked about)."""
    named = first_drug(text)
    return bool(named and reminded and named.lower() not in reminded.lower() and reminded.lower() not in named.lower())
