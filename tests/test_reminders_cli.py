"""Staff manage a patient's medication plans from the command line."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import select

from bot.console.models import AuditEntry
from bot.console.reminders_cli import register
from bot.db import transaction
from bot.settings import get_settings
from tests.reminder_helpers import add_patient


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nightingale")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_add_list_pause_remove(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    add_patient(db_url, "+15550500001")
    assert (
        run(
            "reminders",
            "add",
            "--patient",
            "+15550500001",
            "--medication",
            "metformin",
            "--dose",
            "500 mg",
            "--times",
            "20:00,08:00",
            "--days",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "--start",
            "2027-06-01",
            "--by",
            "nurse.kim",
        )
        == 0
    )
    assert "metformin 500 mg at 8:00 AM and 8:00 PM on weekdays" in capsys.readouterr().out
    assert run("reminders", "add", "--patient", "+15550500001", "--medication", "x", "--times", "25:00") == 2
    assert "not saved" in capsys.readouterr().out
    run("reminders", "pause", "--patient", "+15550500001", "--plan", "1")
    run("reminders", "list", "--patient", "+15550500001")
    assert "plan 1: metformin 500 mg at 8:00 AM and 8:00 PM on weekdays (paused)" in capsys.readouterr().out
    run("reminders", "remove", "--patient", "+15550500001", "--plan", "1")
    run("reminders", "list", "--patient", "+15550500001")
    assert "no medication plans" in capsys.readouterr().out
    assert run("reminders", "pause", "--patient", "+15550500001", "--plan", "99") == 2
    # Each change is in the console's audit log, with who made it and the plan before and after.
    with transaction(db_url) as s:
        entries = s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        assert [(e.actor, e.action) for e in entries] == [
            ("nurse.kim (command line)", "plan.create"),
            ("staff (command line)", "plan.paused"),
            ("staff (command line)", "plan.stopped"),
        ]
        assert entries[1].target == "plan:1" and '"status": "active"' in entries[1].before
