"""The schedule's set-up in Debian's chromium: an admin adds time off for a provider and that day's open
times disappear from what can be booked; a clinic holiday closes the next day for everyone.

Runs against the console process of `tests/test_console_http.py` (demo clinic, SQLite); availability is the
same `bot.scheduling` search the conversation offers times from. Saves a screenshot of the provider page
into $NIGHTINGALE_CONSOLE_SCREENSHOTS when set.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import test_console_http
from tests.test_console_browser import LAPTOP, shoot
from tests.test_console_http import PASSWORD, Console

pytestmark = pytest.mark.browser
console = test_console_http.console  # one console process for this module
TUESDAY, WEDNESDAY, THURSDAY = "Tue Jan 12 2027", "Wed Jan 13 2027", "Thu Jan 14 2027"



def open_days(page: Page, base: str) -> list[str]:
    """The days of the open times the booking page offers for Dr. Alvarez's office visits from Jan 12."""
    page.goto(f"{base}/patients/1/book")
    page.get_by_label("Visit").select_option(label="Office visit (30 min)")
    page.get_by_label("Provider").select_option(label="Dr. Maria Alvarez")
    page.get_by_label("From").fill("2027-01-12")
    page.get_by_role("button", name="Find open times").click()
    times = page.get_by_role("list", name="Open times").get_by_role("listitem")
    expect(times.first).to_be_visible()
    return [text.split(",")[0].strip() for text in times.all_inner_texts()]


def test_time_off_and_a_holiday_added_by_an_admin_take_their_days_out_of_availability(
    console: Console, browser: Browser
) -> None:
    base = console.url
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base}/schedule/providers")
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert set(open_days(page, base)) == {TUESDAY}  # a free day: all eight openings on it

    page.goto(f"{base}/schedule")
    page.get_by_role("navigation", name="Schedule set-up").get_by_role("link", name="Providers").click()
    page.get_by_role("link", name="Dr. Maria Alvarez").click()
    add = page.get_by_role("form", name="Add time off")
    add.get_by_label("First day off").fill("2027-01-12")
    add.get_by_label("Reason (staff only)").fill("Course")
    add.get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("list", name="Time off")).to_contain_text("Tue Jan 12, 2027 (Course)")
    shoot(page, "console-provider.png")
    days = open_days(page, base)
    assert TUESDAY not in days and days[0] == WEDNESDAY

    page.goto(f"{base}/schedule/holidays")
    add = page.get_by_role("form", name="Add a holiday")
    add.get_by_label("Day").fill("2027-01-13")
    add.get_by_label("Name").fill("Staff training")
    add.get_by_role("button", name="Add holiday").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("table")).to_contain_text("Wed Jan 13, 2027")
    add = page.get_by_role("form", name="Add a holiday")  # the same day again is refused next to the field
    add.get_by_label("Day").fill("2027-01-13")
    add.get_by_label("Name").fill("Training again")
    add.get_by_role("button", name="Add holiday").click()
    expect(page.get_by_role("alert")).to_have_text("Jan 13 is already a holiday (Staff training).")
    expect(page.get_by_role("table")).not_to_contain_text("Training again")
    days = open_days(page, base)
    assert TUESDAY not in days and WEDNESDAY not in days and days[0] == THURSDAY

    page.goto(f"{base}/schedule?provider=1&day=2027-01-12&view=week")
    rows = page.get_by_role("table")
    expect(rows).to_contain_text("closed: time off")
    expect(rows).to_contain_text("closed: Staff training")
