"""The staff console process over real HTTP: sign-in, sessions, roles, CSRF, and bad input never a 5xx.

One console process (`python -m bot.console`) for the module, on a scratch SQLite database with the demo
clinic; no Rasa behind it (nothing here needs the assistant).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import func, select

from bot.console import accounts
from bot.console.models import StaffAccount
from bot.db import transaction
from bot.schema import migrate
from bot.settings import PROJECT_ROOT
from tests.harness import free_port

PASSWORD = "correct horse battery"
ADMIN_PAGES = ("/staff", "/audit", "/clinic", "/reminders/policy")
FRONTDESK_PAGES = (
    "/",
    "/inbox",
    "/inbox/items",
    "/patients",
    "/patients?q=adams",
    "/deliveries",
    "/optouts",
    "/deliveries.csv",
    "/schedule",
    "/patients/1/book?type=1",
)


class Console:
    def __init__(self, url: str, database_url: str, port: int) -> None:
        self.url = url
        self.database_url = database_url
        self.port = port

    def signed_in(self, name: str, password: str = PASSWORD) -> requests.Session:
        browser = requests.Session()
        form = browser.get(f"{self.url}/signin").text
        answer = browser.post(
            f"{self.url}/signin", data={"name": name, "password": password, "csrf": csrf(form)}, allow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        return browser

    def staff_count(self) -> int:
        with transaction(self.database_url) as session:
            return session.execute(select(func.count()).select_from(StaffAccount)).scalar_one()


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def errors(html: str) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', html)


def _account(database_url: str, name: str, role: str) -> None:
    with transaction(database_url) as session:
        account, one_time = accounts.create_staff(session, name, role, actor="test")
        accounts.change_password(session, account.id, one_time, PASSWORD, PASSWORD)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    from bot.scheduling.demo import load_demo

    data_dir = tmp_path_factory.mktemp("console")
    database_url = f"sqlite:///{data_dir / 'nightingale.db'}"
    migrate(database_url)
    load_demo(database_url)
    _account(database_url, "ada", "admin")
    _account(database_url, "fran", "frontdesk")
    port = free_port()
    env = {
        **os.environ,
        "NIGHTINGALE_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "CONSOLE_PORT": str(port),
        "RASA_PORT": str(free_port()),
    }
    with open(data_dir / "console.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.console"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/signin", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.25)
        yield Console(url, database_url, port)
    finally:
        process.terminate()
        process.wait(10)


def test_signed_out_every_page_and_form_leads_to_sign_in_and_changes_nothing(console: Console) -> None:
    staff_before = console.staff_count()
    for path in (
        *FRONTDESK_PAGES,
        *ADMIN_PAGES,
        "/inbox/handoff-1",
        "/patients/1",
        "/patients/1/plans/1",
        "/patients/1/book?type=1",
        "/schedule",
        "/clinic",
        "/account/password",
    ):
        answer = requests.get(console.url + path, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["Location"].startswith("/signin?next="), path
    for path in (
        "/staff",
        "/patients/1/plans",
        "/inbox/handoff-1/claim",
        "/staff/1/disable",
        "/signout",
        "/patients/1/appointments/1/cancel",
        "/clinic",
        "/reminders/policy",
        "/reminders/policy/preview",
    ):
        answer = requests.post(console.url + path, data={"name": "mallory", "role": "admin"}, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["Location"].startswith("/signin"), path
    assert console.staff_count() == staff_before
    # After sign-in the page asked for first is the one shown.
    browser = requests.Session()
    form = browser.get(f"{console.url}/signin?next=%2Foptouts").text
    answer = browser.post(
        f"{console.url}/signin", data={"name": "fran", "password": PASSWORD, "csrf": csrf(form), "next": "/optouts"}
    )
    assert answer.url.endswith("/optouts") and "Numbers opted out of texts" in answer.text


def test_a_sign_in_to_another_site_is_refused(console: Console) -> None:
    browser = requests.Session()
    browser.get(f"{console.url}/signin")
    answer = browser.post(
        f"{console.url}/signin",
        data={"name": "fran", "password": PASSWORD, "csrf": "forged", "next": "//evil.example/"},
        allow_redirects=False,
    )
    assert answer.status_code == 403 and "nightingale_console" not in answer.cookies
    assert console.signed_in("fran").get(f"{console.url}/signin?next=//evil.example/").url == f"{console.url}/"


def test_front_desk_reaches_its_pages_but_not_admin_pages(console: Console) -> None:
    fran = console.signed_in("fran")
    for path in FRONTDESK_PAGES:
        assert fran.get(console.url + path).status_code == 200, path
    for path in ADMIN_PAGES:
        answer = fran.get(console.url + path)
        assert answer.status_code == 403 and "Admins only" in answer.text, path
    page = fran.get(f"{console.url}/").text
    assert 'href="/staff"' not in page and 'href="/inbox"' in page
    staff_before = console.staff_count()
    answer = fran.post(f"{console.url}/staff", data={"csrf": csrf(page), "name": "mallory", "role": "admin"})
    assert answer.status_code == 403 and console.staff_count() == staff_before


def test_a_form_posted_without_its_csrf_token_changes_nothing(console: Console) -> None:
    ada = console.signed_in("ada")
    good = csrf(ada.get(f"{console.url}/staff").text)
    staff_before = console.staff_count()
    for token in (None, "", "not-the-token", good + "x"):
        data = {"name": "mallory", "role": "admin", **({"csrf": token} if token is not None else {})}
        answer = ada.post(f"{console.url}/staff", data=data)
        assert answer.status_code == 403 and "Nothing was changed" in answer.text
    assert console.staff_count() == staff_before
    # The same form with its token works, and the new account's one-time password is shown once.
    answer = ada.post(f"{console.url}/staff", data={"csrf": good, "name": "kim", "role": "frontdesk"})
    assert answer.status_code == 200 and re.search(r'id="one-time-password">\w{16}<', answer.text)
    assert console.staff_count() == staff_before + 1


def test_signing_out_ends_the_session_for_good(console: Console) -> None:
    fran = console.signed_in("fran")
    cookie = fran.cookies.get("nightingale_console")
    page = fran.get(f"{console.url}/").text
    assert fran.post(f"{console.url}/signout", data={"csrf": csrf(page)}).url.endswith("/signin")
    replay = requests.get(f"{console.url}/inbox", cookies={"nightingale_console": cookie}, allow_redirects=False)
    assert replay.status_code == 303


def test_five_wrong_passwords_lock_the_account(console: Console) -> None:
    _account(console.database_url, "lee", "frontdesk")
    browser = requests.Session()
    for _ in range(accounts.MAX_FAILURES):
        form = browser.get(f"{console.url}/signin").text
        answer = browser.post(f"{console.url}/signin", data={"name": "lee", "password": "guess", "csrf": csrf(form)})
        assert answer.status_code == 401 and errors(answer.text) == [
            "That name and password do not match an active account."
        ]
    form = browser.get(f"{console.url}/signin").text
    answer = browser.post(f"{console.url}/signin", data={"name": "lee", "password": PASSWORD, "csrf": csrf(form)})
    assert answer.status_code == 401 and "locked for 15 minutes" in answer.text


def test_bad_input_gets_a_message_next_to_the_field_and_never_a_server_error(console: Console) -> None:
    ada = console.signed_in("ada")
    token = csrf(ada.get(f"{console.url}/").text)
    answer = ada.get(f"{console.url}/deliveries?start=14/03/2027&status=lost")
    assert answer.status_code == 400 and errors(answer.text) == ["Use a date like 2027-03-14."]
    answer = ada.post(
        f"{console.url}/patients/1/plans", data={"csrf": token, "medication": "", "times": "noon-ish", "days": "daily"}
    )
    assert answer.status_code == 400
    assert errors(answer.text) == [
        "Name the medication.",
        "'noon-ish' is not a time: write 8:00, 20:30 or 8:30 pm.".replace("'", "&#39;"),
    ]
    strange = (
        "/inbox/handoff-99999999999999999999",
        "/inbox/nothing-1",
        "/inbox/handoff-1/explode",
        "/patients/999999",
        "/patients/abc",
        "/patients/1/plans/999999",
        "/deliveries?offset=-5&patient=%00",
        "/audit?offset=x",
        "/static/../bot/settings.py",
        "/" + "a" * 5000,
    )
    for path in strange:
        assert ada.get(console.url + path).status_code < 500, path
    for path in (
        "/inbox/handoff-1/claim",
        "/inbox/handoff-1/reply",
        "/patients/1/plans/1/pause",
        "/patients/999/plans",
        "/staff/999/reset",
        "/staff/1/explode",
        "/account/password",
    ):
        answer = ada.post(console.url + path, data={"csrf": token, "version": "x" * 50, "text": "\x00" * 3})
        assert answer.status_code < 500, path


def test_the_console_listens_on_loopback_only_by_default(console: Console) -> None:
    from tests.test_run_command import _listening_addresses

    assert _listening_addresses(console.port) == ["127.0.0.1"]
