"""The audit log as an admin reads it: filtered by staff member and by action family, paged past the newest
hundred; and the overview chart's figures readable without seeing the chart."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import select

from bot.console import audit
from bot.console.models import AuditEntry
from bot.db import transaction
from tests.test_console_http import Console, console  # noqa: F401 (console: the shared fixture)


def test_action_filter_finds_a_family_and_nothing_that_merely_starts_alike(db_url: str) -> None:
    with transaction(db_url) as session:
        for actor, action in (
            ("ada", "inbox.claim"),
            ("kim", "inbox.reply"),
            ("ada", "inboxes.x"),
            ("ada", "clinic.edit"),
        ):
            audit.record(session, actor, action, "target")
        assert [e.action for e in audit.entries(session, action="inbox").entries] == ["inbox.reply", "inbox.claim"]
        assert [e.action for e in audit.entries(session, actor="ada", action="inbox").entries] == ["inbox.claim"]
        assert audit.entries(session, action="inbox.claim").total == 1
        assert audit.entries(session, action="inbox%").total == 0  # typed text, never a pattern


def test_the_audit_log_pages_past_its_newest_hundred(console: Console) -> None:  # noqa: F811
    with transaction(console.database_url) as session:
        for n in range(audit.PAGE + 5):
            audit.record(session, "robot", "test.bulk", f"row {n}")
    ada = console.signed_in("ada")
    first = ada.get(f"{console.url}/audit?action=test.bulk").text
    assert "105 action(s) recorded; showing 1 to 100." in first and first.count("<td>test.bulk</td>") == 100
    older = re.search(r'href="(/audit\?[^"]*offset=100)">Older entries', first).group(1).replace("&amp;", "&")
    rest = ada.get(console.url + older).text
    assert rest.count("<td>test.bulk</td>") == 5 and "<td>row 0</td>" in rest and "Older entries" not in rest
    assert "Newer entries" in rest


def test_the_overview_chart_has_its_figures_as_a_table(console: Console) -> None:  # noqa: F811
    page = console.signed_in("fran").get(f"{console.url}/").text
    table = re.search(r'<table aria-label="Reminders sent per day, last 30 days">.*?</table>', page, re.S).group(0)
    assert table.count("<tr>") == 31  # the header and one row a day


def test_audit_times_are_on_the_clinics_clock(console: Console) -> None:  # noqa: F811
    with transaction(console.database_url) as session:
        audit.record(session, "robot", "test.clock", "late evening")
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "test.clock")).scalar_one()
        entry.created_at = datetime(2026, 12, 3, 2, 30, tzinfo=timezone.utc)  # 9:30 PM the day before in New York
    page = console.signed_in("ada").get(f"{console.url}/audit?action=test.clock").text
    row = re.search(r"<tr><td>([^<]*)</td><td>robot</td>", page).group(1)
    assert "Dec 2" in row and "9:30 PM" in row and "02:30" not in row, row
