"""Booking and rescheduling appointments in conversation: what the booking form (actions.booking_form) and the
cancel form (actions.appointments) share, the questions that offer times and appointments, and the booking's end.

The booking form asks for `visit` (a visit type, provider or specialty), `when` (the patient's words,
re-read on each use) and `slot_choice` (1-3 among the open times `action_ask_slot_choice` offers).
Any answer may also correct an earlier one ("actually make it thursday"): the offer is then renewed.
The time is claimed the moment it is chosen, so a time someone else just took is reported at once with
fresh options, inside the same form.

Moving (the booking form) and cancelling (the cancel form) first settle which appointment: the one a
reminder reply answers, the only upcoming one, or the patient's pick among the next few, asked as
`appointment_choice` (`action_ask_appointment_choice`).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import wording
from actions.common import channel_of, identity_answers, in_db, profile, request_event, request_text
from actions.identity import latest_text, verified_patient_id
from actions.offers import as_request, follow_on
from bot.clock import clock_text
from bot.db import utcnow
from bot.dialogue.switching import OWN_REQUESTS
from bot.models import Appointment
from bot.scheduling import audience, booking
from bot.scheduling.availability import find_slots
from bot.scheduling.catalog import Visit, visit_from_key
from bot.scheduling.choices import (
    AppointmentMenu,
    Offer,
    answers_a_reminder,
    appointment_menu,
    pick_appointment,
)
from bot.scheduling.describing import for_someone_else
from bot.scheduling.errors import NothingUpcoming, SchedulingError, SomeoneElses
from bot.scheduling.policies import read_request
from bot.scheduling.timeparse import When
from bot.settings import get_settings

CHOICE_SLOTS = ("appointment_choice", "offered_appointments")
BOOKING_SLOTS = ("visit", "when", "slot_choice", "offered_slots", *CHOICE_SLOTS)
CANCEL_SLOTS = ("cancel_confirmed", "appointment_id", *CHOICE_SLOTS)


def read_when(session: Session, text: str, moving: int | None = None) -> When | None:
    """The patient's words as a bookable request, None when they name no time; SchedulingError when unbookable.
    When `moving` an appointment (its id), "a week later" or "earlier" is read against its time."""
    clinic = profile()
    current = session.get(Appointment, int(moving)) if moving else None
    return read_request(
        session, text, clinic, clinic.local_now(), get_settings().booking_horizon_days,
        moving_from=current.starts_at.astimezone(clinic.zone) if current else None,
    )


async def booking_age(tracker: Tracker, patient_id: int | None) -> int | None:
    """The age of whoever this booking is for (bot.scheduling.audience.booking_age), read from the patient's
    words since the booking request; None (anyone may be offered) when moving a booked visit or unverified."""
    if patient_id is None or tracker.get_slot("pending_request") == "reschedule":
        return None
    request = request_event(tracker, OWN_REQUESTS["booking_form"], before_form="booking_form")
    users = [e for e in tracker.events if e.get("event") == "user"]
    since = next((i for i, e in enumerate(users) if e is request), 0)
    answers = identity_answers(tracker)  # a patient's own date of birth is no child's age
    texts = [e.get("text") or "" for e in users[since:] if id(e) not in answers]
    return await in_db(lambda s: audience.booking_age(s, patient_id, profile().local_now().date(), texts))


def tell(dispatcher: CollectingDispatcher, error: SchedulingError) -> None:
    """The error's sentence; "would you like to book one?" comes with its yes/no, so a yes books."""
    book_one = isinstance(error, NothingUpcoming)
    dispatcher.utter_message(text=str(error), buttons=wording.BOOK_ONE if book_one else [])


def offer_choices(
    dispatcher: CollectingDispatcher, tracker: Tracker, intro: str, offers: list[Offer], otherwise: str = ""
) -> None:
    """Numbered offers answered with a number: a list over SMS, buttons on the web (both send back 1, 2, 3)."""
    if channel_of(tracker) == "sms":
        dispatcher.utter_message(text=wording.numbered_choices(intro, offers, otherwise))
    else:
        text, buttons = wording.button_choices(intro, offers, otherwise)
        dispatcher.utter_message(text=text, buttons=buttons)


async def requested_menu(tracker: Tracker, patient_id: int, form: str) -> AppointmentMenu:
    """Which appointment the request that started `form` may mean (a reply to a reminder, or a description of
    one: its provider, kind, specialty, day or date, can settle it)."""
    request = request_text(tracker, OWN_REQUESTS[form], before_form=form)
    if for_someone_else(request):
        raise SomeoneElses(wording.someone_elses(profile().phone))
    return await in_db(
        lambda s: appointment_menu(
            s, patient_id, profile().zone, answers_a_reminder(request), request=request,
            moving=form == "booking_form",
        )
    )


def chosen_appointment(dispatcher: CollectingDispatcher, tracker: Tracker) -> int | None:
    """The appointment picked among those offered; None after saying so (the form shows the list again)."""
    chosen = pick_appointment(
        latest_text(tracker), tracker.get_slot("offered_appointments") or [], profile().local_now().date()
    )
    if chosen is None:
        dispatcher.utter_message(text=wording.APPOINTMENT_NOT_CAUGHT)
    return chosen


