"""The inbox in Debian's chromium tells a screen reader when conversations arrive: its rows change by polling,
and the polite live region beside them says how many are new.

Runs against the console process of `tests/test_console_http.py` (demo clinic, SQLite); the hand-offs are
requested through `bot.handoff`, as the assistant's action requests them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from bot import handoff
from bot.db import transaction
from tests import test_console_http
from tests.test_console_browser import LAPTOP, WAIT_MS
from tests.test_console_http import PASSWORD, Console

pytestmark = pytest.mark.browser
console = test_console_http.console  # one console process for this module



def ask_for_people(running: Console, *numbers: str) -> None:
    with transaction(running.database_url) as session:
        for number in numbers:
            handoff.request_handoff(session, number, "sms", "asked")


def test_new_hand_offs_are_announced_politely_without_a_reload(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{console.url}/inbox")
    page.get_by_label("Name").fill("fran")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    requests = page.get_by_role("link", name="asked for a person")
    waiting = requests.count()
    news = page.get_by_role("status")
    expect(news).to_have_attribute("aria-live", "polite")
    expect(news).to_have_text("")  # what was waiting at sign-in is on the page, not news

    ask_for_people(console, "+15550192001", "+15550192002")
    expect(news).to_have_text("2 new conversations waiting", timeout=WAIT_MS)
    expect(requests).to_have_count(waiting + 2)
    ask_for_people(console, "+15550192003")
    expect(news).to_have_text("1 new conversation waiting", timeout=WAIT_MS)
    expect(requests).to_have_count(waiting + 3)
    page.close()
