"""The appointment a patient describes ("my skin check", "my wednesday appointment", "the one with Dr. Diaz",
"my appointment on the 9th") is the one moved, cancelled or confirmed, and a move keeps its own kind of visit.

Maria has an office visit with Dr. Park on a Monday, Wednesday or Friday and a skin check with Dr. Diaz (who
works Tuesdays and Thursdays), as the tester's patient had an office visit and a skin check on other days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.appointments import ActionConfirmAppointment, ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from actions.scheduling import ActionAskAppointmentChoice
from actions.wording import NO_SUCH_APPOINTMENT, ONLY_UPCOMING
from bot.clinic import load_profile
from bot.db import transaction
from bot.dialogue.answers import describes_an_appointment
from bot.models import Appointment
from bot.nlu.readings import _as_managing
from bot.scheduling import booking
from bot.scheduling.availability import find_slots, option_from_token
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.describing import new_time_words, split_move
from bot.scheduling.errors import UnknownVisit
from bot.scheduling.timeparse import When
from bot.settings import get_settings
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import clinic, offer, run, started_by, texts, tracker, user, verified  # noqa: F401

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _book(app_db: str, key: str, patient: int, weekdays: set[int]) -> tuple[int, date]:
    clinic_profile = load_profile(get_settings().clinic_profile)
    now = clinic_profile.local_now()
    with transaction(app_db) as s:
        visit = visit_from_key(s, key)
        day = now.date() + timedelta(days=1)
        while day.weekday() not in weekdays:
            day += timedelta(days=1)
        option = find_slots(s, clinic_profile, visit, When(day, day), now).options[0]
        booked = booking.book(s, clinic_profile, patient, visit, option.starts_at, "staff:test")
        return booked.appointment_id, day


@pytest.fixture
def office_and_skin(app_db: str, verified: Clinic) -> dict[str, tuple[int, date]]:  # noqa: F811
    return {
        "office": _book(app_db, f"{verified.office_visit}:{verified.park}", verified.maria, {0, 2, 4}),
        "skin": _book(app_db, f"{verified.skin_check}:{verified.diaz}", verified.maria, {1, 3}),
    }


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 11 <= day <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def _other_weekday(*taken: date) -> str:
    """A clinic weekday other than the appointments' own (the new day of a move)."""
    return next(DAY_NAMES[d] for d in range(5) if d not in {t.weekday() for t in taken})


def _moving(text: str) -> tuple[dict, list[dict]]:
    return run(ValidateBookingForm(), tracker(text, "reschedule_appointment", {"pending_request": "reschedule"},
                                              "booking_form"))


def _type_of(app_db: str, appointment_id: int) -> tuple[int, int]:
    with transaction(app_db) as s:
        appointment = s.get(Appointment, appointment_id)
        return appointment.appointment_type_id, appointment.provider_id


