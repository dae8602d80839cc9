"""The answer to the bot's own "Which medicine is the refill for: metformin or lisinopril?" (or "Which thyroid
medicine ...?"): "lisinopril", "both please", "the one for blood pressure", "levothyroxine" each got "Sorry, I
didn't understand" when only "refill <name>" was read. Apart from bot.reminders.reply_words, which reads a
refill request said unprompted."""

from __future__ import annotations

import re

from bot.reminders.conditions import condition_of, treats
from bot.reminders.drugs import drugs_in, misspelt_drugs

_EVERY_ONE = re.compile(r"\b(both|all|each|every one|the two|all three|all of them|both of them)\b", re.I)
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
_ORDINAL = re.compile(r"\b(first|1st|second|2nd|third|3rd|last)\b", re.I)


def refill_answer(text: str, asked: list[str]) -> list[str]:
    """The medicines an answer picks: of `asked` (the plans offered) by name, spelling slip, "both", order or
    what they treat; else any medicine it names. Empty when it picks none (the words are read as usual): a
    name no list knows is not guessed from a bare word ("maybe", "sorted"); "refill zepbound" still files it."""
    words = (text or "").lower()
    if len(asked) > 1 and _EVERY_ONE.search(words):
        return list(asked)
    own = tuple(asked)
    named = [m for m in asked if re.search(rf"\b{re.escape(m.lower())}\b", words)]
    spelt = [m for m in misspelt_drugs(words, own) if m in {a.lower() for a in asked}]
    if named or spelt:
        return list(dict.fromkeys(named + [a for a in asked if a.lower() in spelt]))
    ordinal = _ORDINAL.search(words)
    if ordinal and asked:
        at = _ORDINALS.get(ordinal.group(1).lower(), len(asked) - 1)
        return [asked[at]] if at < len(asked) else []
    condition = condition_of(words)
    if condition and asked:
        fits = [m for m in asked if treats(m, condition)]
        return fits if len(fits) == 1 else []
    return drugs_in(words) or misspelt_drugs(words, own)
