"""What a text says beside its main request, noted on the parsed message where the dialogue looks for it: a
second request found in one of its clauses, a dose reply it starts with or settles on, and what follows a choice
by number. bot.nlu.clauses reads the words; the classifier (bot.nlu.classifier) reads each clause's intent.
"""

from __future__ import annotations

from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.clauses import (
    AFTER_CHOICE_KEY,
    ALSO_REQUEST_KEY,
    DOSE_REPLIES,
    REQUESTS,
    Clause,
    corrected_dose_reply,
    dose_reply_first,
    second_requests,
)
from bot.nlu.emergency import EMERGENCY_INTENT

# The fallback's floor (config.yml): a request said after a choice by number and read at least this surely is kept.
_AFTER_CHOICE_FLOOR = 0.2


def note_after_choice(message: Message, rest: str, ranked: list[tuple[str, float]]) -> None:
    """Keeps the request said after a choice by number ("1 - also where do I park?"), for when the choice is
    done. The patient asked something: a request or question read at all (past the fallback's floor) is kept."""
    label, confidence = ranked[0]
    if (label in REQUESTS or label.startswith("faq/")) and confidence >= _AFTER_CHOICE_FLOOR:
        message.set(AFTER_CHOICE_KEY, {"label": label, "text": rest}, add_to_output=True)


def note_second_request(message: Message, found: list[Clause], label: str) -> None:
    """Keeps a second request of another kind found in one of the text's clauses (`label`: the whole text's
    intent, its FAQ topic for an FAQ); a dose reply said first or settled on becomes the text's intent."""
    first = corrected_dose_reply(found) or dose_reply_first(found)
    if first is not None:
        _dose_reply_first(message, *first)
        return
    for key, clause in second_requests(label, found).items():
        message.set(key, {"label": clause.label, "text": clause.text}, add_to_output=True)


def _dose_reply_first(message: Message, reply: Clause, then: Clause | None) -> None:
    """The text is the dose reply it starts with ("taken. also need a refill please"), or the one it settles
    on ("skipped... oh wait no, I did take it"); the request beside it, if any, follows once the reply is
    recorded. An emergency read from the whole text stands (EmergencyOverride runs after the classifier in
    any case)."""
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == EMERGENCY_INTENT:
        return
    # The request is carried beside the reply, not ranked against it: a tie of the two fell back; nor is the
    # other dose reply, which is no request of its own.
    beside = {reply.label, *DOSE_REPLIES, *([then.label] if then else [])}
    ranking = [{INTENT_NAME_KEY: reply.label, PREDICTED_CONFIDENCE_KEY: reply.confidence}] + [
        item for item in message.get(INTENT_RANKING_KEY) or [] if item[INTENT_NAME_KEY] not in beside
    ]
    message.set(INTENT, dict(ranking[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking[:LABEL_RANKING_LENGTH], add_to_output=True)
    if then is not None:
        message.set(ALSO_REQUEST_KEY, {"label": then.label, "text": then.text}, add_to_output=True)
