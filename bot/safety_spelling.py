"""Crisis words read through the typos of a hurried text ("i wanna end my lfe tonite", "kil myslf", "suicde").

Listing every misspelling cannot keep up with thumbs, so a word one slip away from a crisis word is read as that
word: a letter dropped, added, changed, or two swapped. Only the crisis vocabulary is read this way, and only
words that are not English words themselves: "lift", "like", "wife", "kiln" and "overdone" stay what they are.
The first letter must match (slips rarely hit it), which keeps "fill", "will" and "ill" away from "kill".
"""

from __future__ import annotations

# Words the emergency patterns (bot.safety_patterns) are built from, long enough that one slip is still them.
CRISIS_WORDS = (
    "life", "live", "alive", "living", "kill", "myself", "suicide", "suicidal",
    "overdose", "overdosed", "overdosing", "tonight", "anymore", "goodbye",
)

# English words one slip from a crisis word (same first letter): never read as the crisis word.
REAL_WORDS = frozenset(
    {
        "lie", "lied", "lies", "lift", "like", "lime", "line", "lice", "lite", "lief", "lifer", "love", "lives",
        "liver", "lived", "lave", "alike", "alice", "aline", "liking", "lining", "living", "loving", "kiln", "kilt",
        "kilo", "kills", "overdoes", "overdone", "tonight", "goodbyes",
    }
)

# Spellings of the same word rather than slips: "tonite", "2nite".
VARIANTS = {"tonite": "tonight", "2nite": "tonight", "2night": "tonight", "tonit": "tonight", "wana": "wanna"}


def _one_slip(word: str, target: str) -> bool:
    """Whether `word` is `target` with one letter dropped, added or changed, or two neighbours swapped."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == target[diff[1]] and (
            word[diff[1]] == target[diff[0]]
        )
        return len(diff) == 1 or swapped
    short, long = sorted((word, target), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def crisis_word(word: str) -> str:
    """The crisis word `word` was meant to be, or `word` itself."""
    if word in VARIANTS:
        return VARIANTS[word]
    if len(word) < 3 or word in REAL_WORDS or word in CRISIS_WORDS:
        return word
    for target in CRISIS_WORDS:
        if word[0] == target[0] and _one_slip(word, target):
            return target
    return word


def respelled(text: str) -> str:
    """A normalised text (lower case, words split by single spaces) with slips of crisis words corrected."""
    return " ".join(crisis_word(word) for word in text.split(" "))