def test_my_skin_check_is_the_one_moved_without_asking_and_its_times_are_for_a_skin_check(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    skin, skin_day = office_and_skin["skin"]
    started, messages = _moving("can I reschedule my skin check to friday")
    assert started["appointment_id"] == skin and started["requested_slot"] == "slot_choice"
    assert started["visit"] == f"{verified.skin_check}:{verified.diaz}" and started["when"] == "friday"
    assert "skin check with Dr. Cora Diaz" in texts(messages)


def test_the_appointment_chosen_to_move_keeps_its_own_kind_whatever_the_request_named(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    # H1: the request named a skin check, the patient chose their office visit: the office visit is moved,
    # as an office visit with its own provider (it was rebooked as a skin check with the other doctor).
    office, office_day = office_and_skin["office"]
    request = f"can I reschedule my skin check to {_other_weekday(office_day, office_and_skin['skin'][1])}"
    offered, _ = run(ActionAskAppointmentChoice(), tracker("", slots={"pending_request": "reschedule"}))
    slots = {**offered, "pending_request": "reschedule", "requested_slot": "appointment_choice"}
    history = started_by(request, "reschedule_appointment", "booking_form")
    first = next(i for i, o in enumerate(offered["offered_appointments"]) if o["token"].endswith(f":{office}"))
    chosen, _ = run(ValidateBookingForm(), tracker(str(first + 1), "inform", slots, history=history))
    assert chosen["appointment_id"] == office
    assert chosen["visit"] == f"{verified.office_visit}:{verified.park}"
    times, said = offer({**slots, **chosen})
    assert "office visit with Dr. Ada Park" in texts(said)
    assert all("Dr. Ada Park" in t["label"] for t in times["offered_slots"])


def test_a_move_never_changes_the_kind_of_visit(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    office, office_day = office_and_skin["office"]
    clinic_profile = load_profile(get_settings().clinic_profile)
    before = _type_of(app_db, office)
    with transaction(app_db) as s:
        skin = visit_from_key(s, f"{verified.skin_check}:{verified.diaz}")
        day = office_day + timedelta(days=1)
        while day.weekday() not in (1, 3):
            day += timedelta(days=1)
        option = find_slots(s, clinic_profile, skin, When(day, day), clinic_profile.local_now()).options[0]
        with pytest.raises(UnknownVisit):
            booking.reschedule(s, clinic_profile, verified.maria, office, skin, option.starts_at, "patient:sms")
    assert _type_of(app_db, office) == before


def test_my_wednesday_appointment_is_the_one_moved_and_friday_is_its_new_day(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    # F4: the day naming the appointment picked it, and was not used as its new day.
    office, office_day = office_and_skin["office"]
    target = _other_weekday(office_day, office_and_skin["skin"][1])
    started, _ = _moving(f"I need to move my {DAY_NAMES[office_day.weekday()]} appointment to {target} please")
    assert started["appointment_id"] == office and started["requested_slot"] == "slot_choice"
    assert started["when"] == f"{target} please"
    times, _ = offer(started)
    assert times["offered_slots"]
    assert {option_from_token(t["token"])[2].astimezone(load_profile(get_settings().clinic_profile).zone)
            .strftime("%A").lower() for t in times["offered_slots"]} == {target}


def test_the_words_of_a_move_are_split_into_the_appointment_and_its_new_time() -> None:
    wednesday = date(2026, 12, 9)
    words = split_move("I need to move my wednesday appointment to friday please")
    assert words.marked and words.target == "friday please" and "wednesday" in words.source
    assert new_time_words("can we push the skin doctor appt to next thursday afternoon", wednesday) == (
        "next thursday afternoon"
    )
    assert "wednesday" not in new_time_words("move my wednesday appointment", wednesday)
    assert new_time_words("move my appointment on the 9th", wednesday) == ""
    assert new_time_words("friday instead of wednesday", wednesday).strip() == "friday"
    assert new_time_words("push it back a week", wednesday) == "push it back a week"


def test_cancel_my_appointment_on_a_date_picks_it_and_a_provider_of_none_is_said_so(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    skin, skin_day = office_and_skin["skin"]
    started, messages = run(ValidateCancelForm(), tracker(
        f"cancel my appointment on the {_ordinal(skin_day.day)}", "cancel_appointment", activated="cancel_form"))
    assert started["appointment_id"] == skin and started["requested_slot"] == "cancel_confirmed" and not messages
    named, _ = run(ValidateCancelForm(), tracker(
        "cancel my appointment with dr diaz", "cancel_appointment", activated="cancel_form"))
    assert named["appointment_id"] == skin
    unknown, said = run(ValidateCancelForm(), tracker(
        "cancel my appointment with dr ross", "cancel_appointment", activated="cancel_form"))
    assert unknown["appointment_id"] is None and unknown["requested_slot"] == "appointment_choice"
    assert texts(said) == NO_SUCH_APPOINTMENT


def _confirm_question(messages: list[dict]) -> dict:
    return {"event": "bot", "text": "Shall I confirm it?", "data": {"buttons": messages[0]["buttons"]},
            "timestamp": 1.0}


def test_confirm_my_appointment_with_a_provider_asks_about_that_one_and_the_yes_confirms_it(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    # H3: "with Dr Bennett" offered the other appointment, and "yes" confirmed it.
    office, skin = office_and_skin["office"][0], office_and_skin["skin"][0]
    request = "I want to confirm my appointment with Dr Diaz"
    asked, messages = run(ActionConfirmAppointment(), tracker(request, "confirm_appointment"))
    assert messages[0]["response"] == "utter_ask_confirm" and "Dr. Cora Diaz" in messages[0]["appointment"]
    assert asked["confirm_target"] == skin
    history = [user(request, "confirm_appointment"), _confirm_question(messages)]
    run(ActionConfirmAppointment(), tracker("yes", "confirm_appointment", asked, history=history))
    with transaction(app_db) as s:
        assert s.get(Appointment, skin).confirmed_at is not None
        assert s.get(Appointment, office).confirmed_at is None


def test_after_no_to_a_wrong_proposal_the_described_one_is_asked_about_and_nothing_is_confirmed(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    office, skin = office_and_skin["office"][0], office_and_skin["skin"][0]
    # Which one comes first depends on today's weekday: the next one is proposed, the other is described.
    office_first = office_and_skin["office"][1] < office_and_skin["skin"][1]
    proposed, described = (office, skin) if office_first else (skin, office)
    words, provider = ("the diaz one", "Dr. Cora Diaz") if office_first else ("the park one", "Dr. Ada Park")
    asked, messages = run(ActionConfirmAppointment(), tracker("confirm my appointment", "confirm_appointment"))
    assert asked["confirm_target"] == proposed  # the next one: named in the question, so a no can follow
    history = [user("confirm my appointment", "confirm_appointment"), _confirm_question(messages),
               user("no", "deny"), {"event": "bot", "text": "Anything else?", "timestamp": 2.0}]
    assert describes_an_appointment(words)
    again, said = run(ActionConfirmAppointment(), tracker(words, "inform", asked, history=history))
    assert said[0]["response"] == "utter_ask_confirm" and provider in said[0]["appointment"]
    assert again["confirm_target"] == described
    # Said right after the question, the description is no yes to it either.
    right_after = history[:2]
    _, said = run(ActionConfirmAppointment(), tracker(words, "inform", asked, history=right_after))
    assert said[0]["response"] == "utter_ask_confirm"
    with transaction(app_db) as s:
        assert s.get(Appointment, skin).confirmed_at is None and s.get(Appointment, office).confirmed_at is None


def test_confirming_an_appointment_the_patient_does_not_have_lists_theirs_and_confirms_nothing(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    asked, messages = run(ActionConfirmAppointment(), tracker("confirm my appointment with dr ross",
                                                              "confirm_appointment"))
    said = texts(messages)
    assert said.startswith(NO_SUCH_APPOINTMENT) and "Dr. Ada Park" in said and "Dr. Cora Diaz" in said
    history = [user("confirm my appointment with dr ross", "confirm_appointment"),
               {"event": "bot", "text": said, "timestamp": 1.0}]
    _, answered = run(ActionConfirmAppointment(), tracker("yes", "confirm_appointment", asked, history=history))
    assert answered[0].get("response") != "utter_confirmed"
    with transaction(app_db) as s:
        for appointment_id, _ in office_and_skin.values():
            assert s.get(Appointment, appointment_id).confirmed_at is None


def test_a_move_said_of_an_appointment_is_no_booking_even_when_it_names_a_clinician() -> None:
    # H2: "push the skin doctor appt" was read as a booking (0.61) over the move (0.36), and booked a second visit.
    ranked = [("book_appointment", 0.61), ("reschedule_appointment", 0.36), ("cancel_appointment", 0.01)]
    folded = _as_managing(ranked, "can we push the skin doctor appt to next thursday afternoon")
    assert folded[0] == ("reschedule_appointment", pytest.approx(0.97))
    assert _as_managing([("book_appointment", 0.5), ("cancel_appointment", 0.4)], "cancel my skin doctor appt")[0][
        0] == "cancel_appointment"
    # A booking that says nothing of moving stands, and so does anything else on top.
    assert _as_managing(ranked, "book the skin doctor for next thursday") == ranked
    assert _as_managing([("faq", 0.6), ("book_appointment", 0.3)], "move my appt?")[0][0] == "faq"


def test_push_the_skin_doctor_appt_moves_the_skin_check_to_the_time_after_to(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    skin, _ = office_and_skin["skin"]
    started, _ = _moving("can we push the skin doctor appt to next thursday afternoon")
    assert started["appointment_id"] == skin and started["when"] == "next thursday afternoon"
    assert started["visit"] == f"{verified.skin_check}:{verified.diaz}"


def test_the_only_appointment_described_wrongly_is_said_so_and_still_asked_about(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    only, day = _book(app_db, f"{verified.office_visit}:{verified.park}", verified.maria, {0, 2, 4})
    wrong = DAY_NAMES[(day.weekday() + 1) % 7]
    started, said = run(ValidateCancelForm(), tracker(
        f"cant make it {wrong}, cancel my appointment", "cancel_appointment", activated="cancel_form"))
    assert started["appointment_id"] == only and started["requested_slot"] == "cancel_confirmed"
    assert texts(said) == ONLY_UPCOMING


def test_moving_a_checkup_when_the_only_appointment_is_an_office_visit_names_it_without_saying_none_fits(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    # Round 4: "I don't see an upcoming appointment like that." and then that very appointment was moved.
    only, day = _book(app_db, f"{verified.office_visit}:{verified.park}", verified.maria, {0, 2, 4})
    started, said = _moving(f"move my checkup to {DAY_NAMES[(day.weekday() + 2) % 5]}")
    assert started["appointment_id"] == only and started["visit"] == f"{verified.office_visit}:{verified.park}"
    assert NO_SUCH_APPOINTMENT not in texts(said)
    assert texts(said).startswith(ONLY_UPCOMING) and "office visit with Dr. Ada Park" in texts(said)


def test_a_checkup_described_among_several_appointments_that_are_not_is_asked_which(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    started, said = run(ValidateCancelForm(), tracker("cancel my checkup", "cancel_appointment",
                                                      activated="cancel_form"))
    assert started["appointment_id"] is None and started["requested_slot"] == "appointment_choice"
    assert texts(said) == NO_SUCH_APPOINTMENT  # the list to choose from follows (action_ask_appointment_choice)


def test_confirming_the_only_appointment_described_wrongly_names_it_and_asks(
    app_db: str, verified: Clinic  # noqa: F811
) -> None:
    only, _ = _book(app_db, f"{verified.office_visit}:{verified.park}", verified.maria, {0, 2, 4})
    asked, messages = run(ActionConfirmAppointment(), tracker("confirm my checkup", "confirm_appointment"))
    assert messages[0]["text"] == ONLY_UPCOMING and NO_SUCH_APPOINTMENT not in texts(messages)
    assert messages[1]["response"] == "utter_ask_confirm" and "Dr. Ada Park" in messages[1]["appointment"]
    assert asked["confirm_target"] == only
    with transaction(app_db) as s:
        assert s.get(Appointment, only).confirmed_at is None


def test_cancel_my_derm_appt_is_the_skin_check(
    app_db: str, verified: Clinic, office_and_skin: dict  # noqa: F811
) -> None:
    skin, _ = office_and_skin["skin"]
    started, said = run(ValidateCancelForm(), tracker("cancel my derm appt", "cancel_appointment",
                                                      activated="cancel_form"))
    assert started["appointment_id"] == skin and started["requested_slot"] == "cancel_confirmed" and not said
