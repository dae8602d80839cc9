"""Inbox pages: the queue (refreshed by htmx polling) and one item with its transcript and actions."""

from __future__ import annotations

from sanic import Sanic
from sanic.response import HTTPResponse

from bot.console import inbox, rasa_api, transcripts
from bot.console.web import Ctx, page, redirect
from bot.db import utcnow

ACTIONS = ("claim", "reply", "note", "close", "done", "declined")


def _version(ctx: Ctx) -> int:
    raw = ctx.form("version", 12)
    return int(raw) if raw.isdigit() else -1


def register(app: Sanic) -> None:
    @page(app, "/inbox")
    def inbox_page(ctx: Ctx) -> HTTPResponse:
        closed = ctx.arg("show") == "closed"
        return ctx.render(
            "inbox.html", items=inbox.items(ctx.session, open_only=not closed), closed=closed, now=utcnow()
        )

    @page(app, "/inbox/items")
    def inbox_rows(ctx: Ctx) -> HTTPResponse:
        """The queue's rows alone: htmx polls this so new items appear without a reload."""
        closed = ctx.arg("show") == "closed"
        return ctx.render("inbox_rows.html", items=inbox.items(ctx.session, open_only=not closed), now=utcnow())

    @page(app, "/inbox/<key>")
    def item_page(ctx: Ctx, key: str) -> HTTPResponse:
        return _item(ctx, key)

    @page(app, "/inbox/<key>/transcript")
    def transcript_part(ctx: Ctx, key: str) -> HTTPResponse:
        try:
            item = inbox.get_item(ctx.session, key)
        except inbox.InboxError as error:
            return ctx.render("message.html", status=404, title="Not found", message=str(error))
        return ctx.render("transcript.html", lines=_lines(ctx, item))

    @page(app, "/inbox/<key>/<action>", methods=("POST",))
    def act(ctx: Ctx, key: str, action: str) -> HTTPResponse:
        if action not in ACTIONS:
            return ctx.render("message.html", status=404, title="Not found", message="There is no such action.")
        staff, version, text = ctx.signed.name, _version(ctx), ctx.form("text", 4000)
        calls = {
            "claim": lambda: inbox.claim(ctx.session, ctx.settings, ctx.gateway, key, staff, version),
            "reply": lambda: inbox.reply(ctx.session, ctx.settings, ctx.gateway, key, staff, version, text),
            "note": lambda: inbox.note(ctx.session, key, staff, version, text),
            "close": lambda: inbox.close(ctx.session, ctx.settings, ctx.gateway, key, staff, version),
            "done": lambda: inbox.close(ctx.session, ctx.settings, ctx.gateway, key, staff, version, "done"),
            "declined": lambda: inbox.close(ctx.session, ctx.settings, ctx.gateway, key, staff, version, "declined"),
        }
        _, error = ctx.attempt(calls[action], inbox.InboxError, rasa_api.AssistantUnavailable)
        if error is None:
            return redirect("/inbox" if action in ("close", "done", "declined") else f"/inbox/{key}")
        return _item(ctx, key, error=str(error), failed=action, text=text, status=409)


def _lines(ctx: Ctx, item: inbox.Item) -> list[transcripts.Line]:
    return transcripts.transcript(ctx.settings.tracker_store_url, item.conversation_id) if item.conversation_id else []


def _item(
    ctx: Ctx, key: str, error: str | None = None, failed: str = "", text: str = "", status: int = 200
) -> HTTPResponse:
    try:
        item = inbox.get_item(ctx.session, key)
    except inbox.InboxError as missing:
        return ctx.render("message.html", status=404, title="Not found", message=str(missing))
    return ctx.render(
        "inbox_item.html",
        item=item,
        entries=inbox.entries(ctx.session, item),
        lines=_lines(ctx, item),
        error=error,
        failed=failed,
        text=text,
        now=utcnow(),
        status=status,
    )
