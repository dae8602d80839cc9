"""Patients as the testers of 2026-12-07 played them: a clinician sought by insurer or language, a drug named
anywhere in a refill, times said in words, a plan given up, and ordinary texts with alarming words that ask for
something. Their words are their own (held out: none is in data/)."""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.world import Plan, booked, handed_off, plan_retimed, plan_set, plan_stopped, refill

METFORMIN = (Plan("metformin", ("08:00", "20:00")),)

FOUND = [
    Scenario(
        "find-counselor-language",
        "sms",
        "plain",
        "could you look for a counselor who speaks spanish for me? afternoons are easiest",
        lambda u: [booked(u, "Moreau")],
        facts={"visit": "counseling", "when": "thursday afternoon"},
        held_out=True,
    ),
    Scenario(
        "find-doctor-insurance",
        "sms",
        "hurried",
        "im looking for a doctor that takes aetna, need a physical sometime next week",
        lambda u: [booked(u, type_code="annual_physical")],
        facts={"visit": "physical", "when": "next wednesday morning"},
        upfront=("visit",),
        held_out=True,
    ),
    Scenario(
        "refill-drug-after-colon",
        "sms",
        "hurried",
        "rx refill: escitalopram thx",
        lambda u: [refill("escitalopram")],
        held_out=True,
    ),
    Scenario(
        "refill-none-left",
        "sms",
        "plain",
        "the pharmacy says there are no refills left on my atorvastatin, could the doctor send a new one",
        lambda u: [refill("atorvastatin")],
        held_out=True,
    ),
    Scenario(
        "meds-half-past-formal",
        "sms",
        "elderly",
        "Good afternoon. Could you kindly send me a text each evening at half past six about my warfarin?",
        lambda u: [plan_set("warfarin", "18:30")],
        facts={"medication": "warfarin", "times": "6:30pm"},
        upfront=("medication", "times", "days"),
        held_out=True,
    ),
    Scenario(
        "meds-retime-in-words",
        "sms",
        "plain",
        "pls change my metformin reminders to 9 in the morning and 9 at night",
        lambda u: [plan_retimed("metformin", "09:00,21:00")],
        plans=METFORMIN,
        held_out=True,
    ),
    Scenario(
        "meds-taken-off",
        "sms",
        "elderly",
        "My doctor took me off metformin last week so I won't be needing those messages.",
        lambda u: [plan_stopped("metformin")],
        plans=METFORMIN,
        held_out=True,
    ),
    Scenario(
        "crisis-not-er-last-tuesday",
        "sms",
        "plain",
        "was at the ER last Tuesday with chest pains, they want me to see Dr Alvarez for a follow up",
        lambda u: [booked(u, provider="Alvarez")],
        facts={"visit": "follow up", "when": "friday morning"},
        held_out=True,
    ),
    Scenario(
        "crisis-not-bill-idiom",
        "sms",
        "hurried",
        "ur last bill gave me a heart attack lol, can someone call me about the charges",
        lambda u: [handed_off(u)],
        facts={"person": "1"},
        script=("yes please have someone call me",),
        held_out=True,
    ),
    Scenario(
        "book-skin-stuff-question",
        "web",
        "plain",
        "who's good for skin stuff? I've had a rash for weeks",
        lambda u: [booked(u, type_code="skin_check")],
        facts={"visit": "skin check", "when": "tuesday morning"},
        held_out=True,
    ),
]
