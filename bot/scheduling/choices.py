"""Numbered choices a patient answers in their own words ("2", "#2", "the second one", "3pm", a button).

An offer is kept in the conversation exactly as it was shown, so an answer is read against what the
patient saw. Patients answer with 1/2/3, never a keyword: carriers treat CANCEL as an opt-out.
"""
from __future__ import annotations

import re
from typing import Sequence, TypedDict

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
# A number word counts only as the whole answer: in "the second one" or "the blue one", "one" is no choice.
_NUMBER_WORD = re.compile(r"(?:number |option |no\.? )?(one|two|three)\W*")
_NUMBER_WORDS = {"one": 0, "two": 1, "three": 2}


class Offer(TypedDict):
    token: str  # enough to act on the choice; a button's payload may send it back
    label: str  # what the patient is shown
    clock: str  # the local time alone ("3 PM"): a patient may answer with it


def pick(text: str, offered: Sequence[Offer]) -> Offer | None:
    """The offer a reply means, None when it names none of them (the patient is asked again)."""
    cleaned = text.strip().lower()
    for offer in offered:
        if cleaned == offer["token"].lower():
            return offer
    digit = re.fullmatch(r"\D{0,12}?([1-9])\D{0,12}", cleaned)
    if digit and not re.search(r"\d\s*(am|pm)|:\d", cleaned):
        return _nth(offered, int(digit.group(1)) - 1)
    word = _NUMBER_WORD.fullmatch(cleaned)
    if word:
        return _nth(offered, _NUMBER_WORDS[word.group(1)])
    for ordinal, index in _ORDINALS.items():
        if re.search(rf"\b{ordinal}\b", cleaned):
            return _nth(offered, index)
    for offer in offered:
        if offer["clock"].lower().replace(" ", "") in cleaned.replace(" ", ""):
            return offer
    return None


def reply_numbers(count: int) -> str:
    """'1, 2, 3': the answers a list of `count` offers takes."""
    return ", ".join(str(n + 1) for n in range(count))


def _nth(offered: Sequence[Offer], index: int) -> Offer | None:
    return offered[index] if offered and index < len(offered) else None
