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


# Someone other than the writer, as patients text about a child, a parent or a partner.
_SOMEONE = (
    r"(he|she|they|baby|toddler|child|kid|son|daughter|dad|father|mom|mum|mother|husband|wife|partner|"
    r"grandma|grandpa|friend|[0-9]+ ?(year|yr|month)s? old)"
)

_PATTERNS: dict[str, tuple[str, ...]] = {
    "chest_pain": (
        r"chest (pain|pains|pressure|tightness|hurts?|(is|feels|getting) (so |really |very )?(tight|crushing|heavy))",
        r"chest is killing (me|him|her)",
        r"(pain|pressure|tightness) in my chest",
        r"(clutching|grabbing|holding) (his|her|my|their) chest",
        r"(elephant|weight) (is )?(sitting|standing|on) (on )?(my|his|her) chest",
        r"chest feels like (an elephant|a weight|something heavy)",
        r"heart attack",
        r"dolor (fuerte )?(en el|de) pecho|me duele (mucho )?el pecho",  # Spanish: chest pain
    ),
    "breathing": (
        r"(can ?not|can'?t|cant|unable to|hard to|struggling to|trouble|difficulty|barely) (breathe?|breathing)",
        r"(can'?t|cant|cannot) get (any )?(air|a breath)",
        r"(can ?not|can'?t|cant|couldn'?t) catch (my|his|her|their) breath",
        r"gasping for (air|breath)",
        r"(not|isn'?t|wasn'?t|stopped|stops) breathing",
        r"(short|shortness) of breath",
        r"choking",
        # ... but not the insurer: "is Blue Cross accepted", "are blue shield plans ok".
        r"(turning|going|is|are) blue\b(?! (cross|shield|care|choice|plan|plans|card)\b)",
        r"breathing (really |very )?(weird|strange|funny)|gurgling",
        r"no (puedo |puede |podemos |pueden )?respir",  # Spanish: "no puedo respirar", "no puede respirar"
        r"(can|could) only (get|say|speak) (out )?(a )?(couple|few|one|two) words",
        r"wheezing (so|really|very) (bad|hard)",
    ),
    "stroke": (
        r"\bstroke\b",
        r"face (is )?(drooping|droopy)",
        r"(smile|face) is (crooked|lopsided|uneven)|crooked smile",
        r"slurr(ed|ing) (speech|words)",
        r"(words|speech|talking) (are |is )?(all )?(jumbled|garbled|slurred|slurring)",
        r"suddenly can'?t (talk|speak|see)",
        r"can'?t (lift|raise|move) (his|her|my|their) (arm|leg)",
        r"worst headache of (my|his|her|their) life",
        r"(one side|half) (of )?(my|his|her|their) (body|face)",
        r"(numb|weak|can'?t move) (on )?(one|my (left|right)) side",
        r"(can'?t|cant|cannot) feel (the )?(left|right|one) side",
        r"words (are |keep )?(coming out|come out) (wrong|weird|funny|garbled)",
    ),
    "bleeding": (
        r"bleeding (heavily|badly|a lot|won'?t stop|that won'?t stop|everywhere)",
        r"(severe|heavy|uncontrolled) bleeding",
        r"(won'?t|wont|can'?t|cant) stop (the )?bleeding",
        r"blood (is )?(gushing|pouring|spurting)|blood everywhere",
        r"(throwing up|vomiting|coughing up) blood",
        r"lost a lot of blood",
        r"(blood|bleeding) (is )?(soaking|soaked|soaks) (through|thru)",
    ),
    "overdose": (
        r"overdos(e|ed|ing)",
        r"(took|swallowed|ate|downed|popped|taken) (way )?(too many|too much|a bunch of|a lot of|all (of )?my) "
        r"(pills|tablets|meds|medication|medicine)",
        r"(took|swallowed|ate|downed|popped|taken) way more",
        r"(took|swallowed|downed|popped|taken) (way )?too (many|much) of",
        r"(took|swallowed|downed|popped|taken) [1-9][0-9]+ (of )?(my |his |her |the )?\w* ?"
        r"(pills|tablets|meds|capsules)",
        r"(took|swallowed|drank|downed|ate) (the|a|my|his|her) (whole|entire) (bottle|pack|box)",
        r"(swallowed|drank|ate) (bleach|poison|antifreeze|drain cleaner)",
        r"(swallowed|drank|ate|got into) .{0,30}under the sink",
        _SOMEONE + r"\b.{0,25}\b(swallowed|ate|drank|got into)\b.{0,25}"
        r"\b(pills?|meds|medicine|medication|tablets|something|batter(y|ies)|magnets?|chemicals?|cleaner|detergent|pods?)\b",
        r"(pills|meds|medications?) .{0,20}on purpose",
        # Intent, not only the deed: "going to take all my pills at once tonight", "saved up my pills".
        r"(take|swallow|down) (all|every one|the rest) (of )?(my|his|her|the|these) (pills|meds|medications?|tablets)"
        r" (at once|together|in one go|tonight)",
        # ... unless it is about when to take them ("all my meds in the morning instead of splitting them").
        r"(thinking|thought|think|planning|plan) (of|about|on|to) (taking|take|swallowing|swallow|downing) (all|a whole"
        r" bottle|the whole bottle|every one|the rest)( of)? (my|his|her|the|these)\b(?!.*\b(in the morning|at night|"
        r"at bedtime|with (breakfast|lunch|dinner|food|meals?)|instead of|once a day|every day|daily"
        r"|at the same time)\b)",
        r"(take|swallow|down|drink) (the|a|my) (whole|entire) (bottle|pack|box)",
        r"(pills|meds|tablets) saved( up)?\b|(saved|saving|stockpil(ed|ing)|hoard(ed|ing)) (up )?(my |all my )?"
        r"(pills|meds|tablets)",
        # "i have a bottle of oxy and im going to use all of it tonight"
        r"(bottle|pack|box|stash) of \w+.{0,40}\b(use|take|swallow|down|finish) (all|the whole|every)\b",
        r"\bpoison(ed|ing)\b",
    ),
    "self_harm": (
        r"\bkill(ing)? my ?self\b",
        r"\bsuicid(e|al)\b",
        r"\bend(ing)? (it all|my life)\b",
        r"(thinking (of|about)|want to|wanna|going to|gonna) end(ing)? it\b",
        r"\b(want|wanna|going) to die\b",
        r"(don'?t|do not|dont) want to (live|be alive|wake up|be here)",
        r"can'?t go on (anymore|any more|like this)",
        r"want (it|everything) to (be over|end)",
        r"\b(hurt(ing)?|harm(ing)?|cut(ting)?) my ?self\b",
        r"\bself[- ]?harm",
        r"disappear forever",
        r"better off without me",
        r"no (reason|point) (to|in) (keep )?(live|living|go on|going on)",
        r"(don'?t|dont|do not|can'?t|cant) see (the|a|any) point (anymore|any more|in (living|life|going on|being"
        r" alive|waking up))",
        r"\b(to|gonna|going to|will|i'?ll|i will) end it (tonight|today|now|all|for good)\b",
        r"(nobody|no one|noone) (would|will) (care|notice|miss me) if i (was|were|am|died|disappeared)",
        r"tired of (living|life|being alive)|(can'?t|cant|cannot) do (this|it|life) any ?more\b"
        r"(?!.{0,30}\b(wait|waiting|hold|app|bot|website|line|phone|queue|traffic|job|schedule)\b)",
        r"(goodbye|suicide) (letters?|notes?)",
        r"(don'?t|dont|do not|can'?t|cant) see (a|any|the) (reason|point) (to|in) "
        r"(keep(ing)? going|go(ing)? on|liv(e|ing))",
        r"giving (away )?(all )?(my|of my) (things|stuff|belongings|possessions)( away)?",
        r"(have|got|made) a plan to end (it|things|everything|my life)",
        r"\bend(ing)? (things|everything) (tonight|today|for good|now)\b",
        r"jump(ing)? (off|from) (a|the|my|that) (bridge|roof|building|balcony|cliff|overpass|parking garage)",
        r"(step|jump|walk)(ping|ing)? in front of (a|the) (train|bus|truck|car)",
        r"\b(kms|kys)\b|kill myslef|unalive (my ?self|me)",
        r"(go to sleep|fall asleep) and (never|not) wake up",
        r"(quiero|voy a) (morir|matarme|suicidarme)|me quiero morir|no quiero vivir",
    ),
    "allergic_reaction": (
        r"anaphyla",
        r"(severe|bad) allergic reaction",
        r"throat (is |feels )?(like (it'?s |its )?)?(closing|swelling|swollen)",
        r"throat .{0,20}\bclosing",
        r"(tongue|lips|face) (is |are )?(swelling|swollen)",
        r"used my epi ?pen",
    ),
    "ambulance": (
        r"\b(call|calling|need|get|send) (an? )?(911|ambulance)\b",
        r"\b(this is|i'?m having|im having|having|it'?s|its) an emergency\b",
        r"\b(i think )?(i'?m|im|i am) dying\b",
    ),
    "unresponsive": (
        r"(unconscious|unresponsive|won'?t wake up|not waking up)",
        _SOMEONE + r"('?s| is)? (not|isn'?t|won'?t) (responding|respond|moving|move)",
        r"(is|went|gone) limp\b",
        r"hit (his|her|their|my) head.{0,30}(isn'?t|not|won'?t) (moving|responding|waking)",
        r"\b(passed out|fainted|collapsed)\b",
        r"(having|had) a seizure",
        r"(is|so|really|very) floppy\b|(really |very )?hard to wake( up)?|(can'?t|cant|cannot) wake (him|her|them) up",
        r"(about|going|gonna) to pass out\b",
    ),
}

