"""Schedule: one provider's day or week with bookings."""

from __future__ import annotations

from datetime import date, timedelta

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import load_profile
from bot.console import schedule
from bot.console.web import Ctx, page


def register(app: Sanic) -> None:
    @page(app, "/schedule")
    def schedule_page(ctx: Ctx) -> HTTPResponse:
        profile = load_profile(ctx.settings.clinic_profile)
        providers = schedule.providers(ctx.session)
        errors: dict[str, str] = {}
        raw_day, raw_provider = ctx.arg("day", 10), ctx.arg("provider", 9)
        try:
            day = date.fromisoformat(raw_day) if raw_day else profile.local_now().date()
        except ValueError:
            day, errors["day"] = profile.local_now().date(), "Use a date like 2027-03-14."
        chosen = next((p for p in providers if str(p.id) == raw_provider), providers[0] if providers else None)
        if raw_provider and chosen is not None and str(chosen.id) != raw_provider:
            errors["provider"] = "Pick a provider from the list."
        week = ctx.arg("view") != "day"
        first = schedule.week_start(day) if week else day
        days = schedule.days(ctx.session, profile, chosen.id, first, 7 if week else 1) if chosen else []
        step = timedelta(days=7 if week else 1)
        return ctx.render(
            "schedule.html",
            providers=providers,
            chosen=chosen,
            days=days,
            week=week,
            day=day,
            previous=(first - step).isoformat(),
            following=(first + step).isoformat(),
            errors=errors,
            status=400 if errors else 200,
        )
