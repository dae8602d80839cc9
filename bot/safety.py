"""Emergency detection and the fixed crisis reply.

The deterministic layer here catches the clear cases on every message, whatever the classifier says;
the NLU classifier's `emergency` intent catches paraphrases. Idioms that merely use alarming words
("dying to know", "kill the reminder") are excluded before matching. A match does not count when its own
clause says it is not happening now: negated ("no chest pain"), past ("a stroke two years ago, need a follow
up"), or talked about rather than lived ("suicide prevention training", "warning signs of a stroke").
Recall comes first: a clause with any present-time word ("now", "again", "still") is never discounted.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import SafetyEvent
from bot.reminders.drugs import is_drug
from bot.safety_patterns import (
    EXASPERATION,
    FAREWELLS,
    IDIOMS,
    PARTINGS,
    PATTERNS,
    PILL_SLANG,
    REASON_TO_LEAVE,
    SERVICE,
)
from bot.safety_spelling import respelled

CRISIS_REPLY = (
    "If this is an emergency, call 911 now. If you are thinking about suicide or are in crisis, "
    "call or text 988 (Suicide & Crisis Lifeline). I'm an automated assistant and can't help in an "
    "emergency; our staff have been alerted."
)

# When the classifier suspects an emergency it cannot confirm, this comes first and the request is still served.
SUSPECTED_EMERGENCY_NOTE = (
    "If this is an emergency, call 911 now, or call or text 988 if you are in crisis. Otherwise, I'm here to help:"
)
SUSPECTED_KEY = "emergency_suspected"


def suspected_emergency_note(parse_data: dict[str, Any]) -> str | None:
    """The note to put before the answer when the classifier suspected an emergency it could not confirm.

    A confirmed emergency (the intent itself) gets the full crisis reply instead, never both."""
    intent = (parse_data.get("intent") or {}).get("name")
    return SUSPECTED_EMERGENCY_NOTE if parse_data.get(SUSPECTED_KEY) and intent != "emergency" else None


_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBER = r"([0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|a few|couple|a couple|many)"

# Cues read in the match's own clause. Negation: a denial right before it ("no", "never had a", "i don't have").
# Pronouns may not sit in the gap, so "no, i can't breathe" still counts.
_NEGATED_BEFORE = re.compile(
    r"\b(no|not|never|without|denies|deny|nor|isn'?t|wasn'?t|aren'?t|weren'?t|(do|does|did)(n'?t| not) have"
    r"|not having|free of|no signs? of)\s+((?!(i|i'?m|im|he|she|they|we|my|his|her|it)\s)[a-z']+\s+){0,2}$"
)
_NEGATED_AFTER = re.compile(r"^\s*(and|but) (i|he|she|they) (don'?t|doesn'?t|didn'?t|do not|does not)\b")
# Past: a finished episode, often with a follow-up request ("had a stroke 2 years ago, need my checkup").
_PAST = re.compile(
    rf"\blast (week|month|year|spring|summer|fall|autumn|winter|{_MONTH}|{_WEEKDAY})\b"
    rf"|\b{_NUMBER} (weeks?|months?|years?) ago\b"
    rf"|\byears ago\b|\bin (19|20)[0-9][0-9]\b|\bback in\b|\bin {_MONTH}\b|\bhistory of\b"
    r"|\bas a (kid|child|teen|teenager)\b|\bin (college|high school)\b|(?<!at )\bonce\b|\bused to\b"
    r"|\b(was|were|went|been) (in|to|at) (the )?(er|emergency room|hospital|urgent care)\b"
    r"|\b(died|passed away|passed) (of|from)\b|\bfamily history\b"
)
# Present: anything that may mean it is happening now keeps the match, whatever else the clause says.
_PRESENT = re.compile(
    r"\b(now|right now|again|still|currently|today|tonight|this (morning|afternoon|evening)|just|keeps?|since"
    r"|at the moment|started|starting|getting worse|worse|(it'?s|its|is|came|coming|are) back)\b"
)
# "Now" that says it is over ("she's doing great now", "im good now"): a recovery, not something happening.
# Said to be gone: "the shortness of breath i had with covid is gone now" (the clause may name no past time).
_GONE_WORDS = (
    r"\b(is|are|'s|has|have|had) (all |completely |totally |since )?(gone|over|resolved|cleared up)\b|\bwent away"
)
_GONE = re.compile(_GONE_WORDS)
_WELL_NOW = re.compile(
    r"\b(doing|feeling|feel|is|are|am|i'?m|im|she'?s|shes|he'?s|hes|they'?re|all|been) (great|good|fine|better|ok|okay|"
    r"well|much better|alright|healthy) now\b|\bnow (i'?m|im|she'?s|he'?s|i am|she is|he is) (fine|good|ok|okay|better|"
    r"well|great|healthy)\b"
    r"|(" + _GONE_WORDS + r")( now)?\b"
)
# "Now" that starts a request, not a symptom: "had a heart attack last year and now he wants a heart checkup".
_REQUEST_NOW = re.compile(
    r"\bnow\b(?=( [a-z']+){0,3} (wants?|needs?|would like|'?d like|asked|asks|told (me|us|him|her) to)\b"
    r"( [a-z']+){0,3} (book|schedule|see (a|the|dr|doctor)|come in|check ?up|checkup|follow ?up|appointment|appt"
    r"|visit)\b)"
)
# Talked about rather than lived: a topic, a class, a risk, a hypothetical.
_ABOUT_BEFORE = re.compile(
    r"\b(signs? of|symptoms of|risks? of|fear of|afraid of|scared of|prevent(ing)?|prevention of"
    r"|classe?s? (on|for|about)|training (on|for)|course (on|for)|book (on|about)|brochure (on|about)"
    r"|project (on|about)|info(rmation)? (on|about)"
    r"|recover(ing|y)? (after|from)|survived|survivors? of|what to do (if|when|for)|how to (spot|recognize|help|treat)"
    r"|screen(ing)? for)\s+([a-z']+\s+){0,3}$"
    # An episode named as a point in time: "2 weeks after my heart attack", "since my stroke i can't drive".
    r"|\b(after|since|before) (my|his|her|their|the|a)\s+$"
    # A resource the writer works on: "i volunteer on a suicide hotline", "work at the poison control center".
    r"|\b(volunteer(ing)?|work(ing)?|job|shift|training) (at|on|for|with) (a|the)\s+$"
    # A title or a lyric, said right after what it is: "the song 'i cant breathe'", "keeps singing i want to die".
    r"|\b(song|lyrics?|singing|sings|sang|titled|called|movie|film)\s+([a-z']+\s+)?$"
    # An instruction for a time it may come: "i was told to come in if the chest pain came back" (it has not).
    r"|\b(told|said|advised|instructed|asked) (me |us |him |her |them )?to\b.{0,40}\b(if|when|should) "
    r"(the |my |his |her |their |it )?$"
)
_ABOUT_AFTER = re.compile(
    r"^\s*(and [a-z]+ )?(prevention|awareness|training|class(es)?|course|workshop|seminar|survivors?|patients|scene"
    r"|risk|screening|resources|rehab|support group|research|program|hotline number"
    # A service named after what it treats: "a referral to the chest pain clinic".
    r"|clinic|center|centre|specialist|study)\b"
    # A class with a word or two between: "overdose response (narcan) training", "cpr and first aid class".
    r"|^\s*([a-z']+ ){1,2}(training|classe?s?|course|workshop|seminar)\b"
    r"|^\s*when (i|he|she|they) (run|exercise|work out|climb|walk|jog)"
)

_COMPILED = {category: re.compile("|".join(p)) for category, p in PATTERNS.items()}
_IDIOM = re.compile("|".join(IDIOMS))
_FAREWELL = re.compile("|".join(FAREWELLS))
_PARTING = re.compile("|".join(PARTINGS))
_REASON_TO_LEAVE = re.compile(REASON_TO_LEAVE)
_SLANG = re.compile(PILL_SLANG)
_EXASPERATION = re.compile(EXASPERATION)
_SERVICE = re.compile(SERVICE)
_CLAUSE = re.compile(r"[.!?;,\n]+")


def normalise(text: str) -> str:
    """Lower case, words only, and crisis words read through their typos ("lfe" is "life")."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return respelled(re.sub(r"\s+", " ", text).strip())


