"""What the console's actions say to patients: one place, short, no drug names (minimum necessary)."""

from __future__ import annotations

from bot.clinic import ClinicProfile


def person_answering(profile: ClinicProfile) -> str:
    return f"A member of the {profile.short_name} team is answering you here now."


def assistant_back(profile: ClinicProfile) -> str:
    return f"Our team has finished here; {profile.short_name}'s automated assistant is back to help you."


def refill_done(profile: ClinicProfile) -> str:
    return f"{profile.short_name}: Your refill request has been approved and sent on. STOP to opt out"


def refill_declined(profile: ClinicProfile) -> str:
    return (
        f"{profile.short_name}: We could not approve your refill request. Please call us at "
        f"{profile.phone}. STOP to opt out"
    )
