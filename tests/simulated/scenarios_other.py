"""Numbered replies, medication reminders, refills, questions, hand-off, stop and digressions."""
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
    handed_off,
    opted_out,
    plan_set,
    plan_stopped,
    refill,
    told,
)

A = (Booking("a", "Alvarez", days=5),)
BENNETT = (Booking("a", "Bennett", "skin_check", days=5),)
METFORMIN = (Plan("metformin", ("08:00", "20:00")),)

NUMBERS = [
    Scenario("digit-after-medical-offer", "sms", "elderly",
             "should I take two of my blood pressure pills if I missed one yesterday?",
             lambda u: [handed_off(u)], bookings=A, reminded="a", facts={"person": "1"}, script=("1",), held_out=True),
    Scenario("digit-without-offer", "sms", "ambiguous", "2", lambda u: [told("Mon")], bookings=A,
             facts={"cancel": "no", "which_number": "sorry, I meant to ask your opening hours"},
             rephrases=("what are your opening hours",)),
    # Over SMS a bare HELP is a carrier keyword (the channel answers it): patients ask in words.
    Scenario("digit-help-menu", "sms", "hurried", "what can you do?", lambda u: [handed_off(u)], script=("3",)),
    Scenario("digit-help-hours", "sms", "elderly", "What are the things you can help me with?", lambda u: [told("Mon")],
             script=("2",), held_out=True),
    Scenario("digit-after-fallback", "sms", "typos", "blorp flarg wibble", lambda u: [handed_off(u)],
             facts={"person": "1"}, script=("zzzz qqqq", "1")),
    Scenario("digit-web-typed", "web", "plain", "help", lambda u: [handed_off(u)], script=("3",)),
]

MEDICATION = [
    Scenario("meds-metformin-twice", "sms", "plain", "can you remind me to take my metformin twice a day at 8am and 8pm",
             lambda u: [plan_set("metformin", "08:00,20:00")], facts={"medication": "metformin", "times": "8am and 8pm"},
             upfront=("medication", "times"), held_out=True),
    Scenario("meds-want-reminders", "sms", "plain", "i want medication reminders please",
             lambda u: [plan_set("lisinopril", "09:00")], facts={"medication": "lisinopril", "times": "9am"},
             rephrases=("remind me to take my lisinopril",), held_out=True),
    Scenario("meds-insulin-no-end", "sms", "hurried", "Set a reminder for my insulin at 7 am every day, no end date",
             lambda u: [plan_set("insulin", "07:00", ends=False)], facts={"medication": "insulin", "times": "7am"},
             upfront=("medication", "times", "days", "until")),
    Scenario("meds-elderly-bedtime", "sms", "elderly",
             "My grandson says you can send me a text to remind me about my pills. I take my atorvastatin at "
             "bedtime, around 10 o'clock at night.", lambda u: [plan_set("atorvastatin", "22:00")],
             facts={"medication": "atorvastatin", "times": "10pm"}, upfront=("medication", "times"),
             rephrases=("remind me to take atorvastatin at 10pm",), held_out=True),
    Scenario("meds-typos-weekdays", "sms", "typos", "remnd me to tak my vitamin d at 9am on weekdays",
             lambda u: [plan_set("vitamin d", "09:00")], facts={"medication": "vitamin d", "times": "9am", "days": "weekdays"},
             upfront=("medication", "times", "days"), held_out=True),
    Scenario("meds-web-antibiotic", "web", "plain", "I'd like a reminder to take amoxicillin three times a day for 10 days",
             lambda u: [plan_set("amoxicillin", "08:00,14:00,20:00", ends=True)],
             facts={"medication": "amoxicillin", "times": "8am, 2pm and 8pm", "until": "for 10 days"},
             upfront=("medication", "until")),
    Scenario("meds-yes-is-no-name", "sms", "ambiguous", "set up a pill reminder",
             lambda u: [plan_set("levothyroxine", "06:00")], facts={"medication": ("yes please", "levothyroxine"), "times": "6am"}),
    Scenario("meds-stop", "sms", "plain", "stop my metformin reminders", lambda u: [plan_stopped("metformin")],
             plans=METFORMIN),
    Scenario("meds-pause-one-of-two", "sms", "plain", "pause the reminders for my lisinopril",
             lambda u: [plan_stopped("lisinopril")], plans=(Plan("metformin"), Plan("lisinopril", ("09:00",)))),
    Scenario("meds-web-stop-midway", "web", "plain", "remind me to take my meds", lambda u: [told("won't set")],
             facts={"medication": "stop"}),
    Scenario("meds-no-end-date", "sms", "elderly", "remind me about my blood pressure pill at 8am",
             lambda u: [plan_set("blood pressure", "08:00", ends=False)],
             facts={"medication": "blood pressure pill", "times": "8am", "until": "no end date"}, upfront=("times",)),
    Scenario("meds-taken", "sms", "hurried", "taken", lambda u: [adherence("taken")], plans=METFORMIN,
             medication_reminded=True),
    Scenario("meds-took-it", "sms", "plain", "took it thanks", lambda u: [adherence("taken")], plans=METFORMIN,
             medication_reminded=True, held_out=True),
    Scenario("meds-skip", "sms", "plain", "skip today", lambda u: [adherence("skipped")], plans=METFORMIN,
             medication_reminded=True),
]