def _discounted(clause: str, start: int, end: int) -> bool:
    """Whether this match, in its clause, is denied, over, or only talked about."""
    before, after = clause[:start], clause[end:]
    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after):
        return True
    if _ABOUT_BEFORE.search(before) or _ABOUT_AFTER.search(after):
        return True
    over = _PAST.search(clause) or _GONE.search(after)
    return bool(over) and not _PRESENT.search(_WELL_NOW.sub(" ", _REQUEST_NOW.sub(" ", clause)))


def only_talked_about(text: str) -> bool:
    """Whether the message names an emergency, but only as a topic ("what are the warning signs of an opioid
    overdose?"): the classifier's suspicion of one is then no reason to put the emergency note first."""
    found = [
        _ABOUT_BEFORE.search(clause[: m.start()]) or _ABOUT_AFTER.search(clause[m.end():])
        for raw in _CLAUSE.split(text)
        for clause in [_IDIOM.sub(" ", normalise(raw))]
        for pattern in _COMPILED.values()
        for m in pattern.finditer(clause)
    ]
    return bool(found) and all(found)


def _as_pills(clause: str) -> str:
    """The clause with each drug's name read as "pills", so the overdose patterns need not list every drug
    ("took like 20 of her tylenol on purpose", "two weeks worth of my seroquel")."""
    return " ".join("pills" if is_drug(word) or _SLANG.fullmatch(word) else word for word in clause.split())


