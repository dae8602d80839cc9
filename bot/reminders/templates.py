"""Reminder texts: the minimum necessary health information (HIPAA), short enough for one or two segments.

No drug name, provider specialty or visit reason unless chosen: a patient opts into the drug name
per plan; a clinic opts into provider and visit type in its profile (`reminder_details: [provider,
visit_type]`). Patients are never asked to reply CANCEL (a carrier opt-out keyword): 1/2/3 instead.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.clinic import ClinicProfile
from bot.clock import clock_text
from bot.models import Appointment
from bot.reminders.models import MedicationPlan
from bot.reminders.occurrence import DoseOccurrence


def appointment_text(appointment: Appointment, zone: ZoneInfo, profile: ClinicProfile) -> str:
    local = appointment.starts_at.astimezone(zone)
    details = profile.reminder_details
    what = "appointment"
    if "visit_type" in details and appointment.appointment_type is not None:
        what = f"{appointment.appointment_type.name} appointment"
    with_whom = f" with {appointment.provider.name}" if "provider" in details and appointment.provider else ""
    return (
        f"{profile.short_name}: Reminder of your {what}{with_whom} on {local:%a %b} {local.day} at "
        f"{clock_text(local.time())}. Reply 1 to confirm, 2 to cancel, 3 to reschedule. STOP to opt out"
    )


def medication_text(plan: MedicationPlan, occurrence: DoseOccurrence, profile: ClinicProfile) -> str:
    what = "medication"
    if plan.include_name:
        what = f"{plan.medication} {plan.dose}" if plan.dose else plan.medication
    return (
        f"{profile.short_name}: Time for your {clock_text(occurrence.clock)} {what}. "
        f"Reply TAKEN, SKIP or SNOOZE. STOP to opt out"
    )
