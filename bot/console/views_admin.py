"""Admin pages: staff accounts, the audit log and the clinic facts."""

from __future__ import annotations

from datetime import date

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import WEEKDAYS, load_profile
from bot.console import accounts, audit, clinic_facts
from bot.console.web import ADMIN, Ctx, page, redirect


def register(app: Sanic) -> None:
    @page(app, "/staff", methods=("GET", "POST"), role=ADMIN)
    def staff_page(ctx: Ctx) -> HTTPResponse:
        errors: dict[str, str] = {}
        created: tuple[str, str] | None = None
        if ctx.request.method == "POST":
            name, role = ctx.form("name", 100), ctx.form("role", 20)
            result, error = ctx.attempt(
                lambda: accounts.create_staff(ctx.session, name, role, ctx.signed.name), accounts.AccountError
            )
            if error is not None:
                errors[error.field] = str(error)
            elif result is not None:
                created = (result[0].name, result[1])
        return ctx.render(
            "staff.html",
            accounts=accounts.staff_list(ctx.session),
            errors=errors,
            created=created,
            form=ctx.request.form or {},
            status=400 if errors else 200,
        )

    @page(app, "/staff/<staff_id:int>/<action>", methods=("POST",), role=ADMIN)
    def staff_action(ctx: Ctx, staff_id: int, action: str) -> HTTPResponse:
        calls = {
            "disable": lambda: accounts.set_active(ctx.session, staff_id, False, ctx.signed.name),
            "enable": lambda: accounts.set_active(ctx.session, staff_id, True, ctx.signed.name),
            "reset": lambda: accounts.reset_password(ctx.session, staff_id, ctx.signed.name),
        }
        if action not in calls:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such action.")
        result, error = ctx.attempt(calls[action], accounts.AccountError)
        reset = None
        if error is None and action == "reset":
            reset = (next(a.name for a in accounts.staff_list(ctx.session) if a.id == staff_id), result)
        return ctx.render(
            "staff.html",
            accounts=accounts.staff_list(ctx.session),
            created=reset,
            form={},
            errors={"staff": str(error)} if error else {},
            status=400 if error else 200,
        )

    @page(app, "/audit", role=ADMIN)
    def audit_page(ctx: Ctx) -> HTTPResponse:
        raw = ctx.arg("offset", 9)
        offset, actor, action = int(raw) if raw.isdigit() else 0, ctx.arg("actor", 80), ctx.arg("action", 60)
        found = audit.entries(ctx.session, actor=actor, action=action, offset=offset)
        zone = load_profile(ctx.settings.clinic_profile).zone.key  # staff read the clinic's clock, as elsewhere
        return ctx.render(
            "audit.html", found=found, actor=actor, action=action, offset=offset, page=audit.PAGE, zone=zone
        )

    register_clinic(app)


def register_clinic(app: Sanic) -> None:
    @page(app, "/clinic", methods=("GET", "POST"), role=ADMIN)
    def clinic_page(ctx: Ctx) -> HTTPResponse:
        path = ctx.settings.clinic_profile
        current = clinic_facts.read(path)
        today = load_profile(path).local_now().date()
        if ctx.request.method == "GET":
            return _facts(ctx, current, clinic_facts.form_of(current.facts), {}, today, saved=ctx.arg("saved") == "1")
        form = {name: ctx.form(name, 4000) for name in clinic_facts.form_of(current.facts)}
        try:
            edited = clinic_facts.parse(form, current.facts)
        except clinic_facts.FactsError as error:
            return _facts(ctx, current, form, error.errors, today, status=400)
        if ctx.form("action") == "preview":
            return _facts(
                ctx,
                current,
                form,
                {},
                today,
                preview=clinic_facts.preview(edited, today),
                version=ctx.form("version", 64),
            )
        _, stale = ctx.attempt(
            lambda: clinic_facts.save(ctx.session, path, ctx.form("version", 64), edited, ctx.signed.name),
            clinic_facts.FactsError,
        )
        if stale is not None:
            return _facts(ctx, clinic_facts.read(path), form, stale.errors, today, status=409)
        return redirect("/clinic?saved=1")


def _facts(
    ctx: Ctx,
    current: clinic_facts.Facts,
    form: dict[str, str],
    errors: dict[str, str],
    today: date,
    preview: list[tuple[str, str]] | None = None,
    version: str | None = None,
    saved: bool = False,
    status: int = 200,
) -> HTTPResponse:
    return ctx.render(
        "clinic.html",
        form=form,
        errors=errors,
        version=version or current.version,
        saved=saved,
        preview=preview if preview is not None else clinic_facts.preview(current.facts, today),
        text_fields=clinic_facts.TEXT_FIELDS,
        list_fields=clinic_facts.LIST_FIELDS,
        weekdays=WEEKDAYS,
        status=status,
    )
