"""Patients who correct themselves in the same text (round-5 probes): the part after "wait no", "hmm no",
"or actually" replaces what it corrects. Their words are their own (held out: none is in data/)."""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.world import Booking, booked, cancelled

TWO = (Booking("a", "Alvarez", days=3), Booking("b", "Bennett", "skin_check", days=9))

CORRECTIONS = [
    Scenario(
        "correct-cancel-skin-to-alvarez",
        "sms",
        "correction",
        "cancel my skin appointment. wait no, the one with alvarez",
        lambda u: [cancelled("a")],
        bookings=TWO,
        upfront=("appointment",),
        held_out=True,
    ),
    Scenario(
        "correct-chen-to-patel",
        "web",
        "correction",
        "book a follow up with dr chen, hmm, or actually dr patel is fine",
        lambda u: [booked(u, "Patel", "follow_up")],
        facts={"when": "thursday afternoon"},
        upfront=("visit",),
        held_out=True,
    ),
]
