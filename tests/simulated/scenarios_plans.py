"""Plan changes the round-5 testers found doing more or less than asked: a stop beside a refill stopped every plan
named, a stop beside a new drug stopped one time of the old plan and dropped the new one, "add a second ...
reminder" replaced the plan, and a corrected morning time became an evening one. Their words are held out."""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.world import Plan, plan_retimed, plan_set, plan_stopped, refill

METFORMIN_LISINOPRIL = (Plan("metformin", ("08:00", "20:00")), Plan("lisinopril", ("09:00",)))

PLAN_CHANGES = [
    Scenario(
        "plans-refill-and-stop-other",
        "sms",
        "multi-request",
        "please refill my metformin and stop the lisinopril reminder",
        lambda u: [refill("metformin"), plan_stopped("lisinopril")],
        plans=METFORMIN_LISINOPRIL,
        held_out=True,
    ),
    Scenario(
        "plans-hurried-refill-plus-stop",
        "sms",
        "hurried",
        "refill metformin + stop the lisinopril texts",
        lambda u: [refill("metformin"), plan_stopped("lisinopril")],
        plans=METFORMIN_LISINOPRIL,
        held_out=True,
    ),
    Scenario(
        "plans-stop-and-switch-drug",
        "sms",
        "multi-request",
        "stop the metformin reminders, I'm switching to jardiance - remind me for that at 8am daily",
        lambda u: [plan_stopped("metformin"), plan_set("jardiance", "08:00")],
        plans=(Plan("metformin", ("08:00", "20:00")),),
        upfront=("medication", "times"),
        held_out=True,
    ),
    Scenario(
        "plans-add-a-second-time",
        "sms",
        "plain",
        "add a second metformin reminder at 6pm",
        lambda u: [plan_retimed("metformin", "08:00,18:00")],
        plans=(Plan("metformin", ("08:00",)),),
        held_out=True,
    ),
    Scenario(
        "plans-morning-time-corrected",
        "web",
        "correction",
        "remind me to take losartan every morning at 7... scratch that, 6:30",
        lambda u: [plan_set("losartan", "06:30")],
        upfront=("medication", "times"),
        held_out=True,
    ),
]