# Figures of speech that contain an alarming word but describe no emergency.
_IDIOMS = (
    r"dying (to|for)",
    r"kill(ing)? (the|that|this|these|those|all|my) (reminders?|texts?|messages?|alerts?|notifications?|app)",
    r"(?<!chest )(is|are|it'?s) killing me",
    r"(almost|nearly|practically|about to) (gave|give|giving|had|have) (me |him |her )?an? (heart attack|stroke)",
    r"emergency of sorts|(not|isn'?t) an? emergency|\bno emergency|non ?emergency",
    r"to die for",
    r"die (of|from) (boredom|embarrassment|laughter|laughing|shame|curiosity|old age|hunger|thirst)",
    # A bill, a price or news does not stop a heart: "your last bill gave me a heart attack".
    r"(gave|give|gives|giving) (me|him|her|us) an? (heart attack|stroke)",
    r"(breast|back|side|swim(ming)?|heat of the) ?stroke",
    r"stroke of (luck|genius)",
    r"food poisoning",
    # A blocked nose, not an airway: "can't breathe through my nose, stuffy" (the throat is still read).
    r"(can ?not|can'?t|cant|hard to|trouble|difficulty) breath(e|ing) (out of|through) (my|his|her|their|one|the) "
    r"(nose|nostrils?)",
    # A reply to a medication reminder, not an overdose ("took all my pills at once" still counts).
    r"took all (of )?my (pills|meds|medication|medicine) (today|this morning|tonight|this evening|on time|already)",
)

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
)
_ABOUT_AFTER = re.compile(
    r"^\s*(and [a-z]+ )?(prevention|awareness|training|class(es)?|course|workshop|seminar|survivors?|patients|scene"
    r"|risk|screening|resources|rehab|support group|research|program|hotline number)\b"
    # A class with a word or two between: "overdose response (narcan) training", "cpr and first aid class".
    r"|^\s*([a-z']+ ){1,2}(training|classe?s?|course|workshop|seminar)\b"
    r"|^\s*when (i|he|she|they) (run|exercise|work out|climb|walk|jog)"
)

