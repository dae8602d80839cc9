"""Whether a message inside a form is a new request that switches away from it.

Both sides read it the same way: the form (actions.forms) declines the message, so Rasa's loop lets
other policies speak, and the conversation-rules policy (bot.dialogue.policy) then predicts the switch.
"""
from __future__ import annotations

from datetime import datetime

from bot.dialogue.answers import fits, is_stop
from bot.dialogue.offers import number_in

# Requests that, said inside another form, switch to themselves (the form's own request does not).
# A refill is not among them: it is filed at once and the form goes on (data/rules/interruptions.yml); asking
# "shall I stop that and ask for a refill instead?" lost the refill to a "no".
REQUESTS = frozenset({"book_appointment", "reschedule_appointment", "cancel_appointment", "confirm_appointment",
                      "set_medication_reminder", "list_medication_reminders", "stop_medication_reminder"})
OWN_REQUESTS = {"booking_form": {"book_appointment", "reschedule_appointment"}, "cancel_form": {"cancel_appointment"},
                "medication_reminder_form": {"set_medication_reminder"}}
# A bare answer outside a form naming a kind of clinician ("cardiology", "my pcp") or a visit with when ("physical w/
# alvarez thu 2pm"): nobody asked, so it is a request to be seen, and the switch puts it back as a booking.
ANSWER = "inform"
# Slots whose answer is free words (a drug's name): a request there is more likely the answer misread.
FREE_TEXT = frozenset({"reminder_medication", "verify_name"})
# The classifier's probabilities are spread over 27 intents ("can you book me a checkup" is 0.76), and a switch
# that would drop details the patient gave is asked about first (actions.offers), so 0.6 is sure enough.
SURE = 0.6
# So sure that the words are a request even when part of them would also answer the open question: "oh also
# can you remind me to take vitamin d at 9am" asked for a day (9am fits), "wait first can i get a refill"
# ("first" reads as a choice). Switching asks first when it would drop something (actions.offers).
VERY_SURE = 0.9
# ... but only where the question is open-ended; a choice ("the dermatology one") answers its own question.
OPEN_QUESTIONS = frozenset({"visit", "when", "reminder_times", "reminder_days", "reminder_until"})


def switches(
    loop: str, requested: str | None, intent: str | None, confidence: float, pending_request: str | None,
    text: str, now: datetime, horizon_days: int,
) -> bool:
    """True for a clear new request that is no answer to the open question and no "stop"."""
    if is_stop(text) or number_in(text) is not None:
        return False  # a number answers the choices it follows (actions.forms maps it), never a new request
    own = OWN_REQUESTS.get(loop, set())
    if loop == "booking_form" and pending_request == "book":  # a form started to book is switched by a move
        own = {"book_appointment"}
    if intent not in REQUESTS - own or requested in FREE_TEXT:
        return False
    if confidence >= VERY_SURE and requested in OPEN_QUESTIONS:
        return True
    return confidence >= SURE and not fits(requested, text, now, horizon_days)


# Requests done in one step beside the form (a refill): filed by their own rule, then the form goes on. Sure
# words count even where part of them would answer ("wait first can i get a refill": "first" reads as a choice).
ASIDE = frozenset({"request_refill"})


def steps_aside(requested: str | None, intent: str | None, confidence: float) -> bool:
    """True for a sure one-step request inside a form, which is done beside it (never in a free-text slot)."""
    return intent in ASIDE and confidence >= SURE and requested not in FREE_TEXT
