"""Patients who ask two things in one text, answer a question by its number, or follow an FAQ answer's offer."""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.world import Slot, booked, plan_set, refill, told

MULTI = [
    Scenario(
        "multi-parking-and-flu-shot",
        "sms",
        "multi-request",
        "whats the parking situation and can i get a flu shot saturday morning",
        lambda u: [booked(u, type_code="vaccination", slot=Slot(weekday=5, before=12)), told("park")],
        upfront=("visit", "when"),
    ),
    Scenario(
        "multi-address-then-checkup",
        "sms",
        "multi-request",
        "where exactly are you located? also i need to book a checkup next week",
        lambda u: [booked(u, type_code="annual_physical", slot=Slot(min_days=1, max_days=14)), told("Orchard")],
        upfront=("visit", "when"),
    ),
    Scenario(
        "faq-new-patient-then-books",
        "sms",
        "plain",
        "just moved to the area, do you take new patients?",
        lambda u: [booked(u, type_code="new_patient")],
        facts={"when": "next thursday"},
    ),
    Scenario(
        "book-visit-by-number",
        "sms",
        "hurried",
        "need an appt",
        lambda u: [booked(u, type_code="sick_visit")],
        facts={"visit": "2", "when": "asap"},
    ),
    Scenario(
        "ask-physical-therapist",
        "sms",
        "plain",
        "do you have a physical therapist? my knee has been bad",
        lambda u: [told("don't have a physical therapist")],
        facts={"visit": "never mind"},
    ),
    Scenario(
        "multi-refill-and-reminder",
        "sms",
        "multi-request",
        "i need a refill on my albuterol inhaler and can you remind me to use it twice a day",
        lambda u: [refill("albuterol"), plan_set("albuterol", "08:00,20:00", "FREQ=DAILY")],
        facts={"medication": "albuterol", "times": "8am and 8pm"},
    ),
]
