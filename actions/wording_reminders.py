"""Every sentence the medication-reminder actions send to patients, in one place (why: actions.wording).

A medication's name is a health detail: the read-back tells the patient whether their reminder texts will
name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from bot.clock import clock_text, duration_text
from bot.reminders.models import AdherenceAction, PlanStatus
from bot.reminders.plans import describe_days

WONT_SET = "Okay, I won't set that reminder."
MEDICATION_NAME = "Please tell me the medication's name in a few words, e.g. metformin."
TIMES_NOT_CAUGHT = "I didn't catch the times. Try something like 8am and 8pm."
WHICH_DAYS = "Which days? For example: every day, weekdays, or mon wed fri."
UNTIL_WHEN = "Until when? For example: for 2 weeks, until june 30, or no end date."
NOT_SAVED = "Okay, I didn't save it."
NO_REMINDERS = "You have no medication reminders. Say 'remind me to take my meds' to set one."
NO_REMINDERS_TO_STOP = "You have no medication reminders to stop."
NO_REMINDER_TO_ANSWER = "I don't see a recent medication reminder to answer."

def someone_elses(phone: str) -> str:
    """A reminder asked for another person: a plan texts the patient's own number, with their own consent."""
    return (
        "I can only set reminders for you, sent to your own number. Each person sets up their own reminders "
        f"from their own phone, or our staff can help at {phone}. Nothing was saved."
    )


REFILL_NEEDS_IDENTITY = (
    "I can pass a refill request to the clinic once I know who you are: text us from the mobile "
    "number we have on file, or call the front desk."
)
# Poison Control (US, free, any hour): the line for a dose taken twice or the wrong pill, beside the clinic's own.
POISON_CONTROL = "1-800-222-1222"
DOSE_MISTAKE_BUTTONS = [{"title": "Have someone contact me", "payload": "/human_handoff"}]


def dose_mistake(nurse_line: str) -> str:
    """To a dose taken by mistake ("took 2 by accident"): nothing recorded, no advice, who can advise now."""
    return (
        "I haven't recorded this dose. I'm an automated assistant and can't advise on doses: please call our nurse "
        f"line at {nurse_line}, your pharmacist, or Poison Control at {POISON_CONTROL} (free, any time). If you "
        "feel very unwell, call 911. I can also ask someone from our team to contact you."
    )


def stop_reminders_offer(reminded: str) -> tuple[str, list[dict[str, str]]]:
    """To a reminded drug no longer taken: its reminders are offered to stop, never stopped unasked."""
    buttons = [
        {"title": "Yes, stop them", "payload": f"stop my {reminded.lower()} reminders"},
        {"title": "No, keep them", "payload": "/deny"},
    ]
    return f"Thanks for letting me know. Would you like me to stop your {reminded} reminders?", buttons


def which_dose_taken(reminded: str) -> str:
    """To a dose said taken of another drug than the one reminded about: nothing noted, the reminded one asked."""
    return f"I haven't noted anything yet: this reminder was for your {reminded}. Did you take it? Reply TAKEN or SKIP."


_NOTED = {
    AdherenceAction.TAKEN: "Thanks, noted as taken.",
    AdherenceAction.SKIPPED: "Okay, noted as skipped.",
    AdherenceAction.SNOOZED: "Okay, I'll remind you again in {snooze}.",
}


def read_back(
    medication: str, times: Sequence[time], rule: str, until: date | None, show_name: bool, start: date | None = None,
    replaces: Sequence[str] = (),
) -> str:
    """The plan as it will be saved (`rule`: its RRULE days; `start`: a first day later than today), asked to
    confirm before saving it; `replaces`: the plans for the same medicine it takes the place of, described."""
    end = "with no end date" if until is None else f"until {until:%b %d %Y}"
    if start is not None:
        end = f"starting {start:%a %b %d}, {end}"
    named = "naming" if show_name else "without naming"
    return (
        f"So: a reminder for {medication} at {' and '.join(clock_text(t) for t in times)} "
        f"{describe_days(rule)}, {end}, with texts {named} the medication."
        + "".join(f" It replaces your reminder for {plan}." for plan in replaces)
        + " Shall I save it? (yes/no)"
    )


def not_saved_because(error: Exception) -> str:
    return f"I couldn't save that: {error}"


def saved(plan: str, start: date | None = None) -> str:
    """`plan`: as `bot.reminders.plans.describe` says it; `start`: its first day, when later than today."""
    starting = f", starting {start:%a %b %d}" if start else ""
    return f"Saved: {plan}{starting}. Reply TAKEN, SKIP or SNOOZE to a reminder text."


def reminders(plans: Sequence[str]) -> str:
    lines = "\n".join(f"- {text}" for text in plans)
    return f"Your medication reminders:\n{lines}"


_CHANGED = {PlanStatus.ACTIVE: "Resumed", PlanStatus.PAUSED: "Paused", PlanStatus.STOPPED: "Stopped"}
_VERB = {PlanStatus.ACTIVE: "resume", PlanStatus.PAUSED: "pause", PlanStatus.STOPPED: "stop"}
PLAN_CHANGE_UNCLEAR = (
    "I can stop, pause or change the time of a medication reminder. Tell me which and how, for example "
    "\"change my metformin reminder to 9pm\" or \"stop my metformin reminder\". Nothing was changed."
)
PAUSE_ONLY_NOW = (
    "I can pause reminders from now on, but not from a later date. Text \"pause my reminders\" when you want "
    "them paused, and \"resume my reminders\" when you want them back. Nothing was changed."
)
STOP_ONLY_NOW = (
    "I can stop reminders from now on, but not from a later date. Text \"stop my reminders\" on the day you "
    "want them to end. Nothing was changed, so they keep coming until then."
)


