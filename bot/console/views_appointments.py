"""A patient's appointments from the console: book, move, cancel (the conversation's scheduling services)."""

from __future__ import annotations

from datetime import date

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import load_profile
from bot.console import appointments
from bot.console.web import Ctx, page, redirect
from bot.models import Patient


def _first_day(ctx: Ctx, today: date) -> tuple[date, str | None]:
    raw = ctx.arg("day", 10)
    try:
        day = date.fromisoformat(raw) if raw else today
    except ValueError:
        return today, "Use a date like 2027-03-14."
    return (today, "Pick today or a later day.") if day < today else (day, None)


def register(app: Sanic) -> None:
    @page(app, "/patients/<patient_id:int>/book", methods=("GET", "POST"))
    def book_page(ctx: Ctx, patient_id: int) -> HTTPResponse:
        patient = ctx.session.get(Patient, patient_id)
        if patient is None:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such patient.")
        profile = load_profile(ctx.settings.clinic_profile)
        error = None
        if ctx.request.method == "POST":
            _, failed = ctx.attempt(
                lambda: appointments.book(ctx.session, profile, patient_id, ctx.form("slot", 60), ctx.signed.name),
                appointments.BookingError,
            )
            if failed is None:
                return redirect(f"/patients/{patient_id}?saved=1")
            error = str(failed)
        return _openings(ctx, profile, patient, None, error)

    @page(app, "/patients/<patient_id:int>/appointments/<appointment_id:int>/move", methods=("GET", "POST"))
    def move_page(ctx: Ctx, patient_id: int, appointment_id: int) -> HTTPResponse:
        appointment = appointments.of_patient(ctx.session, patient_id, appointment_id)
        if appointment is None:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such appointment.")
        profile = load_profile(ctx.settings.clinic_profile)
        error = None
        if ctx.request.method == "POST":
            _, failed = ctx.attempt(
                lambda: appointments.move(
                    ctx.session, profile, patient_id, appointment_id, ctx.form("slot", 60), ctx.signed.name
                ),
                appointments.BookingError,
            )
            if failed is None:
                return redirect(f"/patients/{patient_id}?saved=1")
            error = str(failed)
        return _openings(ctx, profile, appointment.patient, appointment, error)

    @page(app, "/patients/<patient_id:int>/appointments/<appointment_id:int>/cancel", methods=("POST",))
    def cancel(ctx: Ctx, patient_id: int, appointment_id: int) -> HTTPResponse:
        _, failed = ctx.attempt(
            lambda: appointments.cancel(ctx.session, patient_id, appointment_id, ctx.signed.name),
            appointments.BookingError,
        )
        if failed is None:
            return redirect(f"/patients/{patient_id}?saved=1")
        return ctx.render("message.html", status=409, title="Not cancelled", message=str(failed))


def _openings(ctx: Ctx, profile, patient: Patient, moving, error: str | None) -> HTTPResponse:
    """The search form and the open times it finds (for a new booking, or for moving `moving`)."""
    today = profile.local_now().date()
    first, day_error = _first_day(ctx, today)
    errors = {"day": day_error} if day_error else {}
    type_id = str(moving.appointment_type_id) if moving else ctx.arg("type", 9)
    provider_id = str(moving.provider_id) if moving else ctx.arg("provider", 9)
    found = None
    if type_id and not errors:
        found, failed = ctx.attempt(
            lambda: appointments.openings(
                ctx.session, profile, type_id, provider_id, first, moving.id if moving else None
            ),
            appointments.BookingError,
        )
        if failed is not None:
            errors["type"] = str(failed)
    return ctx.render(
        "book.html",
        patient=patient,
        moving=moving,
        choices=appointments.choices(ctx.session),
        type_id=type_id,
        provider_id=provider_id,
        day=first,
        found=found,
        errors=errors,
        error=error,
        zone=profile.zone.key,
        status=409 if error else (400 if errors else 200),
    )
