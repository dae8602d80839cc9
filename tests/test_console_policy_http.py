"""The reminder-policy page over real HTTP: admins only, CSRF, a message next to each bad field, a stale
save refused, and what is saved is what the dispatcher reads; an operator's change from the command line is on
the audit page next to the admins' (one console process on SQLite)."""

from __future__ import annotations

import html

import pytest

from bot.cli import main
from bot.console.models import AuditEntry
from bot.db import transaction
from bot.reminders import policy as policies
from bot.settings import get_settings, load_settings
from tests.test_console_http import Console, console, csrf, errors  # noqa: F401 (console: the shared fixture)

GOOD = {"offsets": "7d, 2d", "quiet_start": "20:00", "quiet_end": "09:00", "per_day": "1"}


def stored(running: Console) -> policies.Policy:
    with transaction(running.database_url) as session:
        return policies.current(session, load_settings({"DATABASE_URL": running.database_url}))


def audit_count(running: Console) -> int:
    with transaction(running.database_url) as session:
        return session.query(AuditEntry).filter(AuditEntry.action == "reminders.policy").count()


def test_front_desk_cannot_see_or_change_the_policy(console: Console) -> None:  # noqa: F811
    fran = console.signed_in("fran")
    token = csrf(fran.get(f"{console.url}/").text)
    assert 'href="/reminders/policy"' not in fran.get(f"{console.url}/").text
    for path in ("/reminders/policy", "/reminders/policy/preview"):
        answer = fran.post(console.url + path, data={"csrf": token, "version": "0", **GOOD})
        assert answer.status_code == 403 and "Admins only" in answer.text, path
    assert stored(console).version == 0


def test_admin_edits_the_policy_with_messages_next_to_bad_fields_and_a_stale_save_refused(
    console: Console,  # noqa: F811
) -> None:
    ada = console.signed_in("ada")
    page = ada.get(f"{console.url}/reminders/policy")
    assert page.status_code == 200 and "Not edited yet" in page.text
    assert 'value="3d, 2h"' in page.text  # the environment's default, shown until a policy is saved
    token = csrf(page.text)

    forged = ada.post(f"{console.url}/reminders/policy", data={"version": "0", **GOOD})
    assert forged.status_code == 403 and stored(console).version == 0

    bad = {"offsets": "7 days", "quiet_start": "9pm", "quiet_end": "08:00", "per_day": "10"}
    answer = ada.post(f"{console.url}/reminders/policy", data={"csrf": token, "version": "0", **bad})
    assert answer.status_code == 400
    assert [html.unescape(e) for e in errors(answer.text)] == [
        "'7 days' is not a time before the visit: write 7d, 2d or 2h.",
        "Write a 24-hour time like 21:00.",
        "A whole number from 1 to 3.",
    ]
    assert 'aria-describedby="offsets-error"' in answer.text and 'value="7 days"' in answer.text
    assert stored(console).version == 0 and audit_count(console) == 0

    preview = ada.post(f"{console.url}/reminders/policy/preview", data={"csrf": token, **GOOD})
    assert preview.status_code == 200 and "7 days before" in preview.text and "2 days before" in preview.text
    assert "Reply 1 to confirm, 2 to cancel, 3 to reschedule." in preview.text
    assert stored(console).version == 0  # a preview changes nothing

    saved = ada.post(f"{console.url}/reminders/policy", data={"csrf": token, "version": "0", **GOOD})
    assert saved.url.endswith("/reminders/policy?saved=1") and "Saved." in saved.text
    assert (stored(console).offsets, stored(console).quiet_hours) == ((10080, 2880), ("20:00", "09:00"))
    assert audit_count(console) == 1

    # A second admin's form still carries version 0: refused, their input kept, the newer policy untouched.
    late = ada.post(
        f"{console.url}/reminders/policy", data={"csrf": token, "version": "0", **{**GOOD, "offsets": "1d"}}
    )
    assert late.status_code == 409 and "Someone saved the reminder policy meanwhile" in late.text
    assert 'value="1d"' in late.text and stored(console).offsets == (10080, 2880)
    for version in ("", "x" * 50, "-1", "99999999999999999999"):
        answer = ada.post(f"{console.url}/reminders/policy", data={"csrf": token, "version": version, **GOOD})
        assert answer.status_code == 409, version
    assert stored(console).version == 1 and audit_count(console) == 1



def test_an_operators_change_from_the_command_line_is_on_the_audit_page(
    console: Console, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setenv("DATABASE_URL", console.database_url)
    get_settings.cache_clear()
    before = audit_count(console)
    assert main(["reminders", "policy", "set", "--offsets", "5d", "--by", "sam"]) == 0
    assert main(["reminders", "policy", "set", "--per-day", "9"]) == 2  # refused: nothing changed, nothing logged
    get_settings.cache_clear()
    assert audit_count(console) == before + 1

    log = console.signed_in("ada").get(f"{console.url}/audit?action=reminders.policy").text
    newest = html.unescape(log.split("<tbody>")[1].split("</tr>")[0])
    assert "<td>sam (command line)</td><td>reminders.policy</td>" in newest
    assert '"offsets": "7d, 2d"' in newest and '"offsets": "5d"' in newest  # before and after