def appointment_texts(phone: str) -> str:
    return (
        "Appointment reminders aren't medication reminders, so I changed nothing. To stop every text from us, "
        f"reply STOP; to change only which texts you get, call us at {phone}."
    )


def changed(plans: str, status: PlanStatus, retimed: bool = False) -> str:
    if retimed:
        return f"Changed: {plans}."
    said = f"{_CHANGED[status]}: {plans}."
    return said + ' Text "resume my reminders" to turn them back on.' if status is PlanStatus.PAUSED else said


def time_stopped(medication: str, dropped: Sequence[time], kept: str) -> str:
    """One dose time of several stopped: what stopped and what still reminds, so no dose is lost unseen."""
    return f"Stopped: the {_listed(dropped)} {medication} reminder. Still on: {kept}."


def which_time_to_change(medication: str, times: Sequence[time]) -> str:
    """A new time for a plan with several, naming none of them: which one moves is asked, not guessed."""
    return (
        f"Your {medication} reminders are at {_listed(times)}. Which one should move? Say e.g. "
        f"'move my {clock_text(times[-1])} {medication} reminder to 9:00 PM', or give all {len(times)} new times."
    )


def which_to_change(plans: Sequence[str], status: PlanStatus, retimed: bool = False) -> str:
    """The request named none of several `plans`: the first one's medication shows how to name one."""
    listing = "\n".join(f"- {text}" for text in plans)
    verb = "change" if retimed else _VERB[status]
    return f"Which one? Say e.g. '{verb} my {plans[0].split(' at ')[0]} reminder'.\n{listing}"


def no_plans_to_change(status: PlanStatus) -> str:
    return "You have no paused reminders to resume." if status is PlanStatus.ACTIVE else NO_REMINDERS_TO_STOP


def noted(action: AdherenceAction, snooze: timedelta) -> str:
    """`snooze`: the delay actually queued, so the one said is the one that happens."""
    return _NOTED[action].format(snooze=duration_text(snooze))


def skipped_unwell(nurse_line: str) -> str:
    return f"If it's making you unwell, our nurse line can help: {nurse_line}."


def refill_sent(medications: list[str]) -> str:
    if len(medications) > 1:
        names = ", ".join(medications[:-1]) + f" and {medications[-1]}"
        return f"I've sent your refill requests for {names} to the clinic team; they reply within one business day."
    what = f" for {medications[0]}" if medications else ""
    return f"I've sent your refill request{what} to the clinic team; they reply within one business day."


def which_refill(medications: list[str], condition: str | None = None) -> str:
    """Several plans the refill may be for, or none known for the `condition` said ("my cholesterol pill"), or
    no drug named at all and none on file."""
    if not medications:
        which = f"{condition} medicine" if condition else "medicine"
        return f'Which {which} is the refill for? Text "refill" and its name. Nothing is requested yet.'
    names = ", ".join(medications[:-1]) + f" or {medications[-1]}"
    example = f"refill my {medications[0]}"
    return f"Which medicine is the refill for: {names}? Text e.g. \"{example}\". Nothing is requested yet."


SKIPPED_OUT_OF_PILLS = "Okay, noted today's dose as skipped."


REFILL_HOW = (
    "To get a refill, text \"refill\" with the medicine's name (e.g. \"refill my metformin\"); I pass it to the "
    "clinic team, who reply within one business day. Nothing has been requested yet."
)
REFILL_ALREADY_DONE = "Good to hear your refill came through. I haven't requested another one."
REFILL_STATUS = (
    "Sorry it hasn't come through yet. I've asked our team to check on your refill and get back to you; "
    "I didn't send a second request."
)


_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_EXAMPLES = {1: (8,), 2: (8, 20), 3: (8, 14, 20), 4: (8, 12, 16, 20), 5: (8, 11, 14, 17, 20), 6: (6, 9, 12, 15, 18, 21)}
TOO_MANY_TIMES = "I can send at most 6 reminders a day. At what times of day should they go?"
TIMES_NOT_A_NAME = "Those sound like times of day; I've noted them. Which medication is the reminder for?"
UNTIL_TAKEN_AS_NO_END = "I'll set it with no end date; you can stop it any time by texting \"stop my reminder\"."


def _listed(times: Sequence[time]) -> str:
    said = [clock_text(t) for t in times]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def times_for_count(count: int) -> str:
    """ "twice a day" said, and fewer (or more) times given: asked for exactly that many."""
    if count not in _EXAMPLES:
        return TOO_MANY_TIMES
    how_often = {1: "once a day", 2: "twice a day"}.get(count, f"{count} times a day")
    example = _listed([time(h) for h in _EXAMPLES[count]])
    return f"You said {how_often}: at what {_COUNTS[count]} time{'s' if count > 1 else ''}? e.g. {example}"


def times_for_interval(hours: int, example: Sequence[time]) -> str:
    """ "every 6 hours" is no time of day: the times asked for, `example` spread by that interval."""
    if len(example) > 6:
        return f"Every {hours} hours is more than 6 reminders a day. " + TOO_MANY_TIMES
    return (
        f"Every {hours} hours: at what times of day? e.g. {_listed(example)} "
        f"(or tell me the first time and I'll space the rest {hours} hours apart)"
    )


def one_at_a_time(first: str, second: str) -> str:
    """Two medications with their own times in one request: never one plan with both drugs' times."""
    return f"Let's set these up one at a time: first {first}, then {second}."


def next_medication(second: str) -> str:
    return f"Now the reminder for {second}."


def times_now(times: Sequence[time]) -> str:
    """A time correction said to another question of the reminder form ("hmm wait, make it 1pm")."""
    return f"Got it, the time is now {_listed(times)}."
