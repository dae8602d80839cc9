"""The staff console's web application (Sanic, server-rendered pages, a little htmx)."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets

from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console import accounts, crisis, overview
from bot.console.web import Ctx, clear_session_cookie, page, redirect, set_session_cookie, templates
from bot.db import transaction
from bot.messaging.gateway import SmsGateway, gateway_from_settings
from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
STATIC = PROJECT_ROOT / "bot" / "console" / "static"
HTMX = PROJECT_ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
SIGNIN_COOKIE = "nightingale_signin"
CRISIS_WATCH_SECONDS = 2.0
WATCHER = "watch_held_conversations"  # the background task's name, to stop it with the server
VIEW_MODULES = (
    "bot.console.views_inbox",
    "bot.console.views_deliveries",
    "bot.console.views_patients",
    "bot.console.views_schedule",
    "bot.console.views_setup",
    "bot.console.views_appointments",
    "bot.console.views_admin",
    "bot.console.views_policy",
)


def create_app(settings: Settings, gateway: SmsGateway | None = None, name: str = "nightingale_console") -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.ctx.settings = settings
    app.ctx.gateway = gateway or gateway_from_settings(settings)
    app.static("/static/console.css", str(STATIC / "console.css"), name="css")
    app.static("/static/htmx.min.js", str(HTMX), name="htmx")
    app.static("/static/inbox.js", str(STATIC / "inbox.js"), name="inbox_js")
    app.static("/static/live_check.js", str(STATIC / "live_check.js"), name="live_check_js")
    _auth_pages(app)
    for module in VIEW_MODULES:
        __import__(module, fromlist=["register"]).register(app)

    @app.exception(NotFound, MethodNotSupported)
    async def not_found(request: Request, error: SanicException) -> HTTPResponse:
        return _message(error.status_code, "Not found", "There is no such page.")

    @app.exception(SanicException)
    async def bad_request(request: Request, error: SanicException) -> HTTPResponse:
        status = error.status_code if 400 <= error.status_code < 500 else 400
        return _message(status, "Not accepted", "That request was not understood. Nothing was changed.")

    async def start_watching(app: Sanic, _loop: object) -> None:
        app.add_task(_watch_held_conversations(app), name=WATCHER)

    async def stop_watching(app: Sanic, _loop: object) -> None:
        # Cancelled and awaited before the loop closes, or asyncio reports it "destroyed but pending".
        task = app.get_task(WATCHER, raise_exception=False)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    app.register_listener(start_watching, "after_server_start")
    app.register_listener(stop_watching, "before_server_stop")

    @app.middleware("response")
    async def security_headers(request: Request, res: HTTPResponse) -> None:
        res.headers.setdefault("X-Frame-Options", "DENY")
        res.headers.setdefault("X-Content-Type-Options", "nosniff")
        res.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/static/"):  # pages hold patient data: never kept by a browser cache
            res.headers.setdefault("Cache-Control", "no-store")

    return app


async def _watch_held_conversations(app: Sanic) -> None:
    """Every few seconds: crisis replies for emergencies in conversations staff hold (see `bot.console.crisis`)."""
    settings: Settings = app.ctx.settings

    def once() -> None:
        with transaction(settings.database_url) as session:
            crisis.answer_emergencies(session, settings, app.ctx.gateway)

    while True:
        try:
            await asyncio.to_thread(once)
        except Exception:  # noqa: BLE001 - the watcher must outlive a failed round (database busy, Rasa down)
            log.exception("checking held conversations for emergencies failed; trying again")
        await asyncio.sleep(CRISIS_WATCH_SECONDS)


def _message(status: int, title: str, message: str) -> HTTPResponse:
    html = templates.get_template("message.html").render(staff=None, path="", title=title, message=message)
    return response.html(html, status=status)


def _safe_next(target: str) -> str:
    # Only a path on this site: never an absolute or scheme-relative URL (open redirect).
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _auth_pages(app: Sanic) -> None:
    @page(app, "/signin", methods=("GET", "POST"), role=None)
    def signin(ctx: Ctx) -> HTTPResponse:
        target = _safe_next(ctx.form("next") or ctx.arg("next") or "/")
        if ctx.request.method == "GET" and ctx.staff is not None:
            return redirect(target)
        # Signed out there is no session to hold a CSRF token: the form's token must match a cookie instead.
        expected = ctx.request.cookies.get(SIGNIN_COOKIE) or ""
        form_token = secrets.token_urlsafe(24)
        ctx.headers["Set-Cookie"] = f"{SIGNIN_COOKIE}={form_token}; Path=/signin; HttpOnly; SameSite=Strict"
        if ctx.request.method == "GET":
            return ctx.render("signin.html", next=target, name="", error=None, form_token=form_token)
        name = ctx.form("name", 80)
        sent = ctx.form("csrf", 200)
        if not expected or not hmac.compare_digest(sent, expected):
            return ctx.render(
                "signin.html",
                status=403,
                next=target,
                name=name,
                form_token=form_token,
                error="The sign-in form had expired. Please sign in again.",
            )
        result = accounts.sign_in(ctx.session, name, ctx.form("password", 200))
        if result.token is None:
            return ctx.render(
                "signin.html", status=401, next=target, name=name, error=result.error, form_token=form_token
            )
        res = redirect(target)
        set_session_cookie(res, result.token, secure=ctx.request.scheme == "https")
        return res

    @page(app, "/signout", methods=("POST",))
    def signout(ctx: Ctx) -> HTTPResponse:
        accounts.sign_out(ctx.session, ctx.request.cookies.get("nightingale_console") or "")
        res = redirect("/signin")
        clear_session_cookie(res)
        return res

    @page(app, "/account/password", methods=("GET", "POST"))
    def password(ctx: Ctx) -> HTTPResponse:
        errors: dict[str, str] = {}
        if ctx.request.method == "POST":
            _, error = ctx.attempt(
                lambda: accounts.change_password(
                    ctx.session,
                    ctx.signed.staff_id,
                    ctx.form("current", 200),
                    ctx.form("new", 200),
                    ctx.form("repeat", 200),
                ),
                accounts.AccountError,
            )
            if error is None:
                return redirect("/")
            errors[error.field] = str(error)
        return ctx.render("password.html", errors=errors, status=400 if errors else 200)

    @page(app, "/")
    def home(ctx: Ctx) -> HTTPResponse:
        return ctx.render("overview.html", view=overview.today(ctx.session, ctx.settings))
