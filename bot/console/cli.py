"""`nightingale staff ...`: staff accounts from the command line (the console's Staff page does the same)."""

from __future__ import annotations

import argparse

from bot.console import accounts
from bot.console.models import ROLES
from bot.db import transaction
from bot.settings import Settings, get_settings


def cmd_add(args: argparse.Namespace) -> int:
    try:
        with transaction(get_settings().database_url) as session:
            account, password = accounts.create_staff(session, args.name, args.role, actor="operator")
    except accounts.AccountError as error:
        print(f"error: {error}")
        return 2
    print(f"created {account.role} account {account.name}; one-time password (shown once): {password}")
    print("They choose their own password at first sign-in.")
    return 0


def first_admin_notice(settings: Settings) -> str:
    """On a fresh install, creates the first admin and returns how to sign in (shown once, printed before
    anything else can fail); else ''."""
    with transaction(settings.database_url) as session:
        password = accounts.ensure_first_admin(session)
    if password is None:
        return ""
    return (
        f"staff console: first sign-in with name {accounts.FIRST_ADMIN} and one-time password {password} "
        "(shown only now; you choose your own password at first sign-in)\n"
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff console accounts")
    commands = staff.add_subparsers(dest="staff_command", required=True)
    add = commands.add_parser("add", help="create an account and print its one-time password")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.set_defaults(func=cmd_add)
