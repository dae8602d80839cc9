"""The facts FAQ answers are filled with, derived from the clinic profile.

The wording of each answer is in domain.yml (`utter_faq/<topic>`); this module turns the operator's profile
into the values those templates name, so an edit to bot/clinic.yml shows in the next answer. Holiday
closures are not profile facts: the caller passes the upcoming ones from the schedule's table
(`bot.scheduling.holidays.upcoming`), the same days availability keeps closed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot.clinic import ClinicProfile
from bot.reminders.policy import describe_offset

TOPICS = (
    "hours", "location", "parking", "insurance", "billing", "lab_results", "telehealth", "what_to_bring",
    "new_patient", "medical_records", "cancellation_policy", "contact", "covid_vaccine", "languages",
    "appointment_reminders",
)


def closures(upcoming: Sequence[tuple[date, str]]) -> str:
    if not upcoming:
        return ""
    return " Closed " + ", ".join(f"{d:%b} {d.day} ({name})" for d, name in upcoming) + "."


def values(
    profile: ClinicProfile, upcoming_holidays: Sequence[tuple[date, str]] = (), reminder_offsets: Sequence[int] = ()
) -> dict[str, str]:
    """Every placeholder an `utter_faq/*` response may use; `upcoming_holidays` fill "Closed Dec 25 (...)";
    `reminder_offsets`: when the dispatcher texts appointment reminders (minutes before, bot.reminders.policy)."""
    return {
        "clinic_name": profile.short_name,
        "hours": profile.weekly_hours(),
        "closures": closures(upcoming_holidays),
        "address": profile.address,
        "parking": profile.parking,
        "insurance_plans": ", ".join(profile.insurance_plans),
        "phone": profile.phone,
        "nurse_line": profile.nurse_line,
        "email": profile.email,
        "website": profile.website,
        "billing": profile.billing,
        "lab_results": profile.lab_results,
        "telehealth": profile.telehealth,
        "what_to_bring": profile.what_to_bring,
        "new_patient": profile.new_patient,
        "medical_records": profile.medical_records,
        "cancellation_policy": profile.cancellation_policy,
        "covid_vaccine": profile.covid_vaccine,
        "languages": ", ".join(profile.languages),
        "handoff_hours": profile.handoff_hours,
        "reminder_times": " and ".join(describe_offset(m) for m in reminder_offsets) or "before it",
    }


# Whether and when the clinic is open ("are you open on saturdays?", "do you have appointments on weekends?"): the
# hours answer it. Openings on a day asked about for a visit ("any openings friday?", "anything this weekend?") are
# a booking's; such a question inside the booking form was read as the day to book.
_ABOUT_HOURS = re.compile(
    r"\b(are|r) (you|u|y'?all|ya)( guys)? (open|closed)\b"
    r"|\b(is|will) (the )?(clinic|office|practice) (be )?(open|closed)\b"
    r"|\bwhat times? do (you|u) (open|close)\b|\b(your|the|clinic'?s|office) hours\b|\bopening hours\b"
    r"|\b(do|does) (you|u|y'?all|the clinic|the office) (have|do|offer|take|see patients|open)\b[^.?!]{0,25}"
    r"(?<!this )(?<!next )\b(weekends?|saturdays|sundays|evenings)\b",
    re.I,
)


def asks_about_hours(text: str) -> bool:
    return bool(_ABOUT_HOURS.search(text or ""))
