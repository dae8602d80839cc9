"""Deliveries (every outbound text, filters, CSV) and the opt-out list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.clinic import load_profile
from bot.console import deliveries
from bot.console.streaming import Download
from bot.console.web import Ctx, page


def _zone(ctx: Ctx) -> ZoneInfo:
    return load_profile(ctx.settings.clinic_profile).zone


def _filters(ctx: Ctx) -> tuple[deliveries.Filters, dict[str, str]]:
    try:
        return deliveries.parse_filters(
            ctx.arg("start"), ctx.arg("end"), ctx.arg("patient"), ctx.arg("status"), ctx.arg("offset", 9), _zone(ctx)
        ), {}
    except deliveries.FilterError as error:
        return deliveries.Filters(), {error.field: str(error)}


def register(app: Sanic) -> None:
    @page(app, "/deliveries")
    def deliveries_page(ctx: Ctx) -> HTTPResponse:
        filters, errors = _filters(ctx)
        rows = [] if errors else deliveries.rows(ctx.session, filters)
        return ctx.render(
            "deliveries.html",
            rows=rows,
            filters=filters,
            errors=errors,
            args=ctx.request.args,
            statuses=deliveries.STATUSES,
            page=deliveries.PAGE,
            query=ctx.request.query_string,
            zone=_zone(ctx).key,
            status=400 if errors else 200,
        )

    @page(app, "/deliveries.csv")
    def deliveries_csv(ctx: Ctx) -> HTTPResponse | Download:
        filters, errors = _filters(ctx)
        if errors:
            return ctx.render("message.html", status=400, title="Check the filters", message=" ".join(errors.values()))
        return Download("deliveries.csv", "text/csv; charset=utf-8", lambda s: deliveries.csv_chunks(s, filters))

    @page(app, "/optouts")
    def optouts_page(ctx: Ctx) -> HTTPResponse:
        return ctx.render("optouts.html", opt_outs=deliveries.opt_outs(ctx.session), zone=_zone(ctx).key)
