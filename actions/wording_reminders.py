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
REFILL_NEEDS_IDENTITY = (
    "I can pass a refill request to the clinic once I know who you are: text us from the mobile "
    "number we have on file, or call the front desk."
)
_NOTED = {
    AdherenceAction.TAKEN: "Thanks, noted as taken.",
    AdherenceAction.SKIPPED: "Okay, noted as skipped.",
    AdherenceAction.SNOOZED: "Okay, I'll remind you again in {snooze}.",
}


def read_back(medication: str, times: Sequence[time], rule: str, until: date | None, show_name: bool) -> str:
    """The plan as it will be saved (`rule`: its RRULE days), asked to confirm before saving it."""
    end = "with no end date" if until is None else f"until {until:%b %d %Y}"
    named = "naming" if show_name else "without naming"
    return (
        f"So: a reminder for {medication} at {' and '.join(clock_text(t) for t in times)} "
        f"{describe_days(rule)}, {end}, with texts {named} the medication. Shall I save it? (yes/no)"
    )


def not_saved_because(error: Exception) -> str:
    return f"I couldn't save that: {error}"


def saved(plan: str) -> str:
    """`plan`: as `bot.reminders.plans.describe` says it."""
    return f"Saved: {plan}. Reply TAKEN, SKIP or SNOOZE to a reminder text."


def reminders(plans: Sequence[str]) -> str:
    lines = "\n".join(f"- {text}" for text in plans)
    return f"Your medication reminders:\n{lines}"


_CHANGED = {PlanStatus.ACTIVE: "Resumed", PlanStatus.PAUSED: "Paused", PlanStatus.STOPPED: "Stopped"}
_VERB = {PlanStatus.ACTIVE: "resume", PlanStatus.PAUSED: "pause", PlanStatus.STOPPED: "stop"}
PAUSE_ONLY_NOW = (
    "I can pause reminders from now on, but not from a later date. Text \"pause my reminders\" when you want "
    "them paused, and \"resume my reminders\" when you want them back. Nothing was changed."
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


def refill_sent(medication: str | None) -> str:
    what = f" for {medication}" if medication else ""
    return f"I've sent your refill request{what} to the clinic team; they reply within one business day."
