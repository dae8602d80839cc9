"""The web chat in a real browser: Debian's chromium, headless, on a phone-sized screen, against the
page our own Rasa process serves, with the trained model and the action server behind it.

Saves a screenshot to $NIGHTINGALE_SCREENSHOT when set (the README's image), else to tmp_path.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
ANSWER_TIMEOUT_MS = 30_000
# What a patient reads, from bot/clinic.yml (the profile the assistant under test serves).
HOURS = "Mon, Tue, Thu 8:00 AM-5:00 PM; Wed 8:00 AM-7:00 PM; Fri 8:00 AM-4:00 PM; Sat 9:00 AM-12:00 PM; closed Sun"
ADDRESS = "120 Orchard Street, Suite 200, Springfield, NY 10001"
PARKING = "Free parking in the garage behind the building"



def test_a_patient_asks_the_hours_taps_a_quick_reply_and_a_reload_keeps_the_chat(
    assistant, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{assistant.rasa_url}/chat/")
    page.get_by_role("button", name="Chat with us").click()
    message_box = page.get_by_role("textbox", name="Message to the assistant")
    expect(message_box).to_be_focused()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation).to_have_attribute("aria-live", "polite")

    typing = page.locator(".typing")
    # Records every state of the typing indicator, so a quick answer cannot hide that it was shown.
    typing.evaluate("t => { window.typingStates = []; new MutationObserver(() => "
                    "window.typingStates.push(t.textContent)).observe(t, {childList: true}); }")
    message_box.fill("what are your hours")
    message_box.press("Enter")
    expect(conversation.locator(".message.bot", has_text=HOURS)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(typing).to_be_hidden(timeout=ANSWER_TIMEOUT_MS)
    assert "The assistant is typing" in page.evaluate("window.typingStates")

    message_box.fill("what can you do")
    message_box.press("Enter")
    quick_reply = page.get_by_role("group", name="Suggested replies").get_by_role("button", name="Clinic hours")
    expect(quick_reply).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    quick_reply.click()
    expect(conversation.locator(".message.user").last).to_have_text("You: Clinic hours")
    expect(message_box).to_be_focused()
    expect(conversation.locator(".message.bot", has_text=HOURS)).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Clinic hours")).to_have_count(0)   # answered replies go away

    # The reload in the order a slow network or a busy machine can give: the widget's stylesheet arrives
    # after the conversation's history (page.reload's default wait would wait for the held stylesheet).
    held: list[Route] = []
    page.route("**/chat/widget.css", lambda route: held.append(route), times=1)
    with page.expect_response(lambda response: response.url.endswith("/chat/history")):
        page.reload(wait_until="commit")
    held.pop().continue_()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation.locator(".message")).to_have_count(6, timeout=ANSWER_TIMEOUT_MS)
    expect(conversation.locator(".message.user")).to_have_text(
        ["You: what are your hours", "You: what can you do", "You: Clinic hours"])
    expect(conversation.locator(".message.bot", has_text=HOURS)).to_have_count(2)
    expect(conversation.locator(".message").last).to_be_in_viewport()   # scrolled to the latest answer

    # Phone-sized: the chat fills the screen and nothing scrolls sideways.
    panel = page.get_by_role("region", name="assistant")
    assert panel.bounding_box()["width"] == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Message bodies never reach the browser console.
    assert not [line for line in console if "hours" in line.lower()]

    screenshot = Path(os.environ.get("NIGHTINGALE_SCREENSHOT") or tmp_path / "webchat.png")
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 0


def test_with_two_rasa_workers_the_chat_goes_on_across_reloads(browser: Browser, tmp_path: Path) -> None:
    """Each page load may reach either worker; the patient still gets every answer and the whole chat."""
    from tests.harness import running_assistant

    questions = {"what are your hours": HOURS, "where are you located": ADDRESS, "is there parking": PARKING}
    with running_assistant(tmp_path, overrides={"RASA_WORKERS": "2"}) as assistant:
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto(f"{assistant.rasa_url}/chat/")
        page.get_by_role("button", name="Chat with us").click()
        for asked, (question, answer) in enumerate(questions.items(), start=1):
            message_box = page.get_by_role("textbox", name="Message to the assistant")
            message_box.fill(question)
            message_box.press("Enter")
            conversation = page.get_by_role("log", name="Conversation")
            expect(conversation.locator(".message.bot", has_text=answer)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
            page.reload()
            expect(page.get_by_role("log", name="Conversation").locator(".message.user")).to_have_count(
                asked, timeout=ANSWER_TIMEOUT_MS)
