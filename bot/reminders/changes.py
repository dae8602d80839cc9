"""A patient's words about their medication plans: stop, pause, resume or retime the ones they name.

"Turn my pill reminders back on" and "unpause" read as stop requests to the classifier, and "unpause" is no
"pause": read as words here, they resume, never stop. A pause asked for later ("while I'm on vacation next
week") cannot be scheduled, so nothing is paused early and the patient is told how to do it on the day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time, timedelta

from sqlalchemy.orm import Session

from bot.reminders.drugs import first_drug
from bot.reminders.form_answers import corrected_times, shift_of, shifted
from bot.reminders.models import MedicationPlan, PlanStatus
from bot.reminders.parsing import parse_times
from bot.reminders.plans import describe, plan_times, plans_of, set_status, set_times
from bot.reminders.schedule_words import adds_a_time, times_a_day

_RESUME = re.compile(
    r"\b(resume|unpause|un-pause|restart|re-start|reactivate|re-?enable|back on|start (\w+ ){0,3}again"
    r"|turn (\w+ ){0,3}on)\b",
    re.I,
)
# "change my metformin reminder to 9pm", "move my pill texts from 8am to 9am": the times after "to" are the new ones.
# "can my thyroid pill reminder come at 6am instead", "my lisinopril time changed to 10 at night": new times too.
_RETIME = re.compile(
    r"\b(change|changed|move|switch|push|shift|make|set|update|reschedule|come|instead)\b", re.I
)
# "at 7 and 7 instead of 8 and 8": the times after these are the old ones.
_INSTEAD_OF = re.compile(r"\b(instead of|rather than|in place of)\b", re.I)
# The first "to" after the verb starts them ("to 9 in the morning and 9 at night" is two new times); with no
# "to", the last "at" or "for" ("make it at 9pm").
_NEW_TIMES_TO = re.compile(r"\bto\b(.*)$", re.I)
_NEW_TIMES = re.compile(r"\b(?:at|for)\b(?!.*\b(?:at|for)\b)(.*)$", re.I)
# One time of a plan named by its part of the day ("just my evening metformin reminder") or by the time itself
# ("the 8pm one", "from 9am"): a change to that time only, never to the plan's other doses.
_PART_OF_DAY = re.compile(r"\b(morning|afternoon|evening|night|nighttime|bedtime|nightly)s?\b", re.I)
_PLAN_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?\b(?!\s*(?:mg|mcg|ml|units?|iu|pills?|tabs?))", re.I
)
# What follows these says what the patient still does ("stop the evening one, i only take it in the morning now").
_CLAUSE_END = re.compile(r"[,;.!?]|\b(but|because|since|cause|cuz|i only|only in)\b", re.I)
# Where a new plan starts in a stop request ("stop the metformin reminders, I'm switching to jardiance - remind me
# for that at 8am"): what follows names another drug and its times, none of the stopped plan's (its 8 AM went).
_A_NEW_PLAN = re.compile(
    r"\b(remind me|set (me )?up a reminder|(i'?m|i am) (switching|changing|moving|starting|going on))\b", re.I
)
_PAUSE = re.compile(r"\b(pause|hold|break)\b", re.I)
# Only these words stop a plan. "change my metformin reminder" with no new time, or "how do i change my
# reminder", reach this service too and were read as a stop: now they are asked about and change nothing.
_STOP = re.compile(
    r"\b(stop|stopp?ed|end|cancel|quit|no more|don'?t need|dont need|no longer|off|delete|remove|unsubscribe|"
    r"opt out|disable|enough|any ?more|done with|finished)\b",
    re.I,
)
# "all my reminders", "both of them" (not "every morning": a time, not a count of plans).
_ALL = re.compile(r"\b(all|everything|both|every (one|reminder|plan|medication))\b", re.I)
# What is to be left as it is: "keep the atorvastatin one", "all except metformin", "but not my insulin".
_KEPT = re.compile(r"\b(keep|keeping|except|apart from|other than|but not|not the|leave|leaving)\b(.*)$", re.I)
# Texts about appointments are no plan: "stop texting me about appointments" (a plan named too is still meant).
_APPOINTMENTS = re.compile(r"\b(appointments?|appts?|visits?)\b", re.I)
_WEEKDAY = r"(mon|tues|wednes|thurs|fri|satur|sun)day"
_LATER = re.compile(
    rf"\b(next (week|month|{_WEEKDAY})|tomorrow|(from|starting|on|after) (this |next )?{_WEEKDAY}"
    r"|(from|starting) (the )?\d{1,2}(st|nd|rd|th)?\b"
    r"|(in|after) (a|one|two|three|four|\d+) (more )?(days?|weeks?|months?)"
    r"|when (the|my|this) (course|prescription|bottle|pack|treatment) (ends|runs out|is (done|over|finished)))",
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
    unclear: bool = False  # no word to stop, pause, resume or retime: nothing changed, the patient is asked
    kept: list[str] = field(default_factory=list)  # one time stopped: the plan as it still reminds
    dropped: list[time] = field(default_factory=list)  # the times stopped, when not the whole plan
    which_time: list[time] = field(default_factory=list)  # a retime naming none of the plan's several times
    medication: str = ""  # the plan of `which_time`
    new_plan: bool = False  # a time added for a drug with no plan: it is set up as a new one (read back first)
    then_remind: str = ""  # the words of a new reminder asked beside the stop ("... remind me for that at 8am")


def change_plans(session: Session, patient_id: int, request: str) -> PlanChange:
    """Apply the request to the plans it names (or the only one it can mean)."""
    status = (
        PlanStatus.ACTIVE if _RESUME.search(request) else PlanStatus.PAUSED if _PAUSE.search(request)
        else PlanStatus.STOPPED
    )
    if status in (PlanStatus.PAUSED, PlanStatus.STOPPED) and _LATER.search(request):
        # "the prednisone reminders can stop after 2 weeks" stopped them at once: a change for later is not made
        # early; the patient is told how to make it on the day.
        return PlanChange(status, later=True)
    if status is PlanStatus.STOPPED and adds_a_time(request) and not _STOP.search(request):
        return _add_times(session, patient_id, request)
    by = shift_of(request) if status is PlanStatus.STOPPED and not _STOP.search(request) else None
    if by:
        return _shift(session, patient_id, request, by)
    if status is PlanStatus.STOPPED and not _STOP.search(request) and not _new_times(request):
        return PlanChange(status, unclear=True)
    plans = plans_of(session, patient_id)
    new_times = _new_times(request) if status is PlanStatus.STOPPED else []
    if new_times:
        return _retime(session, patient_id, plans, request, new_times)
    if status is PlanStatus.ACTIVE:
        plans = [p for p in plans if p.status is PlanStatus.PAUSED]
    kept_clause = _KEPT.search(request)
    meant = request[: kept_clause.start()] if kept_clause else request
    new_plan = _A_NEW_PLAN.search(meant) if status is PlanStatus.STOPPED else None
    then_remind = ""
    if new_plan and new_plan.start():
        meant, rest = meant[: new_plan.start()], meant[new_plan.start() :]
        # Set up once the stop is done, read back first, when it asks for a reminder of a drug of its own.
        then_remind = rest if re.search(r"\bremind", rest, re.I) and first_drug(rest) else ""
    kept = [p for p in plans if kept_clause and p.medication.lower() in kept_clause.group(2).lower()]
    named = [p for p in plans if p.medication.lower() in meant.lower() and p not in kept]
    chosen: list[MedicationPlan] = named
    if not named and _ALL.search(meant):
        chosen = [p for p in plans if p not in kept]
    elif not named and len(plans) == 1 and not kept_clause and not _APPOINTMENTS.search(request):
        chosen = plans
    if not chosen and _APPOINTMENTS.search(request):
        return PlanChange(status, about_appointments=True)
    if status is PlanStatus.STOPPED and len(chosen) == 1:
        dropped = _named_times(chosen[0], _first_clause(meant))
        if dropped and len(dropped) < len(plan_times(chosen[0])):
            # One dose of several: only that time goes; the plan keeps reminding at the others.
            kept_times = [t for t in plan_times(chosen[0]) if t not in dropped]
            set_times(session, chosen[0].id, kept_times, patient_id)
            return PlanChange(status, [chosen[0].medication], kept=[describe(chosen[0])], dropped=dropped,
                              then_remind=then_remind)
    for plan in chosen:
        set_status(session, plan.id, status, patient_id=patient_id)
    # The reply names the new status ("Stopped: ..."), so each plan is described without it.
    changed = [describe(p, with_status=False) for p in chosen]
    return PlanChange(status, changed, [] if chosen else [describe(p) for p in plans],
                      then_remind=then_remind if chosen else "")


def _shift(session: Session, patient_id: int, request: str, by: timedelta) -> PlanChange:
    """ "my reminder for lisinopril make it one hour later": each time of the plan named (or the only one) moved
    by that much; with several plans and none named, which one is asked."""
    plans = plans_of(session, patient_id)
    named = [p for p in plans if p.medication.lower() in request.lower()]
    chosen = named if len(named) == 1 else plans if len(plans) == 1 else []
    if not chosen:
        return PlanChange(PlanStatus.ACTIVE, candidates=[describe(p) for p in plans], retimed=True)
    return _retime(session, patient_id, chosen, request, shifted(plan_times(chosen[0]), by))


def _add_times(session: Session, patient_id: int, request: str) -> PlanChange:
    """The times said added to the plan named (or the only one): its other times stay."""
    plans = plans_of(session, patient_id)
    named = [p for p in plans if p.medication.lower() in request.lower()]
    drug = first_drug(request)
    chosen = named if len(named) == 1 else plans if len(plans) == 1 and not named and not drug else []
    if not chosen:
        return PlanChange(PlanStatus.ACTIVE, new_plan=bool(drug and not named),
                          candidates=[describe(p) for p in plans], retimed=True)
    plan, tail = chosen[0], _NEW_TIMES.search(request)  # "one more ... at 6pm": "one" is no time
    old = plan_times(plan)
    added = [t for t in parse_times(tail.group(1) if tail else request) if t not in old]
    if not added:
        return PlanChange(plan.status, unclear=True)
    set_times(session, plan.id, sorted({*old, *added}), patient_id)
    return PlanChange(plan.status, [describe(plan)], retimed=True)


def correct_saved(session: Session, patient_id: int, plan_id: int, request: str) -> PlanChange:
    """New times for the plan just saved ("actually make it 9 instead", "oops i meant 9pm", "make it one hour
    later": each of its times an hour on): that plan, whatever others the patient has. A bare hour stays on its old
    time's side of noon, as at the read-back."""
    plan = session.get(MedicationPlan, plan_id)
    if plan is None or plan.patient_id != patient_id or plan.status is PlanStatus.STOPPED:
        return PlanChange(PlanStatus.ACTIVE, unclear=True)
    by = shift_of(request)
    times = shifted(plan_times(plan), by) if by else corrected_times(_before_instead_of(request), "", plan_times(plan))
    if not times:
        return PlanChange(plan.status, unclear=True)
    return _retime(session, patient_id, [plan], request, times)


def _first_clause(words: str) -> str:
    """The words up to the first clause break, when they name a time; else all of them."""
    end = _CLAUSE_END.search(words)
    head = words[: end.start()] if end else words
    return head if _PART_OF_DAY.search(head) or re.search(r"\d", head) else words


def _named_times(plan: MedicationPlan, words: str) -> list[time]:
    """The plan's times that `words` name: by part of day (morning before noon, afternoon until 5 PM, evening
    and night from 5 PM) or as a clock time ("8pm"; a bare "8" is either 8:00 of the plan's). Both said of one
    time ("my morning text ... instead of 8") name the times they agree on: a bare "8" once moved both."""
    times = plan_times(plan)
    by_part: set[time] = set()
    for match in _PART_OF_DAY.finditer(words):
        part = match.group(1).lower()
        by_part |= {
            t for t in times
            if (part == "morning" and t.hour < 12) or (part == "afternoon" and 12 <= t.hour < 17)
            or (part not in ("morning", "afternoon") and t.hour >= 17)
        }
    by_clock = _clock_named(times, words)
    return sorted(by_part & by_clock or by_part | by_clock)


def _clock_named(times: list[time], words: str) -> set[time]:
    named: set[time] = set()
    for hour_text, minute_text, meridiem in _PLAN_CLOCK.findall(words):
        hour, minute = int(hour_text), int(minute_text or 0)
        if hour > 23 or minute > 59:
            continue
        half = meridiem.lower()[:1]
        for t in times:
            same_hour = t.hour % 12 == hour % 12 if half or hour <= 12 else t.hour == hour
            if half == "a" and t.hour >= 12 or half == "p" and t.hour < 12:
                same_hour = False
            if same_hour and t.minute == minute:
                named.add(t)
    return named


def _new_times(request: str, count: int | None = None) -> list[time]:
    """The new times the words give; `count` is how many the plan has, for "7 and 7" to be two."""
    if not _RETIME.search(request) or re.search(r"\b(stop|end|cancel|quit)\b", request, re.I):
        return []
    return parse_times(_new_words(request), count)


def _before_instead_of(request: str) -> str:
    instead = _INSTEAD_OF.search(request)
    return request[: instead.start()] if instead else request


def _new_times_tail(request: str) -> re.Match[str] | None:
    verb = _RETIME.search(request)
    start = verb.end() if verb else 0
    return _NEW_TIMES_TO.search(request, start) or _NEW_TIMES.search(request, start)


def _new_words(request: str) -> str:
    """The words the new times are read from ("at 9" of "... should come at 9 instead of 8")."""
    new = _before_instead_of(request)
    tail = _new_times_tail(new)
    return tail.group(1) if tail else new


def _old_words(request: str) -> str:
    """The words before the new times ("change my lisinopril reminder from 9am" of "... from 9am to 10am"), and
    those after "instead of": "my evening metformin text ... instead of 8" is the 8 PM one."""
    head = _before_instead_of(request)
    tail = _new_times_tail(head)
    before = head[: tail.start()] if tail else ""
    instead = _INSTEAD_OF.search(request)
    return f"{before} {request[instead.end():]}" if instead else before


def _retime(
    session: Session, patient_id: int, plans: list[MedicationPlan], request: str, times: list[time]
) -> PlanChange:
    named = [p for p in plans if p.medication.lower() in request.lower()]
    chosen = named if len(named) == 1 else plans if len(plans) == 1 else []
    if not chosen:
        return PlanChange(PlanStatus.ACTIVE, candidates=[describe(p) for p in plans], retimed=True)
    plan = chosen[0]
    old = plan_times(plan)
    counted = _new_times(request, len(old)) if len(times) < len(old) else []
    if len(counted) == len(old):
        times = counted  # "7 and 7 instead of 8 and 8": 7 AM and 7 PM
    # "switch my metformin to just once a day at 8 am": as many times as said, in place of them all.
    replaced = len(times) >= len(old) or times_a_day(_before_instead_of(request)) == len(times)
    moved = _named_times(plan, _old_words(request)) if not replaced else []
    if moved and len(moved) <= len(times):
        if len(moved) == 1 and len(times) == 1:
            # "the evening one ... at 9": a bare hour stays on the moved time's side of noon (9 PM, not 9 AM).
            times = corrected_times(_new_words(request), "", moved) or times
        # "move just my evening one to 9pm": that time moves, the plan's other times stay.
        times = sorted({t for t in old if t not in moved} | set(times))
    elif not replaced:
        # Fewer new times than the plan has, and none of its times named (or a bare "8" naming both): which one
        # moves is asked, never guessed (replacing them all once dropped a dose).
        return PlanChange(plan.status, retimed=True, which_time=old, medication=plan.medication)
    set_times(session, plan.id, times, patient_id)
    return PlanChange(plan.status, [describe(plan)], retimed=True)
