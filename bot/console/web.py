"""The console's request plumbing: sign-in check, roles, CSRF, one database transaction per request.

A page is a plain synchronous function `(ctx, **params) -> HTTPResponse`, registered with `@page(...)`.
It runs on a worker thread (database calls never block Sanic's event loop) inside one transaction.
Signed out, every page redirects to sign-in; a POST without the session's CSRF token is refused before
the page function runs, so it changes nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.clock import moment_text
from bot.console import accounts, streaming
from bot.console.accounts import Signed
from bot.console.streaming import Download
from bot.db import transaction
from bot.messaging.gateway import SmsGateway
from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
E = TypeVar("E", bound=Exception)
COOKIE = "nightingale_console"
FRONTDESK, ADMIN = "frontdesk", "admin"
View = Callable[..., "HTTPResponse | Download"]

templates = Environment(
    loader=PackageLoader("bot.console", "templates"),
    autoescape=select_autoescape(),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _local(instant: datetime, zone: str) -> str:
    """'Tue Dec 15 2026, 2:00 PM EST': an instant in a patient's or the clinic's zone (`bot.clock`'s style)."""
    return moment_text(instant, ZoneInfo(zone), year=True)


templates.filters["local"] = _local


@dataclass
class Ctx:
    request: Request
    session: Session
    staff: Signed | None
    settings: Settings
    gateway: SmsGateway
    headers: dict[str, str] = field(default_factory=dict)

    def form(self, name: str, limit: int = 2000) -> str:
        value = self.request.form.get(name) if self.request.form else None
        return (value or "")[:limit]

    def arg(self, name: str, limit: int = 200) -> str:
        return (self.request.args.get(name) or "")[:limit]

    @property
    def signed(self) -> Signed:
        """The signed-in staff member (every page but sign-in requires one: `_refusal` saw to it)."""
        if self.staff is None:
            raise RuntimeError("this page needs a signed-in staff member")
        return self.staff

    def attempt(self, action: Callable[[], T], *errors: type[E]) -> tuple[T | None, E | None]:
        """Run a change inside a savepoint: on one of `errors` it is undone whole and the error returned."""
        try:
            with self.session.begin_nested():
                return action(), None
        except errors as error:
            return None, error

    def render(self, template: str, status: int = 200, **values: Any) -> HTTPResponse:
        html = templates.get_template(template).render(staff=self.staff, path=self.request.path, **values)
        return response.html(html, status=status, headers=self.headers)


def redirect(to: str) -> HTTPResponse:
    # 303: after a POST the browser fetches the result page with GET (a reload does not post twice).
    return response.redirect(to, status=303)


def page(
    app: Sanic,
    path: str,
    methods: tuple[str, ...] = ("GET",),
    role: str | None = FRONTDESK,
) -> Callable[[View], View]:
    """Register a page; `role` None means reachable signed out (the sign-in page only)."""

    def register(view: View) -> View:
        async def handler(request: Request, **params: Any) -> HTTPResponse | None:
            result = await asyncio.to_thread(_run, app, request, view, role, params)
            if isinstance(result, Download):  # allowed by the same checks; its rows stream after the transaction
                await streaming.send(request, result, app.ctx.settings.database_url)
                return None
            return result

        app.add_route(handler, path, methods=list(methods), name=view.__name__)
        return view

    return register


def _run(
    app: Sanic, request: Request, view: View, role: str | None, params: dict[str, Any]
) -> HTTPResponse | Download:
    settings: Settings = app.ctx.settings
    with transaction(settings.database_url) as session:
        staff = accounts.signed(session, request.cookies.get(COOKIE))
        ctx = Ctx(request, session, staff, settings, app.ctx.gateway)
        if role is not None:
            refused = _refusal(ctx, role)
            if refused is not None:
                return refused
        return view(ctx, **params)


def _refusal(ctx: Ctx, role: str) -> HTTPResponse | None:
    request, staff = ctx.request, ctx.staff
    if staff is None:
        target = request.path + (f"?{request.query_string}" if request.query_string else "")
        if request.headers.get("HX-Request"):  # a polling fragment: send the whole page to sign-in
            return response.empty(headers={"HX-Redirect": "/signin"})
        return redirect(f"/signin?next={quote(target, safe='')}")
    if request.method == "POST":
        sent = ctx.form("csrf", 200) or request.headers.get("X-CSRF-Token", "")[:200]
        if not sent or not hmac.compare_digest(sent, staff.csrf_token):
            return ctx.render(
                "message.html",
                status=403,
                title="Form expired",
                message="This form was not accepted (its security token is missing or old). "
                "Nothing was changed. Go back, reload the page and try again.",
            )
    if staff.must_change_password and request.path not in ("/account/password", "/signout"):
        return redirect("/account/password")
    if role == ADMIN and not staff.is_admin:
        return ctx.render(
            "message.html",
            status=403,
            title="Admins only",
            message="This page is for clinic admins. Ask an admin if you need something here.",
        )
    return None


def set_session_cookie(res: HTTPResponse, token: str, secure: bool) -> None:
    res.cookies[COOKIE] = token
    cookie = res.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"
    cookie["max-age"] = accounts.SESSION_HOURS * 3600
    if secure:
        cookie["secure"] = True


def clear_session_cookie(res: HTTPResponse) -> None:
    res.cookies[COOKIE] = ""
    res.cookies[COOKIE]["max-age"] = 0
    res.cookies[COOKIE]["path"] = "/"
