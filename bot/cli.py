"""`nightingale`: the operator's and staff's command line."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from bot.db import transaction
from bot.schema import migrate
from bot.settings import SettingsError, get_settings

# Each concept adds its own subcommands through a `register(subparsers)` function.
COMMAND_MODULES = ("bot.scheduling.cli", "bot.console.reminders_cli", "bot.console.cli")


def cmd_migrate(_: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    print("database is up to date")
    return 0


def _interrupt(*_: object) -> None:
    # A service manager's SIGTERM stops the stack the same way Ctrl-C does.
    raise KeyboardInterrupt


def cmd_up(args: argparse.Namespace) -> int:
    from bot.stack import Stack

    settings = get_settings()
    migrate(settings.database_url)
    if not args.no_demo:
        from bot.scheduling.demo import load_demo

        if load_demo(settings.database_url):
            print("loaded the demo clinic (providers, patients, appointments)")
    from bot.console.cli import first_admin_notice

    print(first_admin_notice(settings), end="")
    stack = Stack(settings=settings, env=dict(os.environ))
    signal.signal(signal.SIGTERM, _interrupt)
    print("starting Rasa, the action server and the reminder dispatcher (the model loads in ~30 s) ...")
    started = time.monotonic()
    try:
        stack.start()
        print(f"\nNightingale is up after {time.monotonic() - started:.0f} s")
        print(f"  web chat:      {settings.public_base_url}/chat/")
        print(f"  SMS webhook:   {settings.public_base_url}/webhooks/sms/webhook")
        rest = "on, bearer token required" if settings.rest_channel_token else "off (set REST_CHANNEL_TOKEN)"
        print(f"  REST channel:  {settings.public_base_url}/webhooks/rest/webhook ({rest})")
        if settings.twilio_enabled:
            print("  SMS gateway:   Twilio")
        else:
            print(
                "  SMS gateway:   console: texts are NOT delivered, they are printed here "
                "(set SMS_GATEWAY=twilio and TWILIO_* to send them)"
            )
        print(f"  staff console: http://{settings.console_host}:{settings.console_port}/")
        print("Press Ctrl-C to stop.")
        while True:
            stack.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping ...")
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def _listing(query: Callable[[Session], list], line: Callable[[Any], str], summary: str) -> int:
    """Print one line per row of a staff list, then how many there were."""
    with transaction(get_settings().database_url) as session:
        rows = query(session)
        for row in rows:
            print(line(row))
        print(summary.format(count=len(rows)))
    return 0


def _stamp(row: Any) -> str:
    return f"{row.created_at:%Y-%m-%d %H:%M}Z"


def cmd_handoffs(_: argparse.Namespace) -> int:
    from bot.handoff import open_requests

    return _listing(
        open_requests,
        lambda r: f"{_stamp(r)}  #{r.id}  {r.channel:8}  {r.conversation_id}  ({r.reason})",
        "{count} open hand-off request(s)",
    )


def cmd_safety(_: argparse.Namespace) -> int:
    from bot.safety import recent_events

    return _listing(
        recent_events,
        lambda r: f"{_stamp(r)}  {r.channel:8}  {r.conversation_id}  {r.category} ({r.detected_by})",
        "{count} safety event(s)",
    )


def cmd_optouts(_: argparse.Namespace) -> int:
    from bot.messaging.consent import current_opt_outs

    return _listing(
        current_opt_outs, lambda r: f"{_stamp(r)}  {r.phone}  ({r.source})", "{count} number(s) opted out of texts"
    )


def cmd_refills(_: argparse.Namespace) -> int:
    from bot.reminders.report import open_refills

    return _listing(
        open_refills,
        lambda r: f"{_stamp(r)}  #{r.id}  patient {r.patient_id}  {r.medication or '?'}  ({r.channel})",
        "{count} open refill request(s)",
    )


def cmd_deliveries(args: argparse.Namespace) -> int:
    from bot.reminders.report import delivery_summary

    since = datetime.now(timezone.utc) - timedelta(days=args.days)
    with transaction(get_settings().database_url) as session:
        rows = delivery_summary(session, since)
    for kind, status, reason, count in rows:
        print(f"{count:6}  {kind:11}  {status:9}  {reason}")
    print(f"reminders due in the last {args.days} day(s): {sum(r[3] for r in rows)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nightingale", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="migrate, load demo data on a fresh install, start everything")
    up.add_argument("--no-demo", action="store_true", help="do not load the demo clinic into an empty database")
    up.set_defaults(func=cmd_up)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("handoffs", help="list open hand-off requests").set_defaults(func=cmd_handoffs)
    sub.add_parser("safety", help="list emergency messages seen").set_defaults(func=cmd_safety)
    sub.add_parser("optouts", help="list numbers opted out of texts").set_defaults(func=cmd_optouts)
    sub.add_parser("refills", help="list open refill requests").set_defaults(func=cmd_refills)
    deliveries = sub.add_parser("deliveries", help="how reminders went out, or why not")
    deliveries.add_argument("--days", type=int, default=7)
    deliveries.set_defaults(func=cmd_deliveries)
    for module in COMMAND_MODULES:
        register: Callable = importlib.import_module(module).register
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Databases, logs and secrets this process and its children create are readable by this user only.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
