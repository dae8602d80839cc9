"""The appointment-reminder policy page (admins): edit offsets, quiet hours and the daily cap, with a preview."""

from __future__ import annotations

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import load_profile
from bot.console import reminder_policy
from bot.console.web import ADMIN, Ctx, page, redirect
from bot.reminders import policy as policies

FIELDS = ("offsets", "quiet_start", "quiet_end", "per_day")


def _form_of(policy: policies.Policy) -> dict[str, str]:
    return {
        "offsets": policies.offsets_text(policy.offsets),
        "quiet_start": policy.quiet_hours[0],
        "quiet_end": policy.quiet_hours[1],
        "per_day": str(policy.per_day),
    }


def _draft(form: dict[str, str]) -> policies.Policy:
    return policies.parse(form["offsets"], form["quiet_start"], form["quiet_end"], form["per_day"])


def register(app: Sanic) -> None:
    @page(app, "/reminders/policy", methods=("GET", "POST"), role=ADMIN)
    def policy_page(ctx: Ctx) -> HTTPResponse:
        stored = policies.current(ctx.session, ctx.settings)
        if ctx.request.method == "GET":
            return _render(ctx, stored, _form_of(stored), stored, {}, saved=ctx.arg("saved") == "1")
        form = {name: ctx.form(name, 200) for name in FIELDS}
        version = ctx.form("version", 12)
        try:
            draft = _draft(form)
        except policies.PolicyError as error:
            return _render(ctx, stored, form, None, error.errors, status=400)
        _, stale = ctx.attempt(
            lambda: reminder_policy.save(
                ctx.session, ctx.settings, draft, int(version) if version.isdigit() else -1, ctx.signed.name
            ),
            policies.PolicyError,
        )
        if stale is not None:
            latest = policies.current(ctx.session, ctx.settings)
            return _render(ctx, latest, form, draft, stale.errors, status=409)
        return redirect("/reminders/policy?saved=1")

    @page(app, "/reminders/policy/preview", methods=("POST",), role=ADMIN)
    def policy_preview(ctx: Ctx) -> HTTPResponse:
        try:
            draft = _draft({name: ctx.form(name, 200) for name in FIELDS})
        except policies.PolicyError as error:
            fine = [name for name in FIELDS if name not in error.errors]  # their messages go (static/live_check.js)
            return ctx.render("policy_preview.html", preview=None, errors=error.errors, fine=fine)
        profile = load_profile(ctx.settings.clinic_profile)
        return ctx.render(
            "policy_preview.html", preview=reminder_policy.preview(ctx.session, draft, profile), errors={}, fine=FIELDS
        )


def _render(
    ctx: Ctx,
    stored: policies.Policy,
    form: dict[str, str],
    draft: policies.Policy | None,
    errors: dict[str, str],
    saved: bool = False,
    status: int = 200,
) -> HTTPResponse:
    profile = load_profile(ctx.settings.clinic_profile)
    return ctx.render(
        "policy.html",
        stored=stored,
        form=form,
        errors=errors,
        saved=saved,
        zone=profile.zone.key,
        preview=reminder_policy.preview(ctx.session, draft, profile) if draft else None,
        status=status,
    )