REFILLS = [
    Scenario("refill-albuterol", "sms", "hurried", "need a refill on my albuterol inhaler", lambda u: [refill("albuterol")],
             held_out=True),
    Scenario("refill-metformin-plan", "sms", "plain", "can I get a refill of metformin", lambda u: [refill("metformin")],
             plans=METFORMIN),
    Scenario("refill-almost-out", "sms", "elderly", "I'm almost out of my lisinopril, can you send a refill to the pharmacy",
             lambda u: [refill("lisinopril")], held_out=True),
    Scenario("refill-bare", "sms", "hurried", "refill pls", lambda u: [refill(None)]),
    Scenario("refill-typos", "sms", "typos", "i need a refil for my sertraline", lambda u: [refill("sertraline")],
             held_out=True),
]

QUESTIONS = [
    Scenario("faq-hours", "sms", "plain", "what are your hours", lambda u: [told("Mon")]),
    Scenario("faq-elderly-where", "sms", "elderly", "Could you tell me please where exactly your office is located?",
             lambda u: [told("Orchard Street")], held_out=True),
    Scenario("faq-aetna", "sms", "hurried", "do u take aetna", lambda u: [told("Aetna")]),
    Scenario("faq-nonnative-parking", "sms", "non-native", "Is there place for park the car?", lambda u: [told("garage")],
             held_out=True),
    Scenario("faq-web-labs", "web", "plain", "how do I get my lab results", lambda u: [told("portal")]),
    Scenario("faq-spanish", "sms", "plain", "do you have someone who speaks spanish", lambda u: [told("Spanish")]),
    Scenario("faq-cancel-notice", "sms", "plain", "how much notice do I need to give to cancel", lambda u: [told("24 hours")],
             bookings=A, held_out=True),
    Scenario("faq-what-to-bring", "sms", "plain", "what should i bring to my first appointment", lambda u: [told("photo ID")]),
    Scenario("faq-inside-booking", "sms", "digression", "book a checkup",
             lambda u: [booked(u, type_code="annual_physical", slot=Slot(weekday=4)), told("Medicare")],
             facts={"when": ("do you take medicare?", "friday")}, upfront=("visit",)),
]

HANDOFF_AND_STOP = [
    Scenario("handoff-real-person", "sms", "plain", "can i talk to a real person", lambda u: [handed_off(u)]),
    Scenario("handoff-elderly-nurse", "sms", "elderly",
             "I'd rather speak with one of the nurses or the receptionist if I may", lambda u: [handed_off(u)], held_out=True),
    Scenario("handoff-inside-form", "sms", "digression", "book an appointment", lambda u: [handed_off(u)],
             facts={"visit": "actually can I just talk to someone"}),
    Scenario("handoff-web", "web", "hurried", "human please", lambda u: [handed_off(u)]),
    Scenario("stop-keyword", "sms", "hurried", "STOP", lambda u: [opted_out()]),
    Scenario("stop-in-words", "sms", "plain", "please stop texting me", lambda u: [opted_out()],
             facts={"confirm": "yes"}),
    Scenario("stop-web-inside-form", "web", "plain", "book a checkup", lambda u: [told("stopped")],
             facts={"when": "stop"}, upfront=("visit",)),
    Scenario("stop-sms-never-mind", "sms", "plain", "book appointment", lambda u: [told("stopped")],
             facts={"visit": "never mind"}),
    Scenario("stop-web-alone", "web", "hurried", "stop", lambda u: [told("")]),
]

DIGRESSIONS = [
    Scenario("digress-list-inside-form", "sms", "digression", "I want to book a follow up",
             lambda u: [booked(u, type_code="follow_up", slot=Slot(weekday=1)), told("Bennett")], bookings=BENNETT,
             facts={"when": ("wait, when is my next appointment?", "next tuesday")}, upfront=("visit",), held_out=True),
    Scenario("digress-switch-to-cancel", "sms", "digression", "book me a checkup", lambda u: [cancelled("a")],
             bookings=A, facts={"when": "actually i need to cancel my appointment instead"}, held_out=True),
    Scenario("list-appointments", "sms", "plain", "what appointments do i have coming up", lambda u: [told("Alvarez")],
             bookings=A),
    Scenario("greet-then-book", "sms", "elderly", "hi", lambda u: [booked(u, type_code="sick_visit")],
             script=("i'd like to book a sick visit for tomorrow",), facts={"visit": "sick visit", "when": "tomorrow"}),
    Scenario("bot-challenge", "sms", "plain", "are you a robot", lambda u: [told("automated")]),
    Scenario("kid-fever-see", "sms", "plain", "my kid has a fever of 101, should I bring him in?",
             lambda u: [booked(u, type_code="sick_visit")], facts={"visit": "sick visit", "when": "tomorrow morning"},
             rephrases=("book a sick visit for my son",), held_out=True),
    Scenario("missed-pill-question", "sms", "plain", "I missed my blood pressure pill this morning, should I take two tonight?",
             lambda u: [told("nurse")], held_out=True),
    Scenario("confirm-then-thanks", "sms", "plain", "i'll be there, see you then", lambda u: [confirmed("a")],
             bookings=A, reminded="a"),
]
