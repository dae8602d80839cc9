"""Admin pages: staff accounts and the audit log."""
from __future__ import annotations

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.console import accounts, audit
from bot.console.web import ADMIN, Ctx, page


def register(app: Sanic) -> None:
    @page(app, "/staff", methods=("GET", "POST"), role=ADMIN)
    def staff_page(ctx: Ctx) -> HTTPResponse:
        errors: dict[str, str] = {}
        created: tuple[str, str] | None = None
        if ctx.request.method == "POST":
            name, role = ctx.form("name", 100), ctx.form("role", 20)
            result, error = ctx.attempt(lambda: accounts.create_staff(ctx.session, name, role, ctx.staff.name),
                                        accounts.AccountError)
            if error is not None:
                errors[error.field] = str(error)
            else:
                created = (result[0].name, result[1])
        return ctx.render("staff.html", accounts=accounts.staff_list(ctx.session), errors=errors, created=created,
                          form=ctx.request.form or {}, status=400 if errors else 200)

    @page(app, "/staff/<staff_id:int>/<action>", methods=("POST",), role=ADMIN)
    def staff_action(ctx: Ctx, staff_id: int, action: str) -> HTTPResponse:
        calls = {
            "disable": lambda: accounts.set_active(ctx.session, staff_id, False, ctx.staff.name),
            "enable": lambda: accounts.set_active(ctx.session, staff_id, True, ctx.staff.name),
            "reset": lambda: accounts.reset_password(ctx.session, staff_id, ctx.staff.name),
        }
        if action not in calls:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such action.")
        result, error = ctx.attempt(calls[action], accounts.AccountError)
        reset = None
        if error is None and action == "reset":
            reset = (next(a.name for a in accounts.staff_list(ctx.session) if a.id == staff_id), result)
        return ctx.render("staff.html", accounts=accounts.staff_list(ctx.session), created=reset, form={},
                          errors={"staff": str(error)} if error else {}, status=400 if error else 200)

    @page(app, "/audit", role=ADMIN)
    def audit_page(ctx: Ctx) -> HTTPResponse:
        offset = ctx.arg("offset", 9)
        found = audit.entries(ctx.session, actor=ctx.arg("actor", 80), offset=int(offset) if offset.isdigit() else 0)
        return ctx.render("audit.html", found=found, actor=ctx.arg("actor", 80))
