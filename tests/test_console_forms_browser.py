"""Forms with a live preview in Debian's chromium: once staff correct a field a refused save named, its
message and invalid mark go as soon as the preview finds it right, while a field still wrong keeps its own.

Runs against the console process of `tests/test_console_http.py` (demo clinic, SQLite).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import test_console_http
from tests.test_console_browser import LAPTOP
from tests.test_console_http import PASSWORD, Console

pytestmark = pytest.mark.browser
console = test_console_http.console  # one console process for this module



def signed_in_page(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport=LAPTOP)
    page.goto(url)
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_a_corrected_policy_field_loses_its_message_before_the_save(console: Console, browser: Browser) -> None:
    page = signed_in_page(browser, f"{console.url}/reminders/policy")
    offsets, quiet_from = page.get_by_label("Reminders before the visit"), page.get_by_label("Quiet from")
    offsets.fill("7 days")
    quiet_from.fill("9pm")
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_role("alert")).to_have_text(
        ["'7 days' is not a time before the visit: write 7d, 2d or 2h.", "Write a 24-hour time like 21:00."]
    )
    expect(offsets).to_have_attribute("aria-invalid", "true")

    offsets.fill("7d, 2d")
    preview = page.locator("#policy-preview")
    expect(preview).to_have_text("Preview: Write a 24-hour time like 21:00.")  # the one still wrong
    expect(page.get_by_role("alert")).to_have_text(["Write a 24-hour time like 21:00."])
    expect(offsets).not_to_have_attribute("aria-invalid", "true")
    expect(offsets).to_have_attribute("aria-describedby", "offsets-hint")

    quiet_from.fill("21:00")
    expect(preview).to_contain_text("7 days before")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_role("status")).to_have_text("Saved. Reminders follow the new policy within a minute.")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.close()


def test_a_corrected_plan_field_loses_its_message_before_the_save(console: Console, browser: Browser) -> None:
    page = signed_in_page(browser, f"{console.url}/patients/1")
    page.get_by_label("Medication", exact=True).fill("metformin")
    page.get_by_label("Times of day").fill("noon-ish")
    page.get_by_label("Start date").fill("2027-03-10")
    page.get_by_label("End date (optional)").fill("2027-03-01")
    page.get_by_role("button", name="Create reminder").click()
    times_wrong = "'noon-ish' is not a time: write 8:00, 20:30 or 8:30 pm."
    expect(page.get_by_role("alert")).to_have_text([times_wrong, "The end date is before the start date."])

    page.get_by_label("Times of day").fill("8:00 AM")
    expect(page.locator("#plan-preview")).to_have_text("Preview: The end date is before the start date.")
    expect(page.get_by_role("alert")).to_have_text(["The end date is before the start date."])
    expect(page.get_by_label("Times of day")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("End date (optional)")).to_have_attribute("aria-invalid", "true")
    page.close()
