"""The staff console in Debian's chromium against the whole running assistant (Rasa, actions, dispatcher,
console, fake Twilio): a patient texts for a person, staff answer from the inbox while the assistant stays
quiet, a reminder plan is created with its preview, the reminder policy is edited with its preview,
deliveries export as CSV, roles and CSRF hold.

Saves screenshots of the inbox, the reminders page and the reminder policy into $NIGHTINGALE_CONSOLE_SCREENSHOTS
when set.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from bot.clinic import load_profile
from bot.console import accounts, clinic_facts
from bot.console.models import StaffAccount
from bot.db import transaction
from bot.models import Patient
from bot.reminders import policy as policies
from bot.safety import CRISIS_REPLY
from bot.settings import PROJECT_ROOT
from tests.console_phone import Phone
from tests.harness import RunningAssistant, running_assistant

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 860}
WAIT_MS = 30_000
PASSWORD = "a long staff password"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    folder = tmp_path_factory.mktemp("console-stack")
    profile = folder / "clinic.yml"  # the console edits it: a copy, never the repository's
    shutil.copy(PROJECT_ROOT / "bot" / "clinic.yml", profile)
    with running_assistant(folder, overrides={"CLINIC_PROFILE": str(profile)}) as running:
        yield running



def console_url(assistant: RunningAssistant) -> str:
    return f"http://127.0.0.1:{assistant.settings.console_port}"


def sign_in(page: Page, base: str, name: str, password: str, new_password: str | None = None) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if new_password:
        expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
        page.get_by_label("Current password").fill(password)
        page.get_by_label("New password", exact=True).fill(new_password)
        page.get_by_label("New password again").fill(new_password)
        page.get_by_role("button", name="Save password").click()


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("NIGHTINGALE_CONSOLE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_staff_answer_a_patient_by_text_while_the_assistant_stays_quiet(
    assistant: RunningAssistant, browser: Browser
) -> None:
    base = console_url(assistant)
    with transaction(assistant.database_url) as session:
        one_time = accounts.ensure_first_admin(session)
        patient = session.execute(select(Patient).where(Patient.mobile.is_not(None)).order_by(Patient.id)).scalar()
        number = patient.mobile
    phone = Phone(assistant, number)
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base}/inbox")
    expect(page).to_have_url(f"{base}/signin?next=%2Finbox")
    sign_in(page, base, "admin", one_time, new_password=PASSWORD)
    page.goto(f"{base}/inbox")
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()

    phone.text("i want to talk to a person")
    phone.wait_for_text("I've asked our team")
    request_link = page.get_by_role("link", name="asked for a person")
    expect(request_link).to_be_visible(timeout=WAIT_MS)  # appeared without a reload
    request_link.click()
    expect(page.get_by_role("list", name="Conversation transcript")).to_contain_text("i want to talk to a person")
    page.get_by_role("button", name="Claim and answer").click()
    phone.wait_for_text("team is answering you here")
    held_from = len(phone.received())

    phone.text("are you still there")
    expect(page.get_by_role("list", name="Conversation transcript")).to_contain_text(
        "are you still there", timeout=WAIT_MS
    )
    page.get_by_label("Reply to the patient").fill("Hi, this is the front desk: your forms are ready.")
    page.get_by_role("button", name="Send reply").click()
    phone.wait_for_text("your forms are ready")
    expect(page.get_by_role("list", name="Conversation transcript")).to_contain_text("Staff: admin")
    # An emergency while staff hold the conversation still gets the crisis reply at once, and alerts staff.
    phone.text("i have crushing chest pain and can't breathe")
    phone.wait_for_text("call 911 now")
    page.goto(f"{base}/inbox")
    expect(page.get_by_role("link", name="crisis: emergency")).to_be_visible(timeout=WAIT_MS)
    page.go_back()
    page.get_by_label("Internal note").fill("Patient to collect forms at the desk.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Patient to collect forms at the desk.")).to_be_visible()
    shoot(page, "console-inbox.png")

    page.get_by_role("button", name="Close and hand back to the assistant").click()
    expect(page).to_have_url(f"{base}/inbox")
    phone.wait_for_text("automated assistant is back")
    hours = load_profile(assistant.settings.clinic_profile).weekly_hours()
    phone.text("what are your hours")
    phone.wait_for_text(hours)
    texts = phone.received()
    back = next(i for i, body in enumerate(texts) if "automated assistant is back" in body)
    # While staff held the conversation the patient got the staff member's reply and, for the emergency, the
    # crisis reply; nothing else automatic.
    assert texts[held_from:back] == ["Hi, this is the front desk: your forms are ready.", CRISIS_REPLY]
    assert hours in texts[back + 1]

    # Deliveries list the reply to the patient's number and export them as CSV.
    page.goto(f"{base}/deliveries?patient={number.replace('+', '%2B')}")
    expect(page.get_by_role("cell", name=number).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows and {row["to"] for row in rows} == {number}
    assert {row["kind"] for row in rows} == {"reply"} and all(row["status"] for row in rows)

    # The audit log shows who did what.
    page.goto(f"{base}/audit?actor=admin")
    for action in ("inbox.claim", "inbox.reply", "inbox.note", "inbox.closed"):
        expect(page.get_by_role("cell", name=action, exact=True)).to_be_visible()
    page.close()


def test_a_reminder_plan_is_previewed_created_and_queued(assistant: RunningAssistant, browser: Browser) -> None:
    base = console_url(assistant)
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base}/patients")
    sign_in(page, base, "admin", PASSWORD)
    with transaction(assistant.database_url) as session:
        patient = session.execute(
            select(Patient).where(Patient.mobile.is_not(None)).order_by(Patient.id.desc())
        ).scalar()
        name, last_name = patient.full_name, patient.last_name
    page.get_by_label("Name, phone or date of birth").fill(last_name)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=name).click()
    page.get_by_label("Medication", exact=True).fill("metformin")
    page.get_by_label("Times of day").fill("8:00 AM, 8:00 PM")
    preview = page.locator("#plan-preview")
    expect(preview.locator("#preview-sends li")).to_have_count(5)
    # The text is the first coming dose's, at whichever of the two times comes next.
    first_send = preview.locator("#preview-sends li").first.inner_text()
    dose_time = "8:00 AM" if "8:00 AM" in first_send else "8:00 PM"
    expect(preview).to_contain_text(f"Time for your {dose_time} medication. Reply TAKEN, SKIP or SNOOZE.")
    assert "metformin" not in page.locator("#preview-text").inner_text()
    shoot(page, "console-reminders.png")
    page.get_by_role("button", name="Create reminder").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("cell", name="metformin at 8:00 AM and 8:00 PM every day")).to_be_visible()
    page.goto(f"{base}/deliveries?status=pending&patient={last_name}")
    expect(page.get_by_role("cell", name="medication").first).to_be_visible()
    page.close()


def test_front_desk_cannot_reach_admin_pages_and_signed_out_pages_lead_to_sign_in(
    assistant: RunningAssistant, browser: Browser
) -> None:
    base = console_url(assistant)
    admin = browser.new_context(viewport=LAPTOP)
    page = admin.new_page()
    page.goto(f"{base}/staff")
    sign_in(page, base, "admin", PASSWORD)
    page.get_by_label("Name").fill("fran")
    page.get_by_role("button", name="Create account").click()
    one_time = page.locator("#one-time-password").inner_text()

    # A form posted without its CSRF token (another site's form would look like this) changes nothing.
    with transaction(assistant.database_url) as session:
        before = session.execute(select(func.count()).select_from(StaffAccount)).scalar_one()
    forged = page.request.post(f"{base}/staff", form={"name": "mallory", "role": "admin"})
    assert forged.status == 403
    with transaction(assistant.database_url) as session:
        assert session.execute(select(func.count()).select_from(StaffAccount)).scalar_one() == before

    front_desk = browser.new_context(viewport=LAPTOP).new_page()
    front_desk.goto(f"{base}/")
    sign_in(front_desk, base, "fran", one_time, new_password=PASSWORD)
    expect(front_desk.get_by_role("navigation", name="Main").get_by_role("link", name="Staff")).to_have_count(0)
    for path in ("/staff", "/audit"):
        front_desk.goto(base + path)
        expect(front_desk.get_by_role("heading", name="Admins only")).to_be_visible()
    front_desk.goto(f"{base}/inbox")
    expect(front_desk.get_by_role("heading", name="Inbox")).to_be_visible()
    front_desk.get_by_role("button", name="Sign out").click()
    expect(front_desk).to_have_url(f"{base}/signin")

    stranger = browser.new_context(viewport=LAPTOP).new_page()
    for path in ("/", "/inbox", "/patients", "/deliveries", "/optouts", "/staff", "/audit", "/inbox/handoff-1"):
        stranger.goto(base + path)
        expect(stranger.get_by_role("heading", name="Sign in")).to_be_visible()
        assert stranger.url.startswith(f"{base}/signin")


def test_an_admin_edits_clinic_hours_and_the_next_answer_uses_them(
    assistant: RunningAssistant, browser: Browser
) -> None:
    base = console_url(assistant)
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base}/clinic")
    sign_in(page, base, "admin", PASSWORD)
    page.get_by_label("Saturday").fill("9am to noon")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Write opening and closing like 08:00-17:00, or closed.")).to_be_visible()
    assert clinic_facts.read(assistant.settings.clinic_profile).facts["hours"]["saturday"] == "09:00-12:00"

    page.get_by_label("Saturday").fill("10:00-13:00")
    page.get_by_role("button", name="Preview answers").click()
    expect(page.locator(".preview", has_text="Sat 10:00 AM-1:00 PM")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    answer = " ".join(m.get("text", "") for m in assistant.say("console-faq", "what are your hours"))
    assert "Sat 10:00 AM-1:00 PM" in answer


def test_an_admin_edits_the_reminder_policy_and_sees_the_preview_follow(
    assistant: RunningAssistant, browser: Browser
) -> None:
    base = console_url(assistant)
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base}/reminders/policy")
    sign_in(page, base, "admin", PASSWORD)
    offsets = page.get_by_label("Reminders before the visit")
    expect(offsets).to_have_value("3d, 2h")  # the installation's default until a policy is saved
    sends = page.get_by_role("table", name="When the reminders go out")
    expect(sends).to_contain_text("3 days before")
    expect(page.locator("#policy-text")).to_contain_text("Reply 1 to confirm, 2 to cancel, 3 to reschedule.")

    offsets.fill("7d, 2d")
    expect(sends.get_by_role("row")).to_have_count(3)  # the header and one row per reminder
    expect(sends).to_contain_text("7 days before")
    expect(sends).to_contain_text("2 days before")
    expect(sends).not_to_contain_text("3 days before")

    page.get_by_label("Quiet until").fill("8 am")
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_text("Write a 24-hour time like 21:00.")).to_be_visible()
    expect(page.get_by_label("Quiet until")).to_have_attribute("aria-invalid", "true")
    with transaction(assistant.database_url) as session:
        assert policies.current(session, assistant.settings).version == 0  # nothing saved

    page.get_by_label("Quiet until").fill("08:00")
    expect(page.get_by_role("table", name="When the reminders go out")).to_contain_text("7 days before")
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    shoot(page, "console-reminder-policy.png")
    expect(page.get_by_label("Reminders before the visit")).to_have_value("7d, 2d")
    with transaction(assistant.database_url) as session:
        assert policies.current(session, assistant.settings).offsets == (7 * 24 * 60, 2 * 24 * 60)
    page.goto(f"{base}/audit")
    expect(page.get_by_role("cell", name="reminders.policy", exact=True)).to_be_visible()
    page.close()


def test_staff_export_the_deliveries_they_filtered_as_csv(assistant: RunningAssistant, browser: Browser) -> None:
    base = console_url(assistant)
    page = browser.new_page(viewport=LAPTOP, accept_downloads=True)
    page.goto(f"{base}/deliveries")
    sign_in(page, base, "admin", PASSWORD)
    page.get_by_label("Status").select_option("pending")
    page.get_by_role("button", name="Filter").click()
    shown = page.locator("tbody tr").count()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these as CSV").click()
    assert download.value.suggested_filename == "deliveries.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == ["time_utc", "kind", "patient", "to", "status", "reason"]
    assert {row[4] for row in rows[1:]} == {"pending"} and len(rows) - 1 >= shown > 0
    assert "medication" in {row[1] for row in rows[1:]}  # the plan created in the console is queued
    page.close()
