"""`nightingale staff add` and the first admin that `nightingale up` creates on a fresh install."""

from __future__ import annotations

import re

import pytest

from bot.cli import main
from bot.console import accounts
from bot.console.cli import first_admin_notice
from bot.db import transaction
from bot.settings import get_settings


def test_staff_add_prints_a_one_time_password_that_signs_in_once_changed(
    app_db: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["staff", "add", "Fran", "--role", "frontdesk"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"one-time password \(shown once\): (\w+)", out).group(1)
    with transaction(app_db) as session:
        signed = accounts.signed(session, accounts.sign_in(session, "fran", password).token)
        assert (signed.name, signed.role, signed.must_change_password) == ("fran", "frontdesk", True)
    assert main(["staff", "add", "fran", "--role", "admin"]) == 2
    assert "already an account named fran" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["staff", "add", "kim", "--role", "owner"])


def test_the_first_admin_is_created_and_shown_only_on_a_fresh_install(app_db: str) -> None:
    notice = first_admin_notice(get_settings())
    password = re.search(r"name admin and one-time password (\w+)", notice).group(1)
    assert first_admin_notice(get_settings()) == ""
    with transaction(app_db) as session:
        assert accounts.signed(session, accounts.sign_in(session, "admin", password).token).is_admin
