"""Choice words a tester's patients used at the bot's lists and yes/no questions: "the later one" at a list of
times, "both" when asked which appointment to cancel, "just cancel it" at "Do you want to cancel it?", and a
plain "no" to a list of times (each was asked the same question again)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from actions.appointments import ActionAskCancelConfirmed, ActionCancelAppointment, ValidateCancelForm
from actions.booking_form import ValidateBookingForm
from bot.db import transaction
from bot.models import Appointment, AppointmentStatus
from bot.scheduling.choices import Offer, pick
from tests.scheduling_helpers import Clinic
from tests.test_scheduling_actions import (  # noqa: F401
    CANCEL_HISTORY,
    asked_which_to_cancel,
    book_for_maria,
    clinic,
    offer,
    run,
    statuses,
    texts,
    tracker,
    two_appointments,
    verified,
    when_of,
)

TIMES: list[Offer] = [
    {"token": f"t{n}", "label": f"Saturday at {n}:00 AM", "clock": f"{n}:00 AM"} for n in (9, 10, 11)
]


@pytest.mark.parametrize(
    "said, chosen",
    [
        ("the later one", "t11"),
        ("the latest please", "t11"),
        ("the earlier one", "t9"),
        ("the earliest time", "t9"),
        ("the last one", "t11"),
        ("the first one", "t9"),
        ("anything later?", None),  # asks for other times: picks none
        ("something earlier than the first", None),  # a time before the list: searched, never a guess
    ],
)
def test_the_later_or_earlier_one_picks_from_the_times_offered(said: str, chosen: str | None) -> None:
    picked = pick(said, TIMES)
    assert (picked["token"] if picked else None) == chosen


@pytest.mark.parametrize("said", ["both", "all of them", "both please"])
def test_both_asks_once_naming_each_and_only_a_yes_cancels_them(
    app_db: str, two_appointments: tuple[int, int], said: str  # noqa: F811
) -> None:
    sooner, later = two_appointments
    slots, _ = asked_which_to_cancel()
    chosen, messages = run(ValidateCancelForm(), tracker(said, "inform", slots, history=CANCEL_HISTORY))
    assert sorted(chosen["appointment_id"]) == sorted([sooner, later]) and messages == []
    assert chosen["requested_slot"] == "cancel_confirmed"
    slots.update(chosen)
    _, question = run(ActionAskCancelConfirmed(), tracker("", slots=slots))
    asked = texts(question)
    assert all(when_of(o) in asked for o in slots["offered_appointments"]) and "cancel both?" in asked
    assert statuses(app_db, sooner, later) == [AppointmentStatus.BOOKED] * 2  # nothing yet without a yes
    answered, _ = run(ValidateCancelForm(), tracker("yes", "affirm", slots, history=CANCEL_HISTORY))
    _, done = run(ActionCancelAppointment(), tracker("yes", slots={**slots, **answered}))
    assert "cancelled" in texts(done)
    assert statuses(app_db, sooner, later) == [AppointmentStatus.CANCELLED] * 2


def test_no_to_cancelling_both_keeps_both(app_db: str, two_appointments: tuple[int, int]) -> None:  # noqa: F811
    slots, _ = asked_which_to_cancel()
    chosen, _ = run(ValidateCancelForm(), tracker("both", "inform", slots, history=CANCEL_HISTORY))
    slots.update(chosen)
    answered, _ = run(ValidateCancelForm(), tracker("no", "deny", slots, history=CANCEL_HISTORY))
    _, said = run(ActionCancelAppointment(), tracker("no", slots={**slots, **answered}))
    assert texts(said) == "Okay, your appointments stay as they are."
    assert statuses(app_db, *two_appointments) == [AppointmentStatus.BOOKED] * 2


def test_neither_yes_nor_no_to_cancelling_both_asks_about_them(
    app_db: str, two_appointments: tuple[int, int]  # noqa: F811
) -> None:
    slots, _ = asked_which_to_cancel()
    chosen, _ = run(ValidateCancelForm(), tracker("both", "inform", slots, history=CANCEL_HISTORY))
    slots.update(chosen)
    answered, said = run(ValidateCancelForm(), tracker("and the other one too", "inform", slots, loop="cancel_form"))
    assert answered["cancel_confirmed"] is None
    assert texts(said) == "Please answer yes to cancel them, or no to keep them."
    assert statuses(app_db, *two_appointments) == [AppointmentStatus.BOOKED] * 2


def test_cancel_all_my_appointments_asks_about_all_of_them(
    app_db: str, two_appointments: tuple[int, int]  # noqa: F811
) -> None:
    started, _ = run(
        ValidateCancelForm(),
        tracker("please cancel all my appointments, I'm moving away", "cancel_appointment", activated="cancel_form"),
    )
    assert sorted(started["appointment_id"]) == sorted(two_appointments)
    _, question = run(ActionAskCancelConfirmed(), tracker("", slots=started))
    assert "cancel both?" in texts(question)


@pytest.mark.parametrize("said", ["just cancel it", "cancel it please", "yes cancel", "ok just cancel it then"])
def test_cancel_it_answers_yes_to_do_you_want_to_cancel_it(app_db: str, verified: Clinic, said: str) -> None:  # noqa: F811
    appointment_id = book_for_maria(app_db, verified)
    started, _ = run(
        ValidateCancelForm(), tracker("cant make it thurs", "cancel_appointment", activated="cancel_form")
    )
    answered, messages = run(ValidateCancelForm(), tracker(said, "cancel_appointment", started, loop="cancel_form"))
    assert answered["cancel_confirmed"] is True and messages == []
    run(ActionCancelAppointment(), tracker(said, slots={**started, **answered}))
    assert statuses(app_db, appointment_id) == [AppointmentStatus.CANCELLED]


@pytest.mark.parametrize("said", ["no", "nope", "no thanks"])
def test_no_to_a_list_of_times_asks_for_another_day_or_time(app_db: str, verified: Clinic, said: str) -> None:  # noqa: F811
    slots = {"visit": f"{verified.office_visit}:{verified.ross}", "when": "friday", "requested_slot": "slot_choice"}
    offered, _ = offer(slots)
    answered, messages = run(ValidateBookingForm(), tracker(said, "deny", {**slots, **offered}))
    assert answered["when"] is None and answered["requested_slot"] == "when"
    assert texts(messages) == "No problem. Which other day or time would suit you?"


WEDNESDAY: list[Offer] = [
    {"token": f"w{n}", "label": f"Wednesday, December 9 at {n}:00 AM with Dr. James Chen", "clock": f"{n}:00 AM"}
    for n in (8, 9, 10)
]


@pytest.mark.parametrize(
    "said, chosen",
    [
        ("none of those, whats the very last one that day?", None),
        ("the latest on a wednesday, like 6pm", None),
        ("friday after 1pm", None),  # 1pm is no listed time, and friday no listed day
        ("friday 9am", None),
        ("wednesday 9am", "w9"),  # the listed day and time: one offer
        ("9am", "w9"),
        ("the 10am one on wed", "w10"),
        ("2 on friday", None),
        ("the second one, the 11th", None),
        ("3 please", "w10"),
        ("the latest one", "w10"),
    ],
)
def test_a_pick_is_only_words_that_point_at_one_offer_and_ask_for_nothing_else(said: str, chosen: str | None) -> None:
    picked = pick(said, WEDNESDAY)
    assert (picked["token"] if picked else None) == chosen


@pytest.mark.parametrize(
    "said", ["friday after 1pm", "none of those, whats the very last one that day?", "the latest on a monday, like 4pm"]
)
def test_free_text_at_a_list_of_times_books_nothing(app_db: str, verified: Clinic, said: str) -> None:  # noqa: F811
    slots = {"visit": f"{verified.office_visit}:{verified.ross}", "when": "tuesday", "requested_slot": "slot_choice"}
    offered, _ = offer(slots)
    answered, messages = run(ValidateBookingForm(), tracker(said, "inform", {**slots, **offered}))
    assert answered["slot_choice"] is None and (answered.get("when") == said or messages)  # searched or asked
    with transaction(app_db) as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 0
