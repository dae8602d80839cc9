"""Reading a patient's words about a reminder already sent: the drug a refill request names, and the
snooze asked for. Apart from bot.reminders.parsing, which reads the schedule of a new plan."""

from __future__ import annotations

import re
from datetime import timedelta

_REFILL = re.compile(
    r"\b(?:refill|refil|refills|renew|renewal|out of|running out of|low on|more)\b\s+"
    r"(?:on |of |for )?(?:my |the |some )?([a-z][a-z0-9\-]+)",
    re.I,
)
_NOT_A_DRUG = {
    "please", "pls", "plz", "prescription", "prescriptions", "medication", "medications", "meds", "med",
    "medicine", "pills", "pill", "it", "them", "asap", "a", "an", "refill", "refills", "my", "to", "and",
}


# The drug before the verb: "i just need my sertraline refilled", "my metformin needs refilling".
_REFILLED = re.compile(
    r"\b(?:my|the|our|his|her)\s+([a-z][a-z0-9\-]+)\s+(?:(?:needs?|needing)\s+)?(?:to be\s+)?"
    r"(?:refilled|refilling|refill|renewed|renewing|renew|topped up)\b"
    r"|\bnew (?:prescription|script|rx) (?:for|of) (?:my |the )?([a-z][a-z0-9\-]+)",
    re.I,
)


def refill_medication(text: str) -> str | None:
    """The drug a refill request names ("need a refill on my albuterol inhaler" -> "albuterol"), else None."""
    for match in (*_REFILL.finditer(text or ""), *_REFILLED.finditer(text or "")):
        word = next(g for g in match.groups() if g).lower()
        if word not in _NOT_A_DRUG:
            return word
    return None


# "remind me again in 30 minutes", "snooze an hour", "half an hour": the delay asked for, kept to what a
# dose reminder can sensibly wait (a longer wait is the next dose's business).
_SNOOZE_FOR = re.compile(
    r"\b(half an hour|half hour|an hour|a hour|one hour|(\d{1,3})\s*(m|min|mins|minutes?|h|hr|hrs|hours?))\b", re.I
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
