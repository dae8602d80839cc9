"""Day words as patients misspell and shorten them: "thrusday", "tusday", "wedensday", "firday", "next wk",
"nxt week". bot.scheduling.timeparse spells them out before its readers run, so each reads the word meant
("any time thrusday" offered today's times; "next wk" was no week at all)."""

from __future__ import annotations

import re
from functools import lru_cache

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words a letter or two from a weekday that are no misspelling of one: "midday" is not Monday.
_REAL_WORDS = frozenset(
    {"midday", "mayday", "today", "someday", "weekday", "workday", "payday", "heyday", "sundae", "frida"}
)
_SHORTHAND = (
    (re.compile(r"\bnxt\b"), "next"),
    (re.compile(r"\bwk\b"), "week"),
    (re.compile(r"\bwks\b"), "weeks"),
)
_WORD = re.compile(r"\b[a-z]{5,11}\b")


def spelt_out(s: str) -> str:
    """`s` (lower case) with weekday typos and the shorthand for "next" and "week" written in full."""
    for pattern, word in _SHORTHAND:
        s = pattern.sub(word, s)
    return _WORD.sub(lambda m: _weekday(m[0]) or m[0], s)


@lru_cache(maxsize=4096)
def _weekday(word: str) -> str | None:
    """The weekday `word` misspells (keeping a plural "s"), None when it is none or is spelt right."""
    candidate, ending = (word[:-1], "s") if word.endswith("days") else (word, "")
    if candidate in _WEEKDAYS or candidate in _REAL_WORDS:
        return None
    # One slip anywhere; two in a longer word that still ends as a weekday does ("wensday").
    allowed = 2 if candidate.endswith("day") and len(candidate) >= 6 else 1
    return next(
        (day + ending for day in _WEEKDAYS if candidate[0] == day[0] and _distance(candidate, day) <= allowed), None
    )


def _distance(a: str, b: str) -> int:
    """Edits (a letter added, dropped, changed, or two neighbours swapped) that turn `a` into `b`."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
