"""Booking, verification and appointment actions, driven the way the action server drives them, on real SQLite."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.appointments import (
    ActionAskCancelConfirmed,
    ActionCancelAppointment,
    ActionConfirmAppointment,
    ActionListAppointments,
    ValidateCancelForm,
)
from actions.booking_form import ValidateBookingForm
from actions.core import ActionRunningLate
from actions.scheduling import ActionAskAppointmentChoice, ActionAskSlotChoice, ActionBookAppointment
from actions.verification import ValidateVerifyForm
from bot import identity
from bot.clinic import load_profile
from bot.db import transaction, utcnow
from bot.models import Appointment, AppointmentAudit, AppointmentStatus, HandoffRequest
from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
from bot.reminders.occurrence import AppointmentOccurrence
from bot.scheduling import booking, roster
from bot.scheduling.availability import find_slots, option_from_token
from bot.scheduling.catalog import visit_from_key
from bot.scheduling.timeparse import When
from bot.settings import get_settings
from tests.domain import project_domain
from tests.scheduling_helpers import MARIA_DOB, MARIA_MOBILE, Clinic, make_clinic


@pytest.fixture
def clinic(app_db: str) -> Clinic:
    return make_clinic(app_db)


WEB_SESSION = "web-" + "ab" * 16


@pytest.fixture
def verified(app_db: str, clinic: Clinic) -> Clinic:
    """Maria has proven who she is over SMS and, separately, in a web chat session (proofs never cross)."""
    settings = get_settings()
    with transaction(app_db) as s:
        identity.verify_sms(s, settings, MARIA_MOBILE, MARIA_DOB)
        code = identity.start_web(s, settings, WEB_SESSION, "Maria Lopez", MARIA_DOB).code_to_send
        assert code is not None
        identity.check_code(s, settings, WEB_SESSION, code[1])
    return clinic


def user(text: str, intent: str = "inform", channel: str = "sms") -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": channel}


def tracker(
    text: str,
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    activated: str | None = None,
    channel: str = "sms",
    sender: str | None = None,
    history: list[dict] | None = None,
    loop: str | None = None,
) -> Tracker:
    """`activated`: the form starts on this message; `loop`: a form already running when it came."""
    # The channel is read from the conversation id (bot.conversations), as each channel mints them.
    sender = sender or (MARIA_MOBILE if channel == "sms" else WEB_SESSION)
    said = user(text, intent, channel)
    events = list(history or []) + [said]
    if activated:
        events.append({"event": "active_loop", "name": activated})
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": dict(slots or {}),
            "latest_message": said["parse_data"],
            "events": events,
            "active_loop": {"name": activated or loop} if activated or loop else {},
            "latest_input_channel": channel,
            "latest_action_name": "action_listen",
        }
    )


def started_by(text: str, intent: str, form: str, channel: str = "sms") -> list[dict[str, Any]]:
    """The history of a form that `text` started: the request, then the form's activation."""
    return [user(text, intent, channel), {"event": "active_loop", "name": form}]


def run(action, t: Tracker) -> tuple[dict[str, Any], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, project_domain()))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, dispatcher.messages


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def offer(slots: dict[str, Any], channel: str = "sms") -> tuple[dict[str, Any], list[dict]]:
    return run(ActionAskSlotChoice(), tracker("", slots=slots, channel=channel))


def test_sms_booking_from_first_words_to_confirmation(app_db: str, verified: Clinic) -> None:
    slots, _ = run(
        ValidateBookingForm(),
        tracker(
            "book a sick visit with dr park next tuesday afternoon",
            "book_appointment",
            {"pending_request": "book"},
            "booking_form",
        ),
    )
    assert slots["visit"] == f"{verified.sick_visit}:{verified.park}"
    assert slots["requested_slot"] == "slot_choice"
    offered, messages = offer(slots)
    assert len(offered["offered_slots"]) == 3
    sms = messages[0]["text"]
    assert "1) Tuesday" in sms and "with Dr. Ada Park" in sms and "Reply 1, 2, 3" in sms and not messages[0]["buttons"]
    chosen, _ = run(
        ValidateBookingForm(), tracker("2", "cancel_appointment", {**slots, **offered, "requested_slot": "slot_choice"})
    )
    assert chosen["slot_choice"].startswith("booked:") and chosen["requested_slot"] is None
    _, confirmation = run(ActionBookAppointment(), tracker("2", slots={**slots, **chosen}))
    said = texts(confirmation)
    assert "You're booked: Sick visit with Dr. Ada Park on Tuesday" in said and "120 Orchard Street" in said
    with transaction(app_db) as s:
        appointment = s.execute(select(Appointment)).scalar_one()
        audit = s.execute(select(AppointmentAudit.actor)).scalar_one()
    assert (appointment.patient_id, audit) == (verified.maria, "patient:sms")


def test_web_offers_the_times_as_buttons(app_db: str, verified: Clinic) -> None:
    _, messages = offer({"visit": f"{verified.office_visit}:", "when": "asap"}, channel="webchat")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["1", "2", "3"]
    assert all("with Dr." in b["title"] for b in messages[0]["buttons"])


