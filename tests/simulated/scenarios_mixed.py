"""Two requests in one text where one half was dropped, and questions that started the wrong task (probe9
sections 7, 8 and 10), in words of their own: a choice by number with a question after it, a dose reply beside a
refill or a cancellation, a website or walk-in question, an insurer asked after in passing, a shot asked for."""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.world import (
    Booking,
    Plan,
    Slot,
    adherence,
    booked,
    cancelled,
    confirmed,
    plan_set,
    refill,
    told,
)

A = (Booking("a", "Alvarez", days=7),)
METFORMIN = (Plan("metformin", ("08:00", "20:00")),)

MIXED = [
    Scenario(
        "mixed-reminder-1-and-what-to-bring",
        "sms",
        "multi-request",
        "1, and what do i need to bring with me?",
        lambda u: [confirmed("a"), told("photo ID")],
        bookings=A,
        reminded="a",
    ),
    Scenario(
        "mixed-reminder-1-btw-parking",
        "sms",
        "hurried",
        "1. btw is there parking there",
        lambda u: [confirmed("a"), told("Elm Street")],
        bookings=A,
        reminded="a",
    ),
    Scenario(
        "mixed-took-it-and-refill",
        "sms",
        "multi-request",
        "took it, and could you put in a refill for me",
        lambda u: [adherence("taken"), refill("metformin")],
        plans=METFORMIN,
        medication_reminded=True,
    ),
    Scenario(
        "mixed-taken-then-order-refill",
        "sms",
        "hurried",
        "taken. can you also order more of it",
        lambda u: [adherence("taken"), refill("metformin")],
        plans=METFORMIN,
        medication_reminded=True,
    ),
    Scenario(
        "mixed-skip-and-cancel-appt",
        "sms",
        "multi-request",
        "skipping it today, and please cancel my appt next week",
        lambda u: [adherence("skipped"), cancelled("a")],
        bookings=A,
        plans=METFORMIN,
        medication_reminded=True,
    ),
    Scenario(
        "faq-website-question",
        "sms",
        "plain",
        "does the clinic have a website i can look at?",
        lambda u: [told("maplegrove.example")],
    ),
    Scenario(
        "faq-walk-in-question",
        "web",
        "plain",
        "can i just walk in or do i need to make an appointment",
        lambda u: [told("010-2000")],
    ),
    Scenario(
        "faq-insurer-in-passing",
        "sms",
        "hurried",
        "desperate to find out if u guys accept aetna",
        lambda u: [told("Aetna", "UnitedHealthcare")],
    ),
    Scenario(
        "refill-not-asked-for-a-while",
        "sms",
        "plain",
        "could you refill my amlodipine, i haven't needed to ask for ages",
        lambda u: [refill("amlodipine")],
    ),
    Scenario(
        "book-shot-appt-hurried",
        "sms",
        "hurried",
        "flu shot appointment thurs morning",
        lambda u: [booked(u, type_code="vaccination", slot=Slot(weekday=3, before=12))],
        upfront=("visit", "when"),
    ),
    Scenario(
        "book-booster-asked-for",
        "sms",
        "typos",
        "can i get my covid boostr this friday",
        lambda u: [booked(u, type_code="vaccination", slot=Slot(weekday=4))],
        upfront=("when",),
        facts={"visit": "vaccination"},
    ),
    Scenario(
        "book-rash-get-it-looked-at",
        "web",
        "plain",
        "I have a rash on my arm that won't clear up and I'd like to have it looked at",
        lambda u: [booked(u, type_code="skin_check")],
        facts={"when": "next week"},
    ),
    Scenario(
        "book-physical-day-question",
        "sms",
        "hurried",
        "physical friday?",
        lambda u: [booked(u, type_code="annual_physical", slot=Slot(weekday=4))],
        upfront=("visit", "when"),
    ),
    # On the web a refill waits for the identity check it needs (name, birth date, the texted code), then is filed
    # by the same after-verification rules as every other request; with a second request beside it, that follows.
    Scenario(
        "refill-web-after-check",
        "web",
        "plain",
        "could you put in a refill for my losartan",
        lambda u: [refill("losartan")],
    ),
    Scenario(
        "refill-web-then-reminder",
        "web",
        "multi-request",
        "pls refill my escitalopram and also remind me to take it at 9pm",
        lambda u: [refill("escitalopram"), plan_set("escitalopram", "21:00")],
        upfront=("medication", "times"),  # "it" is the drug just refilled
    ),
]
