"""Weekday names as patients write them, and the ones they rule out ("not monday", "any day but friday",
"i can't do tuesday", "thursday instead of tuesday"): a day ruled out is never the day searched for."""

from __future__ import annotations

import re

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_DAYS = rf"(?:{WD})s?(?:\s+(?:or|nor|and|or on)\s+(?:{WD})s?)*"
# Read on timeparse's normalised text (lower case, apostrophes gone: "can't" is "can t"). A bare "no" is left
# out: "no, tuesday please" answers a list and wants Tuesday.
_BEFORE = re.compile(
    r"\b(?:not|but|except|excluding|other than|besides|apart from|instead of|can ?t|cannot|can not|couldn t|won t)"
    rf"\s+(?:(?:do|make|come|go|manage)\s+(?:it\s+)?)?(?:on\s+)?(?:a\s+|the\s+)?(?:next\s+|this\s+)?(?P<days>{_DAYS})\b"
)
_AFTER = re.compile(
    rf"\b(?P<days>{_DAYS})\s+(?:is\s+|are\s+)?(?:no good|not good|not possible|doesn t work|don t work|won t work"
    r"|isn t good|is bad|bad for me|is out)\b"
)
_ONE = re.compile(rf"\b({WD})s?\b")


def ruled_out(s: str) -> tuple[str, frozenset[int]]:
    """The weekdays `s` rules out, and `s` without them (so the days left are the ones wanted)."""
    out: set[int] = set()

    def drop(match: re.Match[str]) -> str:
        out.update(WEEKDAYS[name] for name in _ONE.findall(match.group("days")))
        return " "

    s = _AFTER.sub(drop, _BEFORE.sub(drop, s))
    return s, frozenset(out)