_COMPILED = {category: re.compile("|".join(p)) for category, p in _PATTERNS.items()}
_IDIOM = re.compile("|".join(_IDIOMS))
_CLAUSE = re.compile(r"[.!?;,\n]+")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _discounted(clause: str, start: int, end: int) -> bool:
    """Whether this match, in its clause, is denied, over, or only talked about."""
    before, after = clause[:start], clause[end:]
    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after):
        return True
    if _ABOUT_BEFORE.search(before) or _ABOUT_AFTER.search(after):
        return True
    over = _PAST.search(clause) or _GONE.search(after)
    return bool(over) and not _PRESENT.search(_WELL_NOW.sub(" ", _REQUEST_NOW.sub(" ", clause)))


def detect(text: str) -> str | None:
    """The emergency category a message clearly describes, or None."""
    for raw in _CLAUSE.split(text):
        clause = _IDIOM.sub(" ", normalise(raw))
        for category, pattern in _COMPILED.items():
            if any(not _discounted(clause, m.start(), m.end()) for m in pattern.finditer(clause)):
                return category
    return None


def record_event(session: Session, conversation_id: str, channel: str, category: str, detected_by: str) -> SafetyEvent:
    event = SafetyEvent(conversation_id=conversation_id, channel=channel, category=category, detected_by=detected_by)
    session.add(event)
    session.flush()
    return event


def recent_events(session: Session) -> list[SafetyEvent]:
    return list(session.execute(select(SafetyEvent).order_by(SafetyEvent.created_at.desc())).scalars())
