"""Answers to the clinic's frequently asked questions, filled from the clinic profile."""
from __future__ import annotations

from datetime import date
from typing import Callable

from bot.clinic import WEEKDAYS, ClinicProfile


def _hours(p: ClinicProfile, today: date) -> str:
    lines = []
    for day in WEEKDAYS:
        spec = str(p["hours"].get(day, "closed"))
        lines.append(f"{day.capitalize()[:3]} {_pretty_range(spec)}")
    text = f"{p.short_name} hours: " + ", ".join(lines) + "."
    closures = p.upcoming_holidays(today)
    if closures:
        text += " Closed " + ", ".join(f"{d:%b} {d.day} ({n})" for d, n in closures) + "."
    return text


def _pretty_range(spec: str) -> str:
    if spec == "closed":
        return "closed"
    return "-".join(_pretty_time(part) for part in spec.split("-"))


def _pretty_time(hhmm: str) -> str:
    hour, minute = (int(x) for x in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


ANSWERS: dict[str, Callable[[ClinicProfile, date], str]] = {
    "hours": _hours,
    "location": lambda p, _: f"We're at {p['address']}.",
    "parking": lambda p, _: p["parking"],
    "insurance": lambda p, _: "We accept " + ", ".join(p["insurance_plans"])
    + f". Not on the list? Call {p['phone']} and we'll check your plan.",
    "billing": lambda p, _: p["billing"],
    "lab_results": lambda p, _: p["lab_results"],
    "telehealth": lambda p, _: p["telehealth"],
    "what_to_bring": lambda p, _: p["what_to_bring"],
    "new_patient": lambda p, _: p["new_patient"],
    "medical_records": lambda p, _: p["medical_records"],
    "cancellation_policy": lambda p, _: p["cancellation_policy"],
    "contact": lambda p, _: f"Call us at {p['phone']}, email {p['email']}, or visit {p['website']}.",
    "covid_vaccine": lambda p, _: p["covid_vaccine"],
    "languages": lambda p, _: "Our staff speak " + ", ".join(p["languages"])
    + ". Interpreters for other languages are free; ask when you book.",
}


def answer(topic: str, profile: ClinicProfile, today: date) -> str | None:
    """The answer for an FAQ topic ('hours', or the full key 'faq/hours'); None for an unknown topic."""
    render = ANSWERS.get(topic.split("/", 1)[-1])
    return render(profile, today) if render else None
