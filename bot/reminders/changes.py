"""A patient's words about their medication plans: stop, pause, resume or retime the ones they name.

"Turn my pill reminders back on" and "unpause" read as stop requests to the classifier, and "unpause" is no
"pause": read as words here, they resume, never stop. A pause asked for later ("while I'm on vacation next
week") cannot be scheduled, so nothing is paused early and the patient is told how to do it on the day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time

from sqlalchemy.orm import Session

from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.parsing import parse_times
from bot.reminders.plans import describe, plans_of, set_status, set_times

_RESUME = re.compile(
    r"\b(resume|unpause|un-pause|restart|re-start|back on|start (\w+ ){0,3}again|turn (\w+ ){0,3}on)\b", re.I
)
# "change my metformin reminder to 9pm", "move my pill texts from 8am to 9am": the times after "to" are the new ones.
_RETIME = re.compile(r"\b(change|move|switch|push|shift|make|set|update|reschedule)\b", re.I)
_NEW_TIMES = re.compile(r"\b(?:to|at|for)\b(?!.*\b(?:to|at|for)\b)(.*)$", re.I)
_PAUSE = re.compile(r"\b(pause|hold|break)\b", re.I)
# "all my reminders", "both of them" (not "every morning": a time, not a count of plans).
_ALL = re.compile(r"\b(all|everything|both|every (one|reminder|plan|medication))\b", re.I)
# What is to be left as it is: "keep the atorvastatin one", "all except metformin", "but not my insulin".
_KEPT = re.compile(r"\b(keep|keeping|except|apart from|other than|but not|not the|leave|leaving)\b(.*)$", re.I)
# Texts about appointments are no plan: "stop texting me about appointments" (a plan named too is still meant).
_APPOINTMENTS = re.compile(r"\b(appointments?|appts?|visits?)\b", re.I)
_WEEKDAY = r"(mon|tues|wednes|thurs|fri|satur|sun)day"
_LATER = re.compile(
    rf"\b(next (week|month|{_WEEKDAY})|tomorrow|(from|starting|on|after) (this |next )?{_WEEKDAY}"
    r"|(from|starting) (the )?\d{1,2}(st|nd|rd|th)?\b|in (a|two|\d+) (days?|weeks?))",
    re.I,
)


@dataclass(frozen=True)
class PlanChange:
    status: PlanStatus  # what was asked: active (resume), paused or stopped
    changed: list[str] = field(default_factory=list)  # the plans changed, described
    candidates: list[str] = field(default_factory=list)  # the plans it could have meant, when none was named
    later: bool = False  # a pause for later dates: nothing changed
    retimed: bool = False  # new times of day, not a new status
    about_appointments: bool = False  # the words were about appointment texts, which no plan sends


def change_plans(session: Session, patient_id: int, request: str) -> PlanChange:
    """Apply the request to the plans it names (or the only one it can mean)."""
    status = (
        PlanStatus.ACTIVE if _RESUME.search(request) else PlanStatus.PAUSED if _PAUSE.search(request)
        else PlanStatus.STOPPED
    )
    if status is PlanStatus.PAUSED and _LATER.search(request):
        return PlanChange(status, later=True)
    plans = plans_of(session, patient_id)
    new_times = _new_times(request) if status is PlanStatus.STOPPED else []
    if new_times:
        return _retime(session, patient_id, plans, request, new_times)
    if status is PlanStatus.ACTIVE:
        plans = [p for p in plans if p.status is PlanStatus.PAUSED]
    kept_clause = _KEPT.search(request)
    meant = request[: kept_clause.start()] if kept_clause else request
    kept = [p for p in plans if kept_clause and p.medication.lower() in kept_clause.group(2).lower()]
    named = [p for p in plans if p.medication.lower() in meant.lower() and p not in kept]
    chosen: list[MedicationPlan] = named
    if not named and _ALL.search(meant):
        chosen = [p for p in plans if p not in kept]
    elif not named and len(plans) == 1 and not kept_clause and not _APPOINTMENTS.search(request):
        chosen = plans
    if not chosen and _APPOINTMENTS.search(request):
        return PlanChange(status, about_appointments=True)
    for plan in chosen:
        set_status(session, plan.id, status, patient_id=patient_id)
    return PlanChange(status, [describe(p) for p in chosen], [] if chosen else [describe(p) for p in plans])


def _new_times(request: str) -> list[time]:
    if not _RETIME.search(request) or re.search(r"\b(stop|end|cancel|quit)\b", request, re.I):
        return []
    tail = _NEW_TIMES.search(request)
    return parse_times(tail.group(1) if tail else request)


def _retime(
    session: Session, patient_id: int, plans: list[MedicationPlan], request: str, times: list[time]
) -> PlanChange:
    named = [p for p in plans if p.medication.lower() in request.lower()]
    chosen = named if len(named) == 1 else plans if len(plans) == 1 else []
    if not chosen:
        return PlanChange(PlanStatus.ACTIVE, candidates=[describe(p) for p in plans], retimed=True)
    set_times(session, chosen[0].id, times, patient_id)
    return PlanChange(chosen[0].status, [describe(chosen[0])], retimed=True)