def test_actually_make_it_thursday_renews_the_offer(app_db: str, verified: Clinic) -> None:
    slots = {"visit": f"{verified.office_visit}:{verified.ross}", "when": "friday", "requested_slot": "slot_choice"}
    offered, _ = offer(slots)
    changed, messages = run(
        ValidateBookingForm(), tracker("actually make it thursday", "reschedule_appointment", {**slots, **offered})
    )
    assert changed["when"] == "actually make it thursday" and changed["slot_choice"] is None
    assert changed["requested_slot"] == "slot_choice" and messages == []
    renewed, _ = offer({**slots, **changed})
    assert renewed["offered_slots"] and all("Thursday" in o["label"] for o in renewed["offered_slots"])


@pytest.mark.parametrize(
    "said, explained",
    [
        ("the 31st of february", "February doesn't have a 31st"),
        ("tomorrow at 25pm", '"25pm" isn\'t a time'),
        ("yesterday", "already passed"),
        ("in 30 weeks", "90 days ahead"),
        ("sunday", "closed on Sundays"),
        ("monday at 8pm", "outside our opening hours"),
        ("whenever works for the moon", None),
    ],
)
def test_bad_times_are_explained_and_asked_again(
    app_db: str, verified: Clinic, said: str, explained: str | None
) -> None:
    slots = {"visit": f"{verified.office_visit}:", "requested_slot": "when"}
    result, messages = run(ValidateBookingForm(), tracker(said, slots=slots))
    if explained is None:  # "whenever" is a fine answer: the earliest times
        assert result["when"] == said and result["requested_slot"] == "slot_choice"
        return
    assert result["when"] is None and result["requested_slot"] == "when"
    assert explained in texts(messages)


def test_a_provider_we_do_not_have_is_said_plainly(app_db: str, verified: Clinic) -> None:
    result, messages = run(ValidateBookingForm(), tracker("with dr house", slots={"requested_slot": "visit"}))
    assert result["visit"] is None and result["requested_slot"] == "visit"
    assert "We don't have a Dr. House" in texts(messages) and "Dr. Ada Park" in texts(messages)


def test_a_time_taken_meanwhile_is_reported_and_fresh_options_follow(app_db: str, verified: Clinic) -> None:
    slots = {"visit": f"{verified.office_visit}:{verified.ross}", "when": "asap", "requested_slot": "slot_choice"}
    offered, _ = offer(slots)
    provider_id, type_id, starts_at = option_from_token(offered["offered_slots"][0]["token"])
    with transaction(app_db) as s:
        visit = visit_from_key(s, f"{type_id}:{provider_id}")
        booking.book(s, load_profile(get_settings().clinic_profile), verified.jose, visit, starts_at, "patient:web")
    result, messages = run(ValidateBookingForm(), tracker("1", "confirm_appointment", {**slots, **offered}))
    assert "that time was just taken" in texts(messages)
    assert result["slot_choice"] is None and result["requested_slot"] == "slot_choice"
    fresh, _ = offer(slots)
    assert starts_at not in [option_from_token(o["token"])[2] for o in fresh["offered_slots"]]


def test_faq_mid_booking_leaves_the_form_waiting_and_stop_ends_it(app_db: str, verified: Clinic) -> None:
    slots = {"visit": f"{verified.office_visit}:", "requested_slot": "when"}
    # Rasa asks for whatever `requested_slot` names once the answer to the question is given.
    assert run(ValidateBookingForm(), tracker("where do i park", "faq", slots)) == ({"requested_slot": "when"}, [])
    stopped, _ = run(ValidateBookingForm(), tracker("stop", "opt_out", slots))
    assert stopped["requested_slot"] is None and stopped["visit"] is None
    _, messages = run(ActionBookAppointment(), tracker("stop", slots={**slots, **stopped}))
    assert texts(messages) == "Okay, I've stopped. Nothing was booked."


def test_sms_verification_asks_the_birth_date_once(app_db: str, clinic: Clinic) -> None:
    started, _ = run(
        ValidateVerifyForm(), tracker("when is my appointment", "list_appointments", activated="verify_form")
    )
    assert started["requested_slot"] == "verify_dob"
    done, messages = run(ValidateVerifyForm(), tracker("03/04/1975", slots={"requested_slot": "verify_dob"}))
    assert done["patient_verified"] is True and done["patient_id"] == clinic.maria and done["requested_slot"] is None
    again, messages = run(
        ValidateVerifyForm(), tracker("list my appointments", "list_appointments", activated="verify_form")
    )
    assert again["patient_verified"] is True and messages == []


def test_an_faq_during_sms_verification_is_followed_by_the_birth_date_again(app_db: str, clinic: Clinic) -> None:
    # Not the name: over SMS the number names the patient, and the form's first empty slot is the name.
    asked = run(ValidateVerifyForm(), tracker("where do i park", "faq", {"requested_slot": "verify_dob"}))
    assert asked == ({"requested_slot": "verify_dob"}, [])


