"""Whose reminder a request is for. A plan is the texting patient's own: texts to their number, with their
consent. A reminder asked for someone else ("my mom takes lisinopril at 8, remind her") is never set on this
patient's record; "remind me to give my son his inhaler" is the patient's own reminder and stays one."""

from __future__ import annotations

import re

_RELATIVE = (
    r"(wife|husband|partner|spouse|son|daughter|kids?|child|children|baby|mom|mum|mother|dad|father|grandma|grandpa"
    r"|grandmother|grandfather|brother|sister|friend|aunt|uncle|neighbou?r|roommate)"
)
_SOMEONE_ELSES = re.compile(
    # "set one for my wife too", "add a reminder for my son's inhaler"
    r"\bfor (my|our) " + _RELATIVE + r"\b"
    # "my mom takes lisinopril at 8, remind her", "can you text my dad at 9"
    r"|\b(remind|text|txt|message|ping) (him|her|them|my " + _RELATIVE + r")\b",
    re.I,
)
# The patient is to be reminded, even of something done for someone else.
_ONES_OWN = re.compile(r"\bremind (me|us|myself)\b|\bfor (me|myself|us)\b|\b(i|we) (need|have) to give\b", re.I)


def for_someone_else(text: str) -> bool:
    words = text or ""
    return bool(_SOMEONE_ELSES.search(words)) and not _ONES_OWN.search(words)
