"""Admin pages that set up the schedule: providers, visit types, weekly hours, time off and clinic holidays.

Each page calls a `bot.scheduling` service (the rows availability reads), inside a savepoint: bad input or
a stale form (`editing.Invalid` / `editing.Stale`) undoes the whole edit, and the page is shown again with the
message next to the field (400; 409 when someone else saved first, with their version in the form).
Every change is audit-logged with its before and after. Front desk staff see the schedule but cannot reach these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import WEEKDAYS, load_profile
from bot.console import audit
from bot.console.web import ADMIN, Ctx, page, redirect
from bot.models import Provider
from bot.scheduling import holidays, hours, roster
from bot.scheduling.editing import Change, Invalid, Stale

PROVIDER_FIELDS = ("name", "specialty", "location", "active", "version")
TYPE_FIELDS = ("name", "minutes", "version")


def _form(ctx: Ctx, names: tuple[str, ...] | list[str]) -> dict[str, str]:
    return {name: ctx.form(name, 400) for name in names}


def _apply(ctx: Ctx, edit: Callable[[], Change]) -> Invalid | None:
    """Run `edit` whole or not at all; record what it changed in the audit log."""

    def audited() -> None:
        change = edit()
        audit.record(ctx.session, ctx.signed.name, change.action, change.target, change.before, change.after)

    _, failed = ctx.attempt(audited, Invalid)
    return failed


def _status(failed: Invalid | None) -> int:
    return 409 if isinstance(failed, Stale) else 400 if failed else 200


def register(app: Sanic) -> None:
    @page(app, "/schedule/providers", methods=("GET", "POST"), role=ADMIN)
    def providers_page(ctx: Ctx) -> HTTPResponse:
        form = {"active": "on", "location": load_profile(ctx.settings.clinic_profile).address}
        failed = None
        if ctx.request.method == "POST":
            form = _form(ctx, PROVIDER_FIELDS)
            failed = _apply(ctx, lambda: roster.save_provider(ctx.session, None, form))
            if failed is None:
                return redirect("/schedule/providers?saved=1")
        return ctx.render(
            "providers.html",
            providers=roster.providers(ctx.session),
            specialties=roster.specialties(ctx.session),
            form=form,
            errors=failed.errors if failed else {},
            saved=ctx.arg("saved") == "1",
            status=_status(failed),
        )

    @page(app, "/schedule/providers/<provider_id:int>", methods=("GET", "POST"), role=ADMIN)
    def provider_page(ctx: Ctx, provider_id: int) -> HTTPResponse:
        if ctx.request.method == "GET":
            return _provider(ctx, provider_id, saved=ctx.arg("saved", 20))
        form = _form(ctx, PROVIDER_FIELDS)
        failed = _apply(ctx, lambda: roster.save_provider(ctx.session, provider_id, form))
        return _after(ctx, provider_id, "details", form, failed)

    @page(app, "/schedule/providers/<provider_id:int>/hours", methods=("POST",), role=ADMIN)
    def hours_page(ctx: Ctx, provider_id: int) -> HTTPResponse:
        form = _form(ctx, [f"hours_{day}" for day in WEEKDAYS] + ["version"])
        today = load_profile(ctx.settings.clinic_profile).local_now().date()
        failed = _apply(ctx, lambda: hours.save_week(ctx.session, provider_id, form, today))
        return _after(ctx, provider_id, "hours", form, failed)

    @page(app, "/schedule/providers/<provider_id:int>/time-off", methods=("POST",), role=ADMIN)
    def time_off_page(ctx: Ctx, provider_id: int) -> HTTPResponse:
        form = _form(ctx, ("first", "last", "reason"))
        profile = load_profile(ctx.settings.clinic_profile)
        today = profile.local_now().date()
        failed = _apply(ctx, lambda: hours.add_time_off(ctx.session, provider_id, form, profile.zone, today))
        return _after(ctx, provider_id, "time_off", form, failed)

    @page(app, "/schedule/providers/<provider_id:int>/time-off/<time_off_id:int>/remove", methods=("POST",),
          role=ADMIN)
    def remove_time_off(ctx: Ctx, provider_id: int, time_off_id: int) -> HTTPResponse:
        zone = load_profile(ctx.settings.clinic_profile).zone
        failed = _apply(ctx, lambda: hours.remove_time_off(ctx.session, provider_id, time_off_id, zone))
        return _after(ctx, provider_id, "time_off", {}, failed)

    register_catalog(app)


def _after(ctx: Ctx, provider_id: int, section: str, form: dict[str, str], failed: Invalid | None) -> HTTPResponse:
    if failed is None:
        return redirect(f"/schedule/providers/{provider_id}?saved={section}")
    if isinstance(failed, Stale):  # show what is saved now: the submitted values are the stale ones
        return _provider(ctx, provider_id, errors={section: failed.errors}, status=409)
    return _provider(ctx, provider_id, forms={section: form}, errors={section: failed.errors}, status=400)


def _provider(
    ctx: Ctx,
    provider_id: int,
    forms: dict[str, dict[str, str]] | None = None,
    errors: dict[str, dict[str, str]] | None = None,
    saved: str = "",
    status: int = 200,
) -> HTTPResponse:
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        return ctx.render("message.html", status=404, title="Not found", message="There is no such provider.")
    profile = load_profile(ctx.settings.clinic_profile)
    today = profile.local_now().date()
    week, week_version = hours.week_form(ctx.session, provider_id, today)
    details = {**roster.provider_values(provider), "version": roster.provider_version(provider)}
    details["active"] = "on" if provider.active else ""
    shown: dict[str, dict[str, Any]] = {"details": details, "hours": {**week, "version": week_version},
                                        "time_off": {}}
    shown.update(forms or {})  # a refused form shows what was typed (a stale one is not passed: the saved one shows)
    return ctx.render(
        "provider.html",
        provider=provider,
        forms=shown,
        errors=errors or {},
        saved=saved,
        weekdays=WEEKDAYS,
        specialties=roster.specialties(ctx.session),
        absences=hours.time_off(ctx.session, provider_id, profile.zone, today),
        booked_ahead=roster.booked_ahead(ctx.session, provider_id) if not provider.active else 0,
        today=today,
        status=status,
    )


def register_catalog(app: Sanic) -> None:
    @page(app, "/schedule/visit-types", methods=("GET", "POST"), role=ADMIN)
    def visit_types_page(ctx: Ctx) -> HTTPResponse:
        return _visit_type(ctx, None)

    @page(app, "/schedule/visit-types/<type_id:int>", methods=("POST",), role=ADMIN)
    def visit_type_page(ctx: Ctx, type_id: int) -> HTTPResponse:
        return _visit_type(ctx, type_id)

    @page(app, "/schedule/visit-types/<type_id:int>/<change>", methods=("POST",), role=ADMIN)
    def visit_type_offered(ctx: Ctx, type_id: int, change: str) -> HTTPResponse:
        if change not in ("retire", "offer"):
            return ctx.render("message.html", status=404, title="Not found", message="There is no such action.")
        version = ctx.form("version", 40)
        failed = _apply(ctx, lambda: roster.set_visit_type_offered(ctx.session, type_id, change == "offer", version))
        if failed is None:
            return redirect("/schedule/visit-types?saved=1")
        return _visit_types(ctx, str(type_id), {}, failed)

    @page(app, "/schedule/holidays", methods=("GET", "POST"), role=ADMIN)
    def holidays_page(ctx: Ctx) -> HTTPResponse:
        today = load_profile(ctx.settings.clinic_profile).local_now().date()
        form: dict[str, str] = {}
        failed = None
        if ctx.request.method == "POST":
            form = _form(ctx, ("day", "name"))
            failed = _apply(ctx, lambda: holidays.add(ctx.session, form, today))
            if failed is None:
                return redirect("/schedule/holidays?saved=1")
        return _holidays(ctx, form, failed)

    @page(app, "/schedule/holidays/<day>/remove", methods=("POST",), role=ADMIN)
    def remove_holiday(ctx: Ctx, day: str) -> HTTPResponse:
        failed = _apply(ctx, lambda: holidays.remove(ctx.session, day[:10]))
        return redirect("/schedule/holidays?saved=1") if failed is None else _holidays(ctx, {}, failed)


def _holidays(ctx: Ctx, form: dict[str, str], failed: Invalid | None) -> HTTPResponse:
    profile = load_profile(ctx.settings.clinic_profile)
    return ctx.render(
        "holidays.html",
        holidays=holidays.listed(ctx.session, profile.local_now().date(), profile.zone),
        form=form,
        errors=failed.errors if failed else {},
        saved=ctx.arg("saved") == "1",
        status=_status(failed),
    )


def _visit_type(ctx: Ctx, type_id: int | None) -> HTTPResponse:
    failed, form, offered = None, {}, []
    if ctx.request.method == "POST":
        form = _form(ctx, TYPE_FIELDS)
        ticked = ctx.request.form.getlist("offered_by") if ctx.request.form else None  # None when none ticked
        offered = [v[:80] for v in ticked or ()][:50]
        failed = _apply(ctx, lambda: roster.save_visit_type(ctx.session, type_id, form, offered))
        if failed is None:
            return redirect("/schedule/visit-types?saved=1")
    editing = "new" if type_id is None else str(type_id)
    return _visit_types(ctx, editing, {} if isinstance(failed, Stale) else {**form, "offered_by": offered}, failed)


def _visit_types(ctx: Ctx, editing: str, form: dict[str, Any], failed: Invalid | None) -> HTTPResponse:
    return ctx.render(
        "visit_types.html",
        types=roster.visit_types(ctx.session),
        specialties=roster.specialties(ctx.session),
        editing=editing if failed else "",
        form=form,
        errors=failed.errors if failed else {},
        saved=ctx.arg("saved") == "1",
        status=_status(failed),
    )