def test_web_verification_by_name_birth_date_and_code(
    app_db: str, clinic: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    web = {"channel": "webchat", "sender": WEB_SESSION}
    started, _ = run(
        ValidateVerifyForm(), tracker("show my appointments", "list_appointments", activated="verify_form", **web)
    )
    assert started["requested_slot"] == "verify_name"
    named, _ = run(ValidateVerifyForm(), tracker("Maria Lopez", slots={"requested_slot": "verify_name"}, **web))
    assert named["requested_slot"] == "verify_dob"
    sent, messages = run(ValidateVerifyForm(), tracker("03/04/1975", slots={**named}, **web))
    assert sent["requested_slot"] == "verify_code" and "If those details match our records" in texts(messages)
    code = capsys.readouterr().out.split("verification code is ")[1][:6]
    wrong, messages = run(
        ValidateVerifyForm(), tracker("000000" if code != "000000" else "111111", slots={**named, **sent}, **web)
    )
    assert wrong["requested_slot"] == "verify_code" and "didn't work" in texts(messages)
    done, _ = run(ValidateVerifyForm(), tracker(code, slots={**named, **sent}, **web))
    assert done["patient_verified"] is True and done["patient_id"] == clinic.maria
    _, listing = run(ActionListAppointments(), tracker("", **web))
    assert "no upcoming appointments" in texts(listing)


def test_three_wrong_birth_dates_lock_and_nothing_is_listed(app_db: str, clinic: Clinic) -> None:
    for attempt in ("01/01/1990", "02/02/1990"):
        result, messages = run(ValidateVerifyForm(), tracker(attempt, slots={"requested_slot": "verify_dob"}))
        assert result["requested_slot"] == "verify_dob" and "couldn't verify" in texts(messages)
    locked, messages = run(ValidateVerifyForm(), tracker("03/03/1990", slots={"requested_slot": "verify_dob"}))
    assert locked["patient_verified"] is False and locked["requested_slot"] is None and "15 minutes" in texts(messages)
    assert run(ActionListAppointments(), tracker("list"))[1] == []


def book_for_maria(app_db: str, clinic: Clinic, days: int = 1) -> int:
    """An office visit with Dr. Park at the first open time from `days` days ahead."""
    settings = get_settings()
    clinic_profile = load_profile(settings.clinic_profile)
    today = clinic_profile.local_now().date()
    with transaction(app_db) as s:
        visit = visit_from_key(s, f"{clinic.office_visit}:{clinic.park}")
        day = today + timedelta(days=days)
        now = clinic_profile.local_now()
        option = find_slots(s, clinic_profile, visit, When(day, day + timedelta(days=7)), now).options[0]
        return booking.book(s, clinic_profile, clinic.maria, visit, option.starts_at, "staff:test").appointment_id


def test_cancel_states_the_policy_asks_then_cancels(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    started, _ = run(
        ValidateCancelForm(), tracker("cancel my appointment", "cancel_appointment", activated="cancel_form")
    )
    assert started["appointment_id"] == appointment_id and started["requested_slot"] == "cancel_confirmed"
    _, asked = run(ActionAskCancelConfirmed(), tracker("", slots=started))
    assert "at least 24 hours" in texts(asked) and "Dr. Ada Park" in texts(asked)
    answered, _ = run(ValidateCancelForm(), tracker("yes", "affirm", started))
    _, done = run(ActionCancelAppointment(), tracker("yes", slots={**started, **answered}))
    assert "is cancelled" in texts(done)
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.CANCELLED


def test_a_yes_taken_back_cancels_nothing_and_asks_again(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    started, _ = run(
        ValidateCancelForm(), tracker("cancel my appointment", "cancel_appointment", activated="cancel_form")
    )
    answered, messages = run(ValidateCancelForm(), tracker("yes wait no keep it", "affirm", started))
    assert answered["cancel_confirmed"] is None and "yes to cancel" in texts(messages)
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.BOOKED


def test_confirming_names_the_appointment_first_and_only_a_yes_to_that_confirms(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    asked, messages = run(ActionConfirmAppointment(), tracker("confirm my appointment", "confirm_appointment"))
    assert messages[0]["response"] == "utter_ask_confirm" and "Dr. Ada Park" in messages[0]["appointment"]
    assert asked["confirm_target"] == appointment_id
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is None
    question = {
        "event": "bot",
        "text": "Shall I confirm it?",
        "data": {"buttons": messages[0]["buttons"]},
        "timestamp": 1.0,
    }
    history = [user("confirm my appointment", "confirm_appointment", "sms"), question]
    _, done = run(ActionConfirmAppointment(), tracker("yes", "confirm_appointment", asked, history=history))
    assert done[0]["response"] == "utter_confirmed" and "Dr. Ada Park" in done[0]["appointment"]
    _, listing = run(ActionListAppointments(), tracker("when is my appointment", "list_appointments"))
    assert "Dr. Ada Park" in texts(listing) and "120 Orchard Street" in texts(listing)
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is not None


def test_i_cannot_make_it_never_confirms_and_asks_to_move_or_cancel(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    for words in ("I won't be able to make it", "cant come that day, sorry"):
        _, messages = run(ActionConfirmAppointment(), tracker(words, "confirm_appointment"))
        assert messages[0]["response"] == "utter_cannot_make_it"
        assert [b["payload"] for b in messages[0]["buttons"]] == ["/reschedule_appointment", "/cancel_appointment"]
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is None


def test_reschedule_moves_the_appointment_and_frees_the_old_time(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    started, messages = run(
        ValidateBookingForm(),
        tracker(
            "move my appointment to next week",
            "reschedule_appointment",
            {"pending_request": "reschedule"},
            "booking_form",
        ),
    )
    assert started["appointment_id"] == appointment_id and "Let's find a new time" in texts(messages)
    assert started["requested_slot"] == "slot_choice"
    offered, _ = offer(started)
    chosen, _ = run(
        ValidateBookingForm(),
        tracker("3", "reschedule_appointment", {**started, **offered, "requested_slot": "slot_choice"}),
    )
    _, done = run(ActionBookAppointment(), tracker("3", slots={**started, **chosen, "pending_request": "reschedule"}))
    assert "You're moved" in texts(done)
    with transaction(app_db) as s:
        moved = s.get(Appointment, appointment_id)
        assert moved.status is AppointmentStatus.BOOKED
        assert moved.starts_at == option_from_token(offered["offered_slots"][2]["token"])[2]


def test_after_a_failed_verification_the_booking_ends_silently(app_db: str, clinic: Clinic) -> None:
    started, messages = run(
        ValidateBookingForm(),
        tracker("book a checkup friday", "book_appointment", {"pending_request": "book"}, "booking_form"),
    )
    assert started["requested_slot"] is None and messages == []
    assert run(ActionBookAppointment(), tracker("", slots=started))[1] == []
    cancel, messages = run(ValidateCancelForm(), tracker("cancel", "cancel_appointment", activated="cancel_form"))
    assert cancel["requested_slot"] is None and messages == []


def test_nothing_to_cancel_is_said_plainly(app_db: str, verified: Clinic) -> None:
    started, messages = run(ValidateCancelForm(), tracker("cancel", "cancel_appointment", activated="cancel_form"))
    assert started["requested_slot"] is None and "don't see any upcoming appointments" in texts(messages)
    assert run(ActionCancelAppointment(), tracker("", slots=started))[1] == []


@pytest.fixture
def two_appointments(app_db: str, verified: Clinic) -> tuple[int, int]:
    """Maria's sooner and later appointment, the later one booked first (so ids and list positions differ)."""
    later = book_for_maria(app_db, verified, days=8)
    return book_for_maria(app_db, verified, days=1), later


def statuses(app_db: str, *appointment_ids: int) -> list[AppointmentStatus]:
    with transaction(app_db) as s:
        return [s.get(Appointment, a).status for a in appointment_ids]


def when_of(offer: dict[str, str]) -> str:
    return offer["label"].split(": ", 1)[0]


CANCEL_REQUEST = "cancel my appointment"
CANCEL_HISTORY = started_by(CANCEL_REQUEST, "cancel_appointment", "cancel_form")


def asked_which_to_cancel(channel: str = "sms") -> tuple[dict[str, Any], list[dict]]:
    """The cancel form started by a patient with two appointments, and the question it asks."""
    started, messages = run(
        ValidateCancelForm(), tracker(CANCEL_REQUEST, "cancel_appointment", activated="cancel_form")
    )
    assert started["requested_slot"] == "appointment_choice" and started["appointment_id"] is None and messages == []
    offered, asked = run(
        ActionAskAppointmentChoice(), tracker("", slots={"pending_request": "cancel"}, channel=channel)
    )
    return {**started, **offered, "pending_request": "cancel", "requested_slot": "appointment_choice"}, asked


def test_with_two_appointments_cancel_asks_which_and_cancels_the_second(
    app_db: str, two_appointments: tuple[int, int]
) -> None:
    sooner, later = two_appointments
    slots, asked = asked_which_to_cancel()
    sms = asked[0]["text"]
    assert sms.startswith("Which appointment would you like to cancel?\n1) ") and "\n2) " in sms
    assert sms.endswith("\nReply 1, 2.") and "CANCEL" not in sms and not asked[0]["buttons"]
    assert sms.count(": Office visit with Dr. Ada Park") == 2
    chosen, _ = run(ValidateCancelForm(), tracker("2", "cancel_appointment", slots, history=CANCEL_HISTORY))
    assert chosen["appointment_id"] == later and chosen["requested_slot"] == "cancel_confirmed"
    slots.update(chosen)
    _, confirm = run(ActionAskCancelConfirmed(), tracker("", slots=slots))
    assert when_of(slots["offered_appointments"][1]) in texts(confirm) and "at least 24 hours" in texts(confirm)
    answered, _ = run(ValidateCancelForm(), tracker("yes", "affirm", slots, history=CANCEL_HISTORY))
    _, done = run(ActionCancelAppointment(), tracker("yes", slots={**slots, **answered}))
    assert "is cancelled" in texts(done)
    assert statuses(app_db, sooner, later) == [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED]


def test_the_web_asks_which_appointment_with_buttons_naming_only_when_what_and_who(
    app_db: str, two_appointments: tuple[int, int]
) -> None:
    _, asked = run(
        ActionAskAppointmentChoice(), tracker("", slots={"pending_request": "reschedule"}, channel="webchat")
    )
    assert asked[0]["text"] == "Which appointment would you like to move? Pick one."
    buttons = asked[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["1", "2"]
    # "Tuesday, December 1 at 9:00 AM: Office visit with Dr. Ada Park"
    assert all(
        re.fullmatch(r"\w+day, \w+ \d+ at \d{1,2}:\d\d [AP]M: Office visit with Dr\. Ada Park", b["title"])
        for b in buttons
    )


def test_a_choice_that_names_no_appointment_is_asked_again_then_a_good_one_is_taken(
    app_db: str, two_appointments: tuple[int, int]
) -> None:
    _, later = two_appointments
    slots, _ = asked_which_to_cancel()
    for bad in ("5", "the blue one"):
        result, messages = run(ValidateCancelForm(), tracker(bad, slots=slots, history=CANCEL_HISTORY))
        assert result == {"appointment_choice": None, "requested_slot": "appointment_choice"}
        assert texts(messages) == "Sorry, I didn't catch which appointment you mean."
    chosen, messages = run(ValidateCancelForm(), tracker("the second one", slots=slots, history=CANCEL_HISTORY))
    assert chosen["appointment_id"] == later and messages == []


def test_while_choosing_an_faq_asks_again_and_stop_cancels_nothing(
    app_db: str, two_appointments: tuple[int, int]
) -> None:
    slots, _ = asked_which_to_cancel()
    assert run(ValidateCancelForm(), tracker("where do i park", "faq", slots, history=CANCEL_HISTORY)) == (
        {"requested_slot": "appointment_choice"},
        [],
    )
    stopped, _ = run(ValidateCancelForm(), tracker("stop", "deny", slots, history=CANCEL_HISTORY))
    assert stopped["cancel_confirmed"] is False and stopped["requested_slot"] is None
    _, said = run(ActionCancelAppointment(), tracker("stop", slots={**slots, **stopped}))
    assert texts(said) == "Okay, I've stopped. Nothing was cancelled."
    assert statuses(app_db, *two_appointments) == [AppointmentStatus.BOOKED, AppointmentStatus.BOOKED]


def test_a_reminder_reply_cancels_the_reminded_appointment_without_asking(
    app_db: str, verified: Clinic, two_appointments: tuple[int, int]
) -> None:
    _, later = two_appointments
    with transaction(app_db) as s:
        s.add(
            ReminderOutbox(
                kind=ReminderKind.APPOINTMENT,
                patient_id=verified.maria,
                appointment_id=later,
                occurrence=AppointmentOccurrence(3 * 24 * 60, utcnow()),
                due_at=utcnow(),
                status=OutboxStatus.SENT,
                sent_at=utcnow(),
            )
        )
    replied, messages = run(ValidateCancelForm(), tracker("2", "cancel_appointment", activated="cancel_form"))
    assert replied["appointment_id"] == later and replied["requested_slot"] == "cancel_confirmed" and messages == []
    # Words of their own are not a reply to the reminder: the patient is asked which one.
    typed, _ = run(ValidateCancelForm(), tracker(CANCEL_REQUEST, "cancel_appointment", activated="cancel_form"))
    assert typed["requested_slot"] == "appointment_choice"


def _reminded(app_db: str, patient_id: int, appointment_id: int) -> None:
    with transaction(app_db) as s:
        s.add(ReminderOutbox(
            kind=ReminderKind.APPOINTMENT, patient_id=patient_id, appointment_id=appointment_id,
            occurrence=AppointmentOccurrence(2 * 24 * 60, utcnow()), due_at=utcnow(), status=OutboxStatus.SENT,
            sent_at=utcnow(),
        ))


def _late_then_as_put_back(words: str, channel: str = "sms") -> tuple[list[dict], set[tuple[str, str]]]:
    """What the patient is told to `words` (a late note), the put-back confirmation followed through, and the
    front desk's notes (conversation, reason)."""
    late = tracker(words, "running_late", channel=channel)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRunningLate().run(dispatcher, late, project_domain()))
    said = list(dispatcher.messages)
    put_back = [e for e in events if e.get("event") == "user"]
    if put_back:  # the rules would check who is texting (done) and then run the confirmation
        history = list(late.events) + [{"event": "bot", "text": "late", "timestamp": 2.0}, *events]
        confirm = Tracker.from_dict({
            "sender_id": late.sender_id, "slots": {}, "latest_message": put_back[0]["parse_data"],
            "events": history, "active_loop": {}, "latest_input_channel": channel,
            "latest_action_name": "action_listen",
        })
        said += run(ActionConfirmAppointment(), confirm)[1]
    with transaction(get_settings().database_url) as s:
        notes = {(row.conversation_id, row.reason) for row in s.execute(select(HandoffRequest)).scalars()}
    return said, notes


def test_i_will_be_there_but_late_to_a_reminder_confirms_it_and_tells_the_front_desk(
    app_db: str, verified: Clinic
) -> None:
    """ "I'll be there but maybe 10 min late" to "Reply 1 to confirm" only passed the late note: "I'll be there" is
    the patient's yes to the appointment the reminder named. "I might be late" alone, or with no reminder open (or
    on the web, where none is texted), is only the late note."""
    appointment_id = book_for_maria(app_db, verified)
    said, notes = _late_then_as_put_back("I'll be there but maybe 10 min late")
    assert said[0]["response"] == "utter_running_late" and notes == {(MARIA_MOBILE, "running_late")}
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is None  # no reminder was open
    _reminded(app_db, verified.maria, appointment_id)
    for words in ("I might be late", "maybe I'll make it, running late"):
        said, _ = _late_then_as_put_back(words)
        assert [m.get("response") for m in said] == ["utter_running_late"]
    said, _ = _late_then_as_put_back("I'll be there but maybe 10 min late", channel="webchat")
    assert [m.get("response") for m in said] == ["utter_running_late"]
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is None
    said, notes = _late_then_as_put_back("I'll be there but maybe 10 min late")
    assert [m.get("response") for m in said] == ["utter_running_late", "utter_confirmed"], said
    assert "Dr. Ada Park" in said[1]["appointment"] and (MARIA_MOBILE, "running_late") in notes
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).confirmed_at is not None


def test_reschedule_with_two_appointments_asks_which_then_moves_the_chosen_one(
    app_db: str, two_appointments: tuple[int, int]
) -> None:
    sooner, later = two_appointments
    request = "move my appointment to next week"
    started, messages = run(
        ValidateBookingForm(),
        tracker(request, "reschedule_appointment", {"pending_request": "reschedule"}, "booking_form"),
    )
    assert started["requested_slot"] == "appointment_choice" and started["appointment_id"] is None and messages == []
    offered, asked = run(ActionAskAppointmentChoice(), tracker("", slots={"pending_request": "reschedule"}))
    assert asked[0]["text"].startswith("Which appointment would you like to move?\n1) ")
    slots = {**started, **offered, "pending_request": "reschedule", "requested_slot": "appointment_choice"}
    # "2" may read as another request to reschedule: the request is still the one that started the form.
    chosen, moving = run(
        ValidateBookingForm(),
        tracker(
            "2", "reschedule_appointment", slots, history=started_by(request, "reschedule_appointment", "booking_form")
        ),
    )
    # The new time is read from the words after "to": the ones before it name the appointment.
    assert chosen["appointment_id"] == later and chosen["when"] == "next week"
    assert chosen["requested_slot"] == "slot_choice"
    assert texts(moving) == (
        f"Let's find a new time for your office visit with Dr. Ada Park, now on "
        f"{when_of(offered['offered_appointments'][1])}."
    )
    slots.update(chosen)
    times, _ = offer(slots)
    picked, _ = run(
        ValidateBookingForm(), tracker("1", "confirm_appointment", {**slots, **times, "requested_slot": "slot_choice"})
    )
    _, done = run(ActionBookAppointment(), tracker("1", slots={**slots, **picked}))
    assert "You're moved" in texts(done)
    with transaction(app_db) as s:
        assert s.get(Appointment, later).starts_at == option_from_token(times["offered_slots"][0]["token"])[2]
    assert statuses(app_db, sooner, later) == [AppointmentStatus.BOOKED, AppointmentStatus.BOOKED]


def test_a_new_request_inside_the_form_is_declined_so_it_can_switch_not_read_as_a_day(
    app_db: str, verified: Clinic
) -> None:
    slots = {"visit": f"{verified.office_visit}:", "requested_slot": "when", "when": "i need to cancel my appointment"}
    events = asyncio.run(
        ValidateBookingForm().run(
            CollectingDispatcher(),
            tracker("i need to cancel my appointment", "cancel_appointment", slots, loop="booking_form"),
            project_domain(),
        )
    )
    # No "Sorry, I didn't catch a day or time": the form steps aside (Rasa then lets the switch happen) and
    # the words the slot mapping put in `when` are taken out again.
    assert {"event": "action_execution_rejected", "name": "booking_form", "policy": None, "confidence": None,
            "timestamp": None} in events
    assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"} == {"when": None}
    # An answer that fits the question is still an answer, whatever the classifier thought it was.
    answered, _ = run(
        ValidateBookingForm(), tracker("can you do next tuesday", "book_appointment", slots, loop="booking_form")
    )
    assert answered["when"] == "can you do next tuesday"


def test_a_retired_visit_type_is_offered_no_more_in_the_conversation_and_its_bookings_still_move(
    app_db: str, verified: Clinic
) -> None:
    slots = {"visit": f"{verified.office_visit}:{verified.park}", "when": "asap", "requested_slot": "slot_choice"}
    offered, _ = offer(slots)  # the offer a patient got just before the clinic retired office visits
    appointment_id = book_for_maria(app_db, verified)
    with transaction(app_db) as s:
        [office] = [t for t in roster.visit_types(s) if t.id == verified.office_visit]
        roster.set_visit_type_offered(s, office.id, False, office.version)

    asked, messages = run(ValidateBookingForm(), tracker("an office visit", slots={"requested_slot": "visit"}))
    assert asked["visit"] is None and "We offer: sick visit, skin check." in texts(messages)
    _, messages = run(ValidateBookingForm(), tracker("1", "confirm_appointment", {**slots, **offered}))
    assert "that kind of visit is no longer offered here" in texts(messages)

    started, _ = run(
        ValidateBookingForm(),
        tracker(
            "move my appointment to next week",
            "reschedule_appointment",
            {"pending_request": "reschedule"},
            "booking_form",
        ),
    )
    assert started["appointment_id"] == appointment_id and started["requested_slot"] == "slot_choice"
    times, _ = offer(started)
    chosen, _ = run(
        ValidateBookingForm(),
        tracker("1", "reschedule_appointment", {**started, **times, "requested_slot": "slot_choice"}),
    )
    _, done = run(ActionBookAppointment(), tracker("1", slots={**started, **chosen, "pending_request": "reschedule"}))
    assert "You're moved" in texts(done)
    with transaction(app_db) as s:
        assert s.execute(select(func.count()).select_from(Appointment)).scalar_one() == 1
        moved = s.get(Appointment, appointment_id)
        assert moved.appointment_type_id == verified.office_visit
        assert moved.starts_at == option_from_token(times["offered_slots"][0]["token"])[2]


def test_a_digit_answers_the_visit_question_by_its_numbered_choices(app_db: str, verified: Clinic) -> None:
    # Over SMS "What kind of visit? 1) Checkup 2) Sick visit ..." is answered "2": the second button's words.
    asked = [{"event": "bot", "text": "What kind of visit would you like?", "data": {"buttons": [
        {"title": "Checkup", "payload": "checkup"}, {"title": "Sick visit", "payload": "sick visit"}]}}]
    slots = {"requested_slot": "visit"}
    answered, messages = run(ValidateBookingForm(), tracker("2", "confirm_appointment", slots, history=asked))
    assert answered["visit"] == f"{verified.sick_visit}:" and answered["requested_slot"] == "when"
    assert messages == []


def test_push_it_back_a_week_offers_times_a_week_after_the_appointment(app_db: str, verified: Clinic) -> None:
    appointment_id = book_for_maria(app_db, verified)
    zone = load_profile(get_settings().clinic_profile).zone
    with transaction(app_db) as s:
        current = s.get(Appointment, appointment_id).starts_at.astimezone(zone)
    started, _ = run(
        ValidateBookingForm(),
        tracker("can you push my appt back a week", "reschedule_appointment", {"pending_request": "reschedule"},
                "booking_form"),
    )
    assert started["requested_slot"] == "slot_choice"  # the words were a time: nothing asked again
    offered, messages = offer(started)
    days = {option_from_token(o["token"])[2].astimezone(current.tzinfo).date() for o in offered["offered_slots"]}
    assert days == {current.date() + timedelta(days=7)}, texts(messages)


def test_no_to_cancelling_with_a_wish_to_move_starts_the_move_and_cancels_nothing(
    app_db: str, verified: Clinic
) -> None:
    appointment_id = book_for_maria(app_db, verified)
    started, _ = run(
        ValidateCancelForm(), tracker("cancel my appointment", "cancel_appointment", activated="cancel_form")
    )
    said = "no, I'd rather move it to another day"
    answered, _ = run(ValidateCancelForm(), tracker(said, "deny", started))
    events = asyncio.run(
        ActionCancelAppointment().run(CollectingDispatcher(), tracker(said, slots={**started, **answered}),
                                      project_domain())
    )
    # The patient's words come back as a request to move (the rules then start it), not "stays as it is".
    moved = [e for e in events if e.get("event") == "user"]
    assert moved and moved[0]["parse_data"]["intent"]["name"] == "reschedule_appointment"
    # A no that refuses the move too is only a no.
    kept, said_back = run(ActionCancelAppointment(), tracker("no, don't move it", slots={**started, **answered}))
    assert texts(said_back) == "Okay, your appointment stays as it is."
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.BOOKED


def test_an_adult_asking_for_a_pediatrician_is_told_and_a_parent_can_book_one(app_db: str, verified: Clinic) -> None:
    """An 85-year-old was booked with a pediatrician; a parent booking for a child (on the parent's own record)
    must still reach one."""
    from tests.test_scheduling_who import _add_pediatrician

    young = _add_pediatrician(app_db, verified)
    adult, said = run(
        ValidateBookingForm(),
        tracker("book a sick visit with dr young tomorrow", "book_appointment", {"pending_request": "book"},
                "booking_form"),
    )
    assert "Dr. Pia Young is one of our pediatricians and sees children only" in texts(said)
    assert adult.get("visit") is None and adult["requested_slot"] == "visit"
    # Any sick visit for Maria herself (51) is offered by the family doctors only.
    offered, _ = offer({"visit": f"{verified.sick_visit}:", "when": "tomorrow", "pending_request": "book"})
    assert offered["offered_slots"] and not any(o["token"].startswith(f"{young}|") for o in offered["offered_slots"])
    child, said = run(
        ValidateBookingForm(),
        tracker("book a sick visit for my daughter with dr young tomorrow", "book_appointment",
                {"pending_request": "book"}, "booking_form"),
    )
    assert "pediatricians" not in texts(said) and child["visit"] == f"{verified.sick_visit}:{young}"


def test_a_video_visit_confirmation_says_how_to_be_ready_not_where_to_come() -> None:
    from datetime import datetime, timezone

    from actions import wording

    clinic = load_profile(get_settings().clinic_profile)
    visit = booking.Booked(1, datetime(2026, 12, 7, 15, tzinfo=timezone.utc), "Dr. Aisha Patel",
                           "120 Orchard Street, Suite 200", "Video visit", by_video=True)
    said = wording.booked(visit, clinic, moved=False)
    assert "You're booked: Video visit with Dr. Aisha Patel" in said and "no need to come in" in said
    assert "Orchard Street" not in said and "arrive 15 minutes early" not in said


def test_a_question_asked_on_the_way_into_a_booking_is_answered_without_a_second_menu(
    app_db: str, verified: Clinic
) -> None:
    words = "can I do a video visit instead of coming in? monday afternoon would be good"
    t = tracker(words, "book_appointment", {"pending_request": "book"}, "booking_form")
    request = next(e for e in t.events if e.get("event") == "user")
    question = "can I do a video visit instead of coming in"
    request["parse_data"]["also_faq"] = {"label": "faq/telehealth", "text": question}
    _, messages = run(ValidateBookingForm(), t)
    clinic = load_profile(get_settings().clinic_profile)
    assert messages[0]["text"] == clinic.telehealth and not messages[0].get("buttons")


def test_a_second_request_after_a_cancellation_is_taken_up_instead_of_book_another(
    app_db: str, verified: Clinic
) -> None:
    appointment_id = book_for_maria(app_db, verified)
    words = "cancel my appt and set a reminder for my metformin at 7am"
    started, _ = run(ValidateCancelForm(), tracker(words, "cancel_appointment", activated="cancel_form"))
    t = tracker("yes", "affirm", {**started, "cancel_confirmed": True}, history=[user(words, "cancel_appointment")])
    request = next(e for e in t.events if e.get("event") == "user" and e["text"] == words)
    second = "set a reminder for my metformin at 7am"
    request["parse_data"]["also_request"] = {"label": "set_medication_reminder", "text": second}
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCancelAppointment().run(dispatcher, t, project_domain()))
    said = texts(dispatcher.messages)
    assert "is cancelled" in said and "book another time" not in said and "set a medication reminder" in said
    assert any(e.get("event") == "user" and e.get("text") == second for e in events)
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.CANCELLED


def test_a_refill_beside_a_cancel_answered_no_is_still_taken_up(app_db: str, verified: Clinic) -> None:
    # Found by round-5 testers: "cancel my appt next monday and also send in a refill for my atorvastatin".
    appointment_id = book_for_maria(app_db, verified)
    words = "cancel my appt next monday and also send in a refill for my atorvastatin"
    started, _ = run(ValidateCancelForm(), tracker(words, "cancel_appointment", activated="cancel_form"))
    t = tracker("no", "deny", {**started, "cancel_confirmed": False}, history=[user(words, "cancel_appointment")])
    request = next(e for e in t.events if e.get("event") == "user" and e["text"] == words)
    second = "send in a refill for my atorvastatin"
    request["parse_data"]["also_request"] = {"label": "request_refill", "text": second}
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCancelAppointment().run(dispatcher, t, project_domain()))
    assert any(e.get("event") == "user" and e.get("text") == second for e in events)
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.BOOKED


def test_someone_elses_appointment_is_not_changed_and_the_patients_own_is_not_offered(
    app_db: str, verified: Clinic
) -> None:
    appointment_id = book_for_maria(app_db, verified)
    _, messages = run(
        ValidateCancelForm(), tracker("cancel my husband's appointment", "cancel_appointment", activated="cancel_form")
    )
    said = texts(messages)
    assert "only change your own appointments" in said and "Dr. Ada Park" not in said
    with transaction(app_db) as s:
        assert s.get(Appointment, appointment_id).status is AppointmentStatus.BOOKED
