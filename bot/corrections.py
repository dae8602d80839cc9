"""A patient correcting themselves mid-message: "8am, no sorry 9am", "monday, no wait, tuesday afternoon".

The words after the correction replace the details of the same kind said just before it; the rest of the message
stands ("monday morning, no wait, tuesday" is Tuesday morning). Each reader names the kinds of detail it reads
(clock times, days, dates) as patterns, and `corrected` drops the corrected ones before the reader sees them.
A correction word with no earlier detail of its kind changes nothing ("actually make it thursday").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# "sorry" alone is left out: "sorry, can i come in friday" apologises, it corrects nothing.
# "make it" corrects only after a pause ("tuesday at 9, make it 10"): "i can't make it monday" rules a day out.
CORRECTION = re.compile(
    r"(?:,|\.|;|\s)\s*(?:no,?\s+sorry|sorry,?\s+i\s+meant?|no,?\s+wait|wait,?\s+no|i\s+meant?|actually"
    r"|scratch\s+that|or\s+rather|make\s+that|correction|oops|(?:hmm+|um+|uh+),?\s+no)\b,?"
    r"|[,.;!]\s*make\s+it\b,?",
    re.I,
)


def corrected(text: str, details: Iterable[re.Pattern[str]]) -> str:
    """`text` without the corrected details and the correction words; unchanged when it corrects nothing."""
    kinds = tuple(details)
    while (marker := _correcting(text, kinds)) is not None:
        before, after = text[: marker[0]], text[marker[1] :]
        for kind in kinds:
            before, after = _replaced(before, after, kind)
        text = f"{before} {after}"
    return text


def _replaced(before: str, after: str, kind: re.Pattern[str]) -> tuple[str, str]:
    """The details of one kind said after the correction, each put in the place of one said before it: "every
    morning at 7... scratch that, 6:30" reads "every morning at 6:30", so the new time keeps the morning (left
    at the end, 6:30 was read as 6:30 PM). As many as the correction says are replaced, the last ones said, a
    clock time by a clock time where there is one: "8am and 2pm, i mean 3pm" keeps 8am; "mon wed, no wait, tue
    thu" replaces both days; "at 7 every morning, actually 6:30" keeps the morning."""
    said, new = list(kind.finditer(before)), list(kind.finditer(after))
    pairs: list[tuple[re.Match[str], re.Match[str]]] = []
    for replacement in reversed(new):
        left = [m for m in said if all(m is not old for old, _ in pairs)]
        alike = [m for m in left if _is_clock(m.group()) == _is_clock(replacement.group())]
        if not left:
            break
        pairs.append(((alike or left)[-1], replacement))
    for old, replacement in sorted(pairs, key=lambda pair: -pair[0].start()):
        before = before[: old.start()] + _with_half_of_day(old.group(), replacement.group()) + before[old.end() :]
    for _, replacement in sorted(pairs, key=lambda pair: -pair[1].start()):
        after = after[: replacement.start()] + " " + after[replacement.end() :]
    return before, after


def _is_clock(detail: str) -> bool:
    return bool(re.search(r"\d", detail))


def _with_half_of_day(old: str, new: str) -> str:
    """A bare clock time correcting one that said its half of the day keeps that half ("7am, i mean 6:30")."""
    spacing = old[len(old.rstrip()) :]  # "7 every morning": the space matched with the time stays
    half = re.search(r"[ap]\.?m\.?$", old.strip(), re.I)
    bare = re.fullmatch(r"\d{1,2}(?:[:.h]\d{2})?", new.strip())
    return f"{new.strip()}{half.group() if half and bare else ''}{spacing}"


def _correcting(text: str, kinds: tuple[re.Pattern[str], ...]) -> tuple[int, int] | None:
    """Where the first correction is that has a detail of one kind on both sides (so it replaces one)."""
    for marker in CORRECTION.finditer(text):
        before, after = text[: marker.start()], text[marker.end() :]
        if any(kind.search(before) and kind.search(after) for kind in kinds):
            return marker.start(), marker.end()
    return None
