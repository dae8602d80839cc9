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
            # As many as the correction says are replaced, the last ones said: "8am and 2pm, i mean 3pm" keeps
            # 8am; "mon wed, no wait, tue thu" replaces both days.
            count = len(kind.findall(after))
            for said in reversed(list(kind.finditer(before))[-count:] if count else []):
                before = before[: said.start()] + " " + before[said.end() :]
        text = f"{before} {after}"
    return text


def _correcting(text: str, kinds: tuple[re.Pattern[str], ...]) -> tuple[int, int] | None:
    """Where the first correction is that has a detail of one kind on both sides (so it replaces one)."""
    for marker in CORRECTION.finditer(text):
        before, after = text[: marker.start()], text[marker.end() :]
        if any(kind.search(before) and kind.search(after) for kind in kinds):
            return marker.start(), marker.end()
    return None
