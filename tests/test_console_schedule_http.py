"""The schedule's set-up pages over real HTTP: admins only, CSRF, field errors, stale saves refused, every
change audit-logged; and a time booked by the conversation's service cannot be booked again from the console.

Uses the console process of `tests/test_console_http.py` (demo clinic on SQLite, no Rasa).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.clinic import load_profile
from bot.console.models import AuditEntry
from bot.db import transaction
from bot.models import ACTIVE_STATUSES, Appointment, AppointmentType, ClinicHoliday, Provider, WorkingHours
from bot.scheduling import booking
from bot.scheduling.availability import option_from_token
from bot.scheduling.catalog import visit_from_key
from bot.settings import PROJECT_ROOT
from tests import test_console_http
from tests.test_console_http import Console, _account, csrf, errors

console = test_console_http.console  # the same module-scoped console process fixture, one for this module

SET_UP_PAGES = ("/schedule/providers", "/schedule/providers/1", "/schedule/visit-types", "/schedule/holidays")
DAY = "2027-02-16"


def count(console: Console, model: type) -> int:
    with transaction(console.database_url) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def version(html: str, action: str) -> str:
    form = html.split(f'action="{action}"', 1)[1]
    return re.search(r'name="version" value="([^"]*)"', form).group(1)


def test_front_desk_views_the_schedule_and_books_but_cannot_change_the_set_up(console: Console) -> None:
    fran = console.signed_in("fran")
    for path in ("/schedule", "/schedule?provider=1&view=day", "/patients/1/book?type=1&provider=1"):
        answer = fran.get(console.url + path)
        assert answer.status_code == 200 and "/schedule/providers" not in answer.text, path
    for path in SET_UP_PAGES:
        answer = fran.get(console.url + path)
        assert answer.status_code == 403 and "Admins only" in answer.text, path
    token = csrf(fran.get(f"{console.url}/schedule").text)
    holidays, hours = count(console, ClinicHoliday), count(console, WorkingHours)
    for path, data in (
        ("/schedule/holidays", {"day": DAY, "name": "Staff day"}),
        ("/schedule/providers/1/hours", {"hours_monday": "", "version": "x"}),
        ("/schedule/providers/1/time-off", {"first": DAY}),
        ("/schedule/providers", {"name": "Dr. Mallory", "specialty": "Cardiology", "location": "x", "active": "on"}),
    ):
        answer = fran.post(console.url + path, data={"csrf": token, **data})
        assert answer.status_code == 403 and "Admins only" in answer.text, path
    assert (count(console, ClinicHoliday), count(console, WorkingHours)) == (holidays, hours)


def test_set_up_forms_without_their_csrf_token_change_nothing(console: Console) -> None:
    ada = console.signed_in("ada")
    good = csrf(ada.get(f"{console.url}/schedule/holidays").text)
    holidays = count(console, ClinicHoliday)
    for token in (None, "", good + "x"):
        data = {"day": DAY, "name": "Staff day", **({"csrf": token} if token is not None else {})}
        answer = ada.post(f"{console.url}/schedule/holidays", data=data)
        assert answer.status_code == 403 and "Nothing was changed" in answer.text
    assert count(console, ClinicHoliday) == holidays


def test_bad_set_up_input_is_named_next_to_its_field_and_never_a_server_error(console: Console) -> None:
    ada = console.signed_in("ada")
    token = csrf(ada.get(f"{console.url}/schedule/holidays").text)
    holidays, hours = count(console, ClinicHoliday), count(console, WorkingHours)
    answer = ada.post(f"{console.url}/schedule/holidays", data={"csrf": token, "day": "16/02/2027", "name": ""})
    assert answer.status_code == 400
    assert errors(answer.text) == ["Use a date like 2027-12-25.", "Write the holiday&#39;s name."]
    page = ada.get(f"{console.url}/schedule/providers/1").text
    week = version(page, "/schedule/providers/1/hours")
    answer = ada.post(f"{console.url}/schedule/providers/1/hours",
                      data={"csrf": token, "version": week, "hours_monday": "8 till 5", "hours_tuesday": "09:00-12:00"})
    assert answer.status_code == 400 and len(errors(answer.text)) == 1
    assert "write blocks like 08:00-12:00" in errors(answer.text)[0]
    assert 'value="8 till 5"' in answer.text  # what was typed stays in the form
    answer = ada.post(f"{console.url}/schedule/visit-types", data={"csrf": token, "name": "Quick", "minutes": "7"})
    assert answer.status_code == 400 and errors(answer.text) == [
        "Give the length in minutes: 15 to 240, in steps of 15.", "Tick at least one specialty from the list."
    ]
    assert (count(console, ClinicHoliday), count(console, WorkingHours)) == (holidays, hours)
    for path in ("/schedule/providers/99999", "/schedule/providers/99999/hours", "/schedule/providers/1/time-off",
                 "/schedule/providers/1/time-off/99999/remove", "/schedule/holidays/not-a-day/remove",
                 "/schedule/visit-types/99999", "/schedule/providers/abc"):
        answer = ada.post(console.url + path, data={"csrf": token, "version": "\x00", "first": "x" * 900})
        assert 400 <= answer.status_code < 500, path
    assert ada.get(f"{console.url}/schedule/providers/99999").status_code == 404


def test_two_admins_editing_one_provider_do_not_overwrite_each_other(console: Console) -> None:
    _account(console.database_url, "bea", "admin")
    ada, bea = console.signed_in("ada"), console.signed_in("bea")
    pages = [who.get(f"{console.url}/schedule/providers/2").text for who in (ada, bea)]
    details = {"name": "Dr. James Chen", "specialty": "Family Medicine", "active": "on"}
    path = "/schedule/providers/2"
    first = ada.post(console.url + path, data={
        **details, "location": "Suite 204", "csrf": csrf(pages[0]), "version": version(pages[0], path)
    })
    assert first.status_code == 200 and "Saved." in first.text  # followed the 303 to the page
    second = bea.post(console.url + path, data={
        **details, "location": "Suite 999", "csrf": csrf(pages[1]), "version": version(pages[1], path)
    })
    assert second.status_code == 409 and "Someone else changed this meanwhile" in second.text
    assert 'value="Suite 204"' in second.text  # the form now shows the saved version
    with transaction(console.database_url) as s:
        assert s.get(Provider, 2).location == "Suite 204"
        entry = s.execute(select(AuditEntry).where(AuditEntry.target == "provider:2")).scalars().one()
    assert entry.actor == "ada" and entry.action == "provider.edit"
    assert '"location": "Suite 204"' in entry.after and '"location": "Suite 204"' not in entry.before


def test_holidays_and_time_off_added_in_the_console_are_audit_logged_and_close_the_day(console: Console) -> None:
    ada = console.signed_in("ada")
    token = csrf(ada.get(f"{console.url}/schedule/holidays").text)
    answer = ada.post(f"{console.url}/schedule/holidays", data={"csrf": token, "day": DAY, "name": "Staff day"})
    assert answer.status_code == 200 and "Staff day" in answer.text
    answer = ada.post(f"{console.url}/schedule/providers/1/time-off",
                      data={"csrf": token, "first": "2027-02-17", "last": "2027-02-18", "reason": "Course"})
    assert answer.status_code == 200 and "Wed Feb 17, 2027 to Thu Feb 18, 2027 (Course)" in answer.text
    week = ada.get(f"{console.url}/schedule?provider=1&day=2027-02-15&view=week").text
    assert "closed: Staff day" in week and week.count("closed: time off") == 2
    with transaction(console.database_url) as s:
        actions = [e.action for e in s.execute(select(AuditEntry).where(AuditEntry.actor == "ada")).scalars()]
    assert {"holiday.add", "time_off.add"} <= set(actions)


def test_a_time_booked_by_chat_cannot_be_booked_again_from_the_console(console: Console) -> None:
    fran = console.signed_in("fran")
    page = fran.get(f"{console.url}/patients/2/book?type=1&provider=1&day=2027-01-11").text
    offered = re.findall(r'name="slot" value="([^"]+)"', page)
    assert offered, "the console offered open times"
    provider_id, type_id, starts_at = option_from_token(offered[0])
    with transaction(console.database_url) as s:  # meanwhile a patient takes it in the chat (the action's service)
        visit = visit_from_key(s, f"{type_id}:{provider_id}")
        booking.book(s, load_profile(PROJECT_ROOT / "bot" / "clinic.yml"), 3, visit, starts_at, "patient:sms")
    answer = fran.post(f"{console.url}/patients/2/book", data={"csrf": csrf(page), "slot": offered[0]})
    assert answer.status_code == 409 and "that time was just taken" in answer.text
    with transaction(console.database_url) as s:
        holders = s.execute(select(Appointment.patient_id).where(
            Appointment.provider_id == provider_id, Appointment.starts_at == starts_at,
            Appointment.status.in_(ACTIVE_STATUSES),
        )).scalars().all()
    assert holders == [3]


def test_a_move_from_the_console_to_a_time_the_chat_just_took_is_refused(console: Console) -> None:
    with transaction(console.database_url) as s:
        appointment = s.execute(select(Appointment).where(
            Appointment.status.in_(ACTIVE_STATUSES), Appointment.provider_id == 1, Appointment.patient_id != 3,
        ).order_by(Appointment.starts_at.desc())).scalars().first()
        moving, patient_id, was = appointment.id, appointment.patient_id, appointment.starts_at
    fran = console.signed_in("fran")
    path = f"/patients/{patient_id}/appointments/{moving}/move"
    page = fran.get(f"{console.url}{path}?day=2027-01-19").text
    offered = re.findall(r'name="slot" value="([^"]+)"', page)
    assert offered, "the console offered open times to move to"
    provider_id, type_id, starts_at = option_from_token(offered[0])
    with transaction(console.database_url) as s:
        visit = visit_from_key(s, f"{type_id}:{provider_id}")
        booking.book(s, load_profile(PROJECT_ROOT / "bot" / "clinic.yml"), 3, visit, starts_at, "patient:web")
    answer = fran.post(console.url + path, data={"csrf": csrf(page), "slot": offered[0]})
    assert answer.status_code == 409 and "that time was just taken" in answer.text
    with transaction(console.database_url) as s:
        assert s.get(Appointment, moving).starts_at == was


def test_an_admin_retires_a_visit_type_and_no_booking_is_offered_it_until_offered_again(console: Console) -> None:
    with transaction(console.database_url) as s:
        type_id = s.execute(select(AppointmentType.id).where(AppointmentType.name == "Vaccination")).scalar_one()
    book = f"{console.url}/patients/1/book"
    fran, ada = console.signed_in("fran"), console.signed_in("ada")
    assert ">Vaccination (15 min)</option>" in fran.get(book).text
    listing = ada.get(f"{console.url}/schedule/visit-types").text
    retire = f"/schedule/visit-types/{type_id}/retire"
    data = {"csrf": csrf(listing), "version": version(listing, retire)}
    refused = fran.post(console.url + retire, data={**data, "csrf": csrf(fran.get(book).text)})
    assert refused.status_code == 403 and ">Vaccination (15 min)</option>" in fran.get(book).text

    retired = ada.post(console.url + retire, data=data)
    assert retired.url.endswith("/schedule/visit-types?saved=1")
    assert '<span class="badge">retired</span> Vaccination' in retired.text and "Offer again" in retired.text
    page = fran.get(book).text
    assert "Vaccination" not in page and "Office visit (30 min)" in page
    stale_offer = fran.get(f"{book}?type={type_id}&day=2027-01-11")
    assert stale_offer.status_code == 400 and errors(stale_offer.text) == ["Pick a visit type from the list."]
    again = ada.post(console.url + retire, data=data)  # the same page's button once more: its version is old
    assert again.status_code == 409 and "Someone else changed this meanwhile" in again.text
    with transaction(console.database_url) as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "visit_type.retire")).scalar_one()
        assert (entry.actor, entry.target) == ("ada", f"visit_type:{type_id}")
        assert '"active": true' in entry.before and '"active": false' in entry.after

    listing = retired.text
    offer = f"/schedule/visit-types/{type_id}/offer"
    ada.post(console.url + offer, data={"csrf": csrf(listing), "version": version(listing, offer)})
    assert ">Vaccination (15 min)</option>" in fran.get(book).text