async def offer_move_or_cancel(dispatcher: CollectingDispatcher, patient_id: int) -> bool:
    """Asks whether to move or cancel the appointment meant (the reminded one, else the next); False when none."""
    try:
        appointment = await in_db(lambda s: booking.target_appointment(s, patient_id))
    except SchedulingError:
        return False
    dispatcher.utter_message(
        response="utter_cannot_make_it",
        appointment=wording.named(appointment, profile().zone),
        buttons=wording.MOVE_OR_CANCEL,
    )
    return True


# Marks a move that corrects the booking just made ("wait, I meant wednesday"): the request names the appointment.
CORRECTS_BOOKING = "corrects_booking"


def just_booked(tracker: Tracker) -> int | None:
    """The appointment the latest booking (or move) made, None when there was none."""
    for event in reversed(tracker.events):
        value = str(event.get("value") or "") if event.get("name") == "slot_choice" else ""
        if event.get("event") == "slot" and value.startswith("booked:"):
            return int(value.split(":", 1)[1])
    return None


class ActionCorrectBooking(Action):
    """ "wait, I meant wednesday not tomorrow" right after "You're booked" (the conversation rules send it here):
    the words are put back as a move of the appointment just booked, so the booking form offers times on the day
    meant and nothing moves without the patient's pick. A second booking would have kept the wrong one."""

    def name(self) -> str:
        return "action_correct_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        booked = just_booked(tracker)
        marks = {CORRECTS_BOOKING: booked} if booked is not None else None
        return as_request(tracker, domain, "reschedule_appointment", "correct:/reschedule_appointment", marks=marks)


OFFERED = 3  # times offered at once: enough to choose from, short enough for one text


class ActionAskSlotChoice(Action):
    """Offers up to three real open times: buttons on the web, a numbered list over SMS."""

    def name(self) -> str:
        return "action_ask_slot_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text, key = tracker.get_slot("when") or "", tracker.get_slot("visit") or ""
        exclude = tracker.get_slot("appointment_id")
        age = await booking_age(tracker, await verified_patient_id(tracker))

        def search(s: Session) -> tuple[Visit | None, list, bool]:
            visit = visit_from_key(s, key, moving=bool(exclude))  # a retired type: only to move its bookings
            try:
                when = read_when(s, text, exclude)
            except SchedulingError:
                when = None
            if visit is None or when is None:
                return visit, [], False
            # Moving an appointment to the time it already has is no move: that time is not offered, so one
            # more is looked for (else a move from the first open time was offered two choices, not three).
            found = find_slots(
                s, profile(), visit, when, utcnow(), limit=OFFERED + 1 if exclude else OFFERED,
                exclude_appointment=int(exclude) if exclude else None, patient_age=age,
            )
            now_at = s.get(Appointment, int(exclude)).starts_at if exclude else None
            return visit, [o for o in found.options if o.starts_at != now_at][:OFFERED], found.exact_fit

        visit, options, exact = await in_db(search)
        zone = profile().zone
        offered: list[Offer] = [
            {
                "token": o.token,
                "label": wording.slot_label(o, zone),
                "clock": clock_text(o.starts_at.astimezone(zone).time()),
            }
            for o in options
        ]
        if not offered:
            dispatcher.utter_message(text=wording.no_open_times(visit))
            return [SlotSet("offered_slots", [])]
        offer_choices(dispatcher, tracker, wording.open_times(visit, exact), offered, otherwise=wording.OR_ANOTHER_TIME)
        return [SlotSet("offered_slots", offered)]


class ActionAskAppointmentChoice(Action):
    """Asks which of the next few upcoming appointments to cancel or move: buttons on the web, a numbered list
    over SMS."""

    def name(self) -> str:
        return "action_ask_appointment_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:
            return []
        form = (tracker.active_loop or {}).get("name")
        try:
            # The ones the request described, when it described several; else the next few.
            menu = (
                await requested_menu(tracker, patient_id, form)
                if form in OWN_REQUESTS
                else await in_db(lambda s: appointment_menu(s, patient_id, profile().zone, reminder_reply=False))
            )
        except SchedulingError as error:
            tell(dispatcher, error)
            return [SlotSet("offered_appointments", [])]
        moving = tracker.get_slot("pending_request") == "reschedule"
        offer_choices(dispatcher, tracker, wording.which_appointment(moving, menu.later, profile().phone), menu.offers)
        return [SlotSet("offered_appointments", menu.offers)]


class ActionBookAppointment(Action):
    """Ends the booking form: the confirmation with date, time, provider and address, or what was stopped."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        outcome = tracker.get_slot("slot_choice") or ""
        rescheduled = tracker.get_slot("pending_request") == "reschedule"
        reset = [SlotSet(slot, None) for slot in BOOKING_SLOTS] + [SlotSet("appointment_id", None)]
        if outcome == "unavailable":
            return reset
        if not outcome.startswith("booked:"):
            dispatcher.utter_message(text=wording.stopped(rescheduled))
            return reset
        appointment_id = int(outcome.split(":", 1)[1])
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # the proof lapsed meanwhile: nothing to show
            return reset
        booked = await in_db(lambda s: booking.upcoming_appointment(s, patient_id, appointment_id))
        if booked is None:
            return reset
        dispatcher.utter_message(text=wording.booked(booked, profile(), moved=rescheduled))
        # "book a checkup friday and remind me to take my metformin": the second request starts now.
        return reset + follow_on(dispatcher, tracker, domain, OWN_REQUESTS["booking_form"])
