"""The scheduling service without Rasa, on SQLite and PostgreSQL: open times, bookings, policies, audit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.clinic import load_profile
from bot.db import transaction
from bot.models import (
    Appointment,
    AppointmentAudit,
    AppointmentStatus,
    ClinicHoliday,
    Patient,
    Provider,
    TimeOff,
    WorkingHours,
)
from bot.scheduling import booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import resolve_visit, visit_from_key
from bot.scheduling.choices import Offer, answers_a_reminder, appointment_menu, pick, pick_appointment
from bot.scheduling.demo import load_demo
from bot.scheduling.errors import (
    BeyondHorizon,
    NoAppointment,
    OutsideOpeningHours,
    PastTime,
    SlotTaken,
    UnknownProvider,
    UnknownVisit,
)
from bot.scheduling.policies import check_when
from bot.scheduling.timeparse import When, parse_when
from bot.settings import get_settings
from tests.scheduling_helpers import MONDAY_8AM, NEW_YORK, Clinic, local, make_clinic

MONDAY = MONDAY_8AM.date()
NOW = MONDAY_8AM.astimezone(timezone.utc)


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return make_clinic(db_url)


def profile():
    return load_profile(get_settings().clinic_profile)


def starts(options) -> list[datetime]:
    return [o.starts_at for o in options]


def test_asap_offers_the_next_three_open_times_spread_over_the_morning(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = resolve_visit(s, "i feel sick")
        found = find_slots(s, profile(), visit, When(MONDAY, MONDAY + timedelta(days=90)), NOW)
    assert visit.type_name == "Sick visit" and visit.specialties == ("Family Medicine",)
    assert found.exact_fit
    assert starts(found.options) == [local(MONDAY, 9), local(MONDAY, 10), local(MONDAY, 11)]
    assert found.options[0].provider_name == "Dr. Ada Park"


def test_a_booked_time_is_never_offered_or_booked_again(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booking.book(s, profile(), clinic.maria, visit, local(MONDAY, 9), "patient:sms", NOW)
    with transaction(db_url) as s, pytest.raises(SlotTaken) as taken:
        # 9:15-9:45 overlaps the 9:00-9:30 visit by one 15-minute grain
        booking.book(s, profile(), clinic.jose, visit, local(MONDAY, 9, 15), "patient:web", NOW)
    assert local(MONDAY, 9, 15) not in starts(taken.value.alternatives)
    assert taken.value.alternatives and str(taken.value) == "Sorry, that time was just taken."
    with transaction(db_url) as s:
        offered = find_slots(s, profile(), visit, When(MONDAY, MONDAY, exact=time(9)), NOW)
        assert not offered.exact_fit and local(MONDAY, 9) not in starts(offered.options)
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 1


def test_an_exact_time_comes_with_the_nearest_alternatives(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        found = find_slots(s, profile(), visit, When(MONDAY, MONDAY, exact=time(15)), NOW)
    assert found.exact_fit
    # The time asked for comes first (in time order "1" was 2:45 PM), then the later one, then the earlier.
    assert starts(found.options) == [local(MONDAY, 15), local(MONDAY, 15, 15), local(MONDAY, 14, 45)]


def test_a_time_asked_for_and_taken_is_followed_by_the_nearest_later_ones_first(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booking.book(s, profile(), clinic.jose, visit, local(MONDAY, 15), "patient:web", NOW)
    with transaction(db_url) as s:
        found = find_slots(s, profile(), visit, When(MONDAY, MONDAY, exact=time(15)), NOW)
    assert not found.exact_fit
    assert starts(found.options) == [local(MONDAY, 15, 30), local(MONDAY, 15, 45), local(MONDAY, 14, 30)]


def test_lunch_breaks_time_off_and_holidays_are_never_offered(db_url: str, clinic: Clinic) -> None:
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    with transaction(db_url) as s:
        s.add(TimeOff(provider_id=clinic.park, starts_at=local(tuesday, 0), ends_at=local(wednesday, 0)))
        s.add(ClinicHoliday(day=wednesday, name="Staff training"))
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        noon = find_slots(s, profile(), visit, When(MONDAY, MONDAY, earliest=time(11, 45), latest=time(13)), NOW)
        off = find_slots(s, profile(), visit, When(tuesday, wednesday), NOW)
    assert not noon.exact_fit  # a 30-minute visit cannot start in the last quarter hour before lunch
    assert noon.options and all(
        o.ends_at <= local(MONDAY, 12) or o.starts_at >= local(MONDAY, 13) for o in noon.options
    )
    assert not off.exact_fit
    assert off.options and all(o.starts_at.astimezone(NEW_YORK).date() not in (tuesday, wednesday) for o in off.options)


def test_a_fully_booked_day_is_skipped_until_a_cancellation_frees_a_time(db_url: str, clinic: Clinic) -> None:
    tuesday = MONDAY + timedelta(days=1)
    monday_starts = [local(MONDAY, h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        booked = [booking.book(s, profile(), clinic.maria, visit, t, "staff:alice", NOW) for t in monday_starts]
    asap = When(MONDAY, MONDAY + timedelta(days=30))
    with transaction(db_url) as s:
        full = find_slots(s, profile(), visit, asap, NOW)
    with transaction(db_url) as s:
        booking.cancel(s, clinic.maria, booked[monday_starts.index(local(MONDAY, 14))].appointment_id, "patient:sms")
    with transaction(db_url) as s:
        freed = find_slots(s, profile(), visit, asap, NOW)
    assert starts(full.options) == [local(tuesday, 9), local(tuesday, 10), local(tuesday, 11)]
    assert starts(freed.options) == [local(MONDAY, 14), local(tuesday, 9), local(tuesday, 10)]


def test_a_search_from_closed_days_offers_the_first_open_days_times(db_url: str, clinic: Clinic) -> None:
    christmas, monday, tuesday = date(2026, 12, 25), date(2026, 12, 28), date(2026, 12, 29)
    with transaction(db_url) as s:
        s.add(ClinicHoliday(day=christmas, name="Christmas Day"))
        s.add(ClinicHoliday(day=monday, name="Christmas (observed)"))
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        # Christmas and Monday are holidays, Saturday has no family doctor, Sunday is closed.
        found = find_slots(s, profile(), visit, When(christmas, christmas + timedelta(days=30)), NOW)
    assert starts(found.options) == [local(tuesday, 9), local(tuesday, 10), local(tuesday, 11)]


def test_wall_times_follow_daylight_saving_time(db_url: str, clinic: Clinic) -> None:
    before, after = date(2027, 3, 12), date(2027, 3, 15)  # a Friday in EST, a Monday in EDT
    now = datetime(2027, 3, 1, tzinfo=timezone.utc)
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.sick_visit}:{clinic.park}")
        friday = find_slots(s, profile(), visit, When(before, before, exact=time(9)), now).options[0]
        monday = find_slots(s, profile(), visit, When(after, after, exact=time(9)), now).options[0]
    assert friday.starts_at == datetime(2027, 3, 12, 14, 0, tzinfo=timezone.utc)
    assert monday.starts_at == datetime(2027, 3, 15, 13, 0, tzinfo=timezone.utc)


def test_reschedule_cancel_and_confirm_each_leave_an_audit_row(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.ross}")
        booked = booking.book(s, profile(), clinic.maria, visit, local(MONDAY, 10), "patient:sms", NOW)
        booking.reschedule(
            s, profile(), clinic.maria, booked.appointment_id, visit, local(MONDAY, 14), "patient:web", NOW
        )
        booking.confirm(s, clinic.maria, booked.appointment_id, "patient:sms")
    with transaction(db_url) as s:
        # the old time is free again for someone else
        booking.book(s, profile(), clinic.jose, visit, local(MONDAY, 10), "staff:alice", NOW)
        booking.cancel(s, clinic.maria, booked.appointment_id, "staff:alice")
    with transaction(db_url) as s:
        booking.book(s, profile(), clinic.jose, visit, local(MONDAY, 14), "patient:sms", NOW)
        audit = s.execute(
            select(AppointmentAudit.action, AppointmentAudit.actor)
            .where(AppointmentAudit.appointment_id == booked.appointment_id)
            .order_by(AppointmentAudit.id)
        ).all()
        status = s.get(Appointment, booked.appointment_id).status
    assert [tuple(row) for row in audit] == [
        ("booked", "patient:sms"),
        ("rescheduled", "patient:web"),
        ("confirmed", "patient:sms"),
        ("cancelled", "staff:alice"),
    ]
    assert status is AppointmentStatus.CANCELLED


def test_a_patient_cannot_touch_someone_elses_appointment(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.ross}")
        booked = booking.book(s, profile(), clinic.maria, visit, local(MONDAY, 10), "patient:sms", NOW)
    with transaction(db_url) as s, pytest.raises(NoAppointment):
        booking.cancel(s, clinic.jose, booked.appointment_id, "patient:sms")


def test_without_a_reminder_the_next_upcoming_appointment_is_the_target(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.ross}")
        later = booking.book(s, profile(), clinic.maria, visit, local(MONDAY, 15), "patient:sms", NOW)
        sooner = booking.book(s, profile(), clinic.maria, visit, local(MONDAY, 11), "patient:sms", NOW)
        assert booking.target_appointment(s, clinic.maria, NOW).appointment_id == sooner.appointment_id
        assert [b.appointment_id for b in booking.upcoming(s, clinic.maria, NOW)] == [
            sooner.appointment_id,
            later.appointment_id,
        ]
        with pytest.raises(NoAppointment):
            booking.target_appointment(s, clinic.jose, NOW)


def test_visits_are_read_from_everyday_words(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        assert resolve_visit(s, "book me with dr park").provider_name == "Dr. Ada Park"
        assert resolve_visit(s, "dermatolgy please").specialties == ("Dermatology",)
        assert resolve_visit(s, "a skin check").type_name == "Skin check"
        assert resolve_visit(s, "i need an appointment") is None
        with pytest.raises(UnknownProvider, match="We don't have a Dr. House"):
            resolve_visit(s, "with dr house")
        # "doctor" as a noun names nobody: this used to answer "We don't have a Dr. Wants".
        assert resolve_visit(s, "my doctor wants me to schedule a sick visit").type_name == "Sick visit"
        assert resolve_visit(s, "the doctor said to come back next week") is None
        # A specialist we do not have is said plainly, even when the name holds a word of ours ("therapist").
        with pytest.raises(UnknownVisit, match="we don't have a physical therapist here"):
            resolve_visit(s, "im looking for a physical therapist for my knee")
        # A kind of visit the named specialty does not offer books that specialty's general visit, as a
        # named provider does, instead of refusing the request.
        visit = resolve_visit(s, "a sick visit with dermatology")
        assert (visit.type_name, visit.specialties) == ("Office visit", ("Dermatology",))
        # The specialty asked for survives the conversation's slot: a skin doctor, not any office visit, which
        # goes to primary care.
        assert visit_from_key(s, visit.key) == visit
        assert visit_from_key(s, resolve_visit(s, "an office visit").key).specialties == ("Family Medicine",)
        # Changing only the provider keeps the kind of visit when the new one offers it.
        assert resolve_visit(s, "i'd rather see dr park", keep_type=clinic.sick_visit).type_name == "Sick visit"
        assert resolve_visit(s, "dr park instead", keep_type=clinic.skin_check).type_name == "Office visit"
        # A typo of two swapped letters in a short word is still read.
        assert resolve_visit(s, "a skni check").type_name == "Skin check"


@pytest.mark.parametrize(
    "words, error, says",
    [
        ("yesterday", PastTime, "already passed"),
        ("today at 7am", PastTime, "already passed"),
        ("in 20 weeks", BeyondHorizon, "90 days ahead"),
        ("sunday", OutsideOpeningHours, "closed on Sundays"),
        ("december 25", OutsideOpeningHours, "closed on Christmas Day"),
        ("monday at 7pm", OutsideOpeningHours, "outside our opening hours"),
        ("after 8pm any weekday", OutsideOpeningHours, "outside our opening hours"),
    ],
)
def test_requests_the_clinic_cannot_honour_get_a_reason(words: str, error: type, says: str) -> None:
    when = parse_when(words, MONDAY_8AM, 90)
    with pytest.raises(error, match=says):
        check_when(when, profile(), MONDAY_8AM, 90, {date(2026, 12, 25): "Christmas Day"})


def test_a_holiday_asked_for_is_closed_and_the_nearest_open_days_are_named() -> None:
    """ "can I come in on christmas day" was "Sorry, I didn't catch a day or time"."""
    when = parse_when("can I come in on christmas day for a checkup?", MONDAY_8AM, 90)
    with pytest.raises(OutsideOpeningHours) as closed:
        check_when(when, profile(), MONDAY_8AM, 90, {date(2026, 12, 25): "Christmas Day"})
    assert "closed on Christmas Day" in str(closed.value)
    assert "nearest days we're open are Thursday, December 24 and Saturday, December 26" in str(closed.value)


def test_after_5pm_any_weekday_means_wednesday_evenings(db_url: str, clinic: Clinic) -> None:
    when = check_when(parse_when("after 5pm any weekday", MONDAY_8AM, 90), profile(), MONDAY_8AM, 90, {})
    with transaction(db_url) as s:
        s.add(Provider(name="Dr. Eve Late", specialty="Family Medicine", location="Suite 200"))
    with transaction(db_url) as s:
        late = s.execute(select(Provider).where(Provider.name == "Dr. Eve Late")).scalar_one()
        s.add(WorkingHours(provider_id=late.id, weekday=2, start_time=time(13), end_time=time(19)))
    with transaction(db_url) as s:
        visit = resolve_visit(s, "sick visit")
        found = find_slots(s, profile(), visit, when, NOW)
    assert [o.starts_at.astimezone(NEW_YORK).strftime("%a %d %H:%M") for o in found.options] == [
        "Wed 09 17:00",
        "Wed 09 18:00",
        "Wed 16 17:00",
    ]
    assert {o.provider_name for o in found.options} == {"Dr. Eve Late"}


def test_demo_data_makes_a_realistic_clinic_once(db_url: str) -> None:
    assert load_demo(db_url) is True
    assert load_demo(db_url) is False
    with transaction(db_url) as s:
        providers = s.execute(select(Provider)).scalars().all()
        patients = s.execute(select(func.count()).select_from(Patient)).scalar_one()
        appointments = s.execute(select(func.count()).select_from(Appointment)).scalar_one()
        mobiles = s.execute(select(Patient.mobile)).scalars().all()
    assert len(providers) == 10 and len({p.specialty for p in providers}) >= 5
    assert patients == 50 and appointments >= 50
    assert all(m.startswith("+1555010") and len(m) == 12 for m in mobiles)


def test_demo_data_command_fills_an_empty_database_once(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from bot.scheduling.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    for _ in range(2):
        args = parser.parse_args(["demo-data", "--database-url", sqlite_url])
        assert args.func(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "demo clinic created",
        "providers already exist; demo data left alone",
    ]


THREE_TIMES: list[Offer] = [
    {"token": "1|2|20261208T1400", "label": "Tuesday, December 8 at 9:00 AM with Dr. Ada Park", "clock": "9:00 AM"},
    {"token": "1|2|20261208T1500", "label": "Tuesday, December 8 at 10:00 AM with Dr. Ada Park", "clock": "10:00 AM"},
    {"token": "1|2|20261208T1630", "label": "Tuesday, December 8 at 11:30 AM with Dr. Ada Park", "clock": "11:30 AM"},
]


@pytest.mark.parametrize(
    "reply, chosen",
    [
        ("2", 1),
        ("#3", 2),
        ("option 2", 1),
        ("two", 1),
        ("the first one", 0),
        ("the second one", 1),
        ("the 2nd", 1),
        ("third please", 2),
        ("the last one", 2),
        ("10am", 1),
        ("11:30 am", 2),
        ("the 10:00 one", 1),
        ("9 a.m.", 0),
        ("1|2|20261208T1400", 0),
        ("5", None),
        ("the blue one", None),
        ("none of these", None),
        ("", None),
    ],
)
def test_a_numbered_choice_is_read_from_the_patients_words(reply: str, chosen: int | None) -> None:
    assert pick(reply, THREE_TIMES) == (None if chosen is None else THREE_TIMES[chosen])


def test_which_appointment_offers_the_next_three_and_asks_nothing_about_a_single_one(
    db_url: str, clinic: Clinic
) -> None:
    with transaction(db_url) as s:
        with pytest.raises(NoAppointment, match="don't see any upcoming appointments"):
            appointment_menu(s, clinic.jose, NEW_YORK, reminder_reply=False, now=NOW)
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.ross}")
        # Booked out of order, so database ids and places in the list differ.
        booked = {
            days: booking.book(
                s, profile(), clinic.maria, visit, local(MONDAY + timedelta(days=days), 10), "patient:sms", NOW
            ).appointment_id
            for days in (3, 0, 2, 1)
        }
        only = booking.book(s, profile(), clinic.jose, visit, local(MONDAY, 11), "patient:sms", NOW).appointment_id
    with transaction(db_url) as s:
        menu = appointment_menu(s, clinic.maria, NEW_YORK, reminder_reply=False, now=NOW)
        # A bare "2" that answers no reminder still asks.
        assert appointment_menu(s, clinic.maria, NEW_YORK, reminder_reply=True, now=NOW) == menu
        assert appointment_menu(s, clinic.jose, NEW_YORK, reminder_reply=False, now=NOW).settled == only
    assert [o["label"] for o in menu.offers] == [
        "Monday, December 7 at 10:00 AM: Office visit with Dr. Ben Ross",
        "Tuesday, December 8 at 10:00 AM: Office visit with Dr. Ben Ross",
        "Wednesday, December 9 at 10:00 AM: Office visit with Dr. Ben Ross",
    ]
    assert menu.later == 1 and menu.settled is None
    assert pick_appointment("2", menu.offers) == booked[1]
    assert pick_appointment("the last one", menu.offers) == booked[2]
    # Every offer is at 10:00 AM, so the time alone chooses none of them.
    assert pick_appointment("the 10am one", menu.offers) is None
    assert pick_appointment("4", menu.offers) is None


@pytest.mark.parametrize(
    "request_text, answers",
    [
        ("2", True), (" 3 ", True), ("1.", True), ("1 thx", True), ("2 pls", True), ("3, thank you!", True),
        ("4", False), ("2pm", False), ("cancel my appointment", False), ("1 more question", False),
    ],
)
def test_only_a_bare_1_2_or_3_answers_an_appointment_reminder(request_text: str, answers: bool) -> None:
    assert answers_a_reminder(request_text) is answers


def test_an_appointment_is_chosen_by_its_kind_provider_or_specialty_when_only_one_fits() -> None:
    def offer(n: int, about: str) -> Offer:
        return {"token": f"appointment:{n}", "label": f"Visit {n}", "clock": "10:00 AM", "about": about}

    offered = [
        offer(7, "Skin check Dr. Laura Bennett Dermatology"),
        offer(8, "Office visit Dr. Robert Kim Cardiology"),
        offer(9, "Office visit Dr. Maria Alvarez Family Medicine"),
    ]
    assert pick_appointment("the skin one", offered) == 7
    assert pick_appointment("the dermatology one", offered) == 7
    assert pick_appointment("the one with the heart doctor", offered) == 8
    assert pick_appointment("dr kim's", offered) == 8
    # Two are office visits: the kind alone chooses neither.
    assert pick_appointment("the office visit", offered) is None
    assert pick_appointment("whichever", offered) is None


def test_todays_weekday_said_after_closing_offers_next_weeks_day(db_url: str, clinic: Clinic) -> None:
    # "monday", said on a Monday evening: today's hours are over, so it is next Monday, never Tuesday.
    evening = datetime.combine(MONDAY, time(19), tzinfo=NEW_YORK)
    with transaction(db_url) as s:
        visit = resolve_visit(s, "i feel sick")
        when = parse_when("can i come in monday", evening, 90)
        assert when is not None
        found = find_slots(s, profile(), visit, when, evening)
    next_monday = MONDAY + timedelta(days=7)
    assert found.options and {o.starts_at.date() for o in found.options} == {next_monday}


def test_a_request_naming_the_provider_of_one_appointment_means_that_one(db_url: str, clinic: Clinic) -> None:
    with transaction(db_url) as s:
        ross = visit_from_key(s, f"{clinic.office_visit}:{clinic.ross}")
        park = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        with_ross = booking.book(s, profile(), clinic.maria, ross, local(MONDAY, 10), "patient:sms", NOW)
        booking.book(s, profile(), clinic.maria, park, local(MONDAY, 14), "patient:sms", NOW)
    with transaction(db_url) as s:
        named = appointment_menu(s, clinic.maria, NEW_YORK, False, NOW, request="I must cancel my visit with Dr. Ross")
        assert named.settled == with_ross.appointment_id
        # Naming nobody, or a provider of none of them, still asks which.
        assert appointment_menu(s, clinic.maria, NEW_YORK, False, NOW, request="cancel my appointment").settled is None
        assert appointment_menu(s, clinic.maria, NEW_YORK, False, NOW, request="with dr diaz").settled is None
