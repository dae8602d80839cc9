"""Patients: search, one patient's appointments, consent and medication plans, and plan changes."""

from __future__ import annotations

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import load_profile
from bot.console import patients, plans
from bot.console.web import Ctx, page, redirect
from bot.db import utcnow
from bot.reminders.models import PlanStatus
from bot.reminders.plans import describe

# The fields a preview checks as plans.create does: the ones it finds right lose a refused save's message.
CHECKED = ("medication", "dose", "times", "days", "start", "end")
STATUS_ACTIONS = {"pause": PlanStatus.PAUSED, "resume": PlanStatus.ACTIVE, "stop": PlanStatus.STOPPED}


def _form(ctx: Ctx) -> dict[str, str]:
    names = ("medication", "dose", "times", "days", "start", "end", "include_name", "version")
    return {name: ctx.form(name, 200) for name in names}


def _days(ctx: Ctx) -> list[str]:
    return [d for d in (ctx.request.form.getlist("weekday") or []) if d in plans.WEEKDAYS] if ctx.request.form else []


def register(app: Sanic) -> None:
    @page(app, "/patients")
    def patients_page(ctx: Ctx) -> HTTPResponse:
        query = ctx.arg("q", 100)
        return ctx.render("patients.html", q=query, found=patients.search(ctx.session, query) if query else None)

    @page(app, "/patients/<patient_id:int>")
    def patient_page(ctx: Ctx, patient_id: int) -> HTTPResponse:
        return _patient(ctx, patient_id)

    @page(app, "/patients/<patient_id:int>/preview", methods=("POST",))
    def plan_preview(ctx: Ctx, patient_id: int) -> HTTPResponse:
        view = patients.patient_view(ctx.session, patient_id)
        if view is None:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such patient.")
        try:
            draft = plans.read_form(_form(ctx), _days(ctx))
        except plans.FormError as error:
            fine = [name for name in CHECKED if name not in error.errors]
            return ctx.render("plan_preview.html", preview=None, errors=error.errors, fine=fine)
        return ctx.render(
            "plan_preview.html",
            errors={},
            fine=CHECKED,
            preview=plans.preview(view.patient, draft, load_profile(ctx.settings.clinic_profile)),
        )

    @page(app, "/patients/<patient_id:int>/plans", methods=("POST",))
    def plan_create(ctx: Ctx, patient_id: int) -> HTTPResponse:
        form = _form(ctx)
        _, error = ctx.attempt(
            lambda: plans.create(ctx.session, patient_id, plans.read_form(form, _days(ctx)), ctx.signed.name),
            plans.FormError,
        )
        if error is None:
            return redirect(f"/patients/{patient_id}?saved=1")
        return _patient(ctx, patient_id, errors=error.errors, form=form, days=_days(ctx))

    @page(app, "/patients/<patient_id:int>/plans/<plan_id:int>", methods=("GET", "POST"))
    def plan_edit(ctx: Ctx, patient_id: int, plan_id: int) -> HTTPResponse:
        view = patients.patient_view(ctx.session, patient_id)
        plan = next((p for p in view.plans if p.id == plan_id), None) if view else None
        if plan is None:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such plan.")
        if ctx.request.method == "GET":
            return ctx.render(
                "plan_edit.html",
                view=view,
                plan=plan,
                form=plans.form_of(plan),
                errors={},
                days=plans.picked_days(plan),
                version=plans.version_of(plan),
            )
        form = _form(ctx)
        _, error = ctx.attempt(
            lambda: plans.edit(
                ctx.session, patient_id, plan_id, form["version"], plans.read_form(form, _days(ctx)), ctx.signed.name
            ),
            plans.FormError,
        )
        if error is None:
            return redirect(f"/patients/{patient_id}?saved=1")
        return ctx.render(
            "plan_edit.html",
            view=view,
            plan=plan,
            form=form,
            errors=error.errors,
            days=_days(ctx),
            version=plans.version_of(plan),
            status=409 if "plan" in error.errors else 400,
        )

    @page(app, "/patients/<patient_id:int>/plans/<plan_id:int>/<action>", methods=("POST",))
    def plan_status(ctx: Ctx, patient_id: int, plan_id: int, action: str) -> HTTPResponse:
        if action not in STATUS_ACTIONS:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such action.")
        _, error = ctx.attempt(
            lambda: plans.set_status(
                ctx.session, patient_id, plan_id, ctx.form("version", 40), STATUS_ACTIONS[action], ctx.signed.name
            ),
            plans.FormError,
        )
        if error is None:
            return redirect(f"/patients/{patient_id}?saved=1")
        return _patient(ctx, patient_id, errors=error.errors, status=409)


def _patient(
    ctx: Ctx,
    patient_id: int,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    days: list[str] | None = None,
    status: int | None = None,
) -> HTTPResponse:
    view = patients.patient_view(ctx.session, patient_id)
    if view is None:
        return ctx.render("message.html", status=404, title="Not found", message="There is no such patient.")
    return ctx.render(
        "patient.html",
        view=view,
        errors=errors or {},
        form=form or {"days": "daily"},
        days=days or [],
        describe=describe,
        version_of=plans.version_of,
        saved=ctx.arg("saved") == "1",
        zone=view.patient.time_zone,
        now=utcnow(),
        status=status or (400 if errors else 200),
    )