def _vented(match: re.Match[str], clause: str, beside: str) -> bool:
    """Whether despair said plainly is aimed at the clinic's service, in its clause or the ones beside it
    ("i cant do this anymore, the wait on the phone line is too long"); any other match is never vented."""
    return bool(_EXASPERATION.fullmatch(match.group(0))) and bool(_SERVICE.search(f"{clause} {beside}"))


def detect(text: str) -> str | None:
    """The emergency category a message clearly describes, or None."""
    clauses = [_IDIOM.sub(" ", normalise(raw)) for raw in _CLAUSE.split(text)]
    for i, clause in enumerate(clauses):
        beside = " ".join(clauses[max(i - 1, 0) : i] + clauses[i + 1 : i + 2])
        for category, pattern in _COMPILED.items():
            # Only swallowed medicine reads drug names as pills: "used my epipen" must stay an allergic reaction.
            read = _IDIOM.sub(" ", _as_pills(clause)) if category in ("overdose", "poisoning") else clause
            if any(
                not _discounted(read, m.start(), m.end()) and not _vented(m, read, beside)
                for m in pattern.finditer(read)
            ):
                return category
    whole = _IDIOM.sub(" ", normalise(text))
    if _FAREWELL.search(whole) or (_PARTING.search(whole) and not _REASON_TO_LEAVE.search(whole)):
        return "self_harm"
    return None


def record_event(session: Session, conversation_id: str, channel: str, category: str, detected_by: str) -> SafetyEvent:
    event = SafetyEvent(conversation_id=conversation_id, channel=channel, category=category, detected_by=detected_by)
    session.add(event)
    session.flush()
    return event


def recent_events(session: Session) -> list[SafetyEvent]:
    return list(session.execute(select(SafetyEvent).order_by(SafetyEvent.created_at.desc())).scalars())
