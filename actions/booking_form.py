"""The booking form (`validate_booking_form`): a new visit, or a new time for one the patient has.

The request's own words fill what they can; each answer may correct an earlier one; the chosen time is
claimed at once (a time just taken is reported with fresh options, inside the form). See actions.scheduling.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import wording
from actions.common import in_db, profile, request_event, request_text
from actions.forms import ConversationForm, slot_values
from actions.identity import actor, latest_text, verified_patient_id
from actions.scheduling import (
    BOOKING_SLOTS,
    CORRECTS_BOOKING,
    booking_age,
    chosen_appointment,
    offer_move_or_cancel,
    read_when,
    requested_menu,
    tell,
)
from bot.clock import clock_text
from bot.dialogue.offers import about_missing_a_visit
from bot.dialogue.switching import OWN_REQUESTS
from bot.scheduling import audience, booking
from bot.scheduling.availability import option_from_token
from bot.scheduling.catalog import Visit, resolve_visit, visit_from_key, visit_menu
from bot.scheduling.choices import pick
from bot.scheduling.confirming import CANNOT
from bot.scheduling.describing import new_time_words, rebooks_a_missed_one
from bot.scheduling.errors import NoAppointment, NothingUpcoming, SchedulingError, SlotTaken, UnknownVisit
from bot.scheduling.relative import says_relative
from bot.scheduling.timeparse import When, names_a_time, narrowed


def cannot_make_it_message(tracker: Tracker) -> str:
    """When the move answers the "move it or cancel it?" offer ("move it please", "1"), the "I can't make it"
    message that brought the offer (a few messages back, verification between); "" otherwise."""
    event = request_event(tracker, OWN_REQUESTS["booking_form"], "booking_form")
    users = [e for e in tracker.events if e.get("event") == "user"]
    place = next((i for i, e in enumerate(users) if e is event), 0)
    earlier = (e.get("text") or "" for e in reversed(users[max(0, place - 4):place]))
    return next((text for text in earlier if about_missing_a_visit(text)), "")


def _corrected_time(request: str, booked: booking.Booked) -> str:
    """The words of a correction right after booking: "I meant wednesday" takes back the day only, so the time
    booked is still the one asked for (offered first) unless the words name another."""
    if names_a_time(request):
        return request
    return f"{request} at {clock_text(booked.starts_at.astimezone(profile().zone).time())}"


def _new_time(request: str, moving: booking.Booked) -> str:
    """The words of a move request that say the new time, not the ones naming the appointment (its own day)."""
    return new_time_words(request, moving.starts_at.astimezone(profile().zone).date())


# Ends the booking form with nothing more to say: the patient has been told why.
_ENDED = SlotSet("slot_choice", "unavailable")
# A plain "no" to the list is none of these too: the same list again answers nothing.
_NONE_OF_THESE = re.compile(
    r"\b(none|neither|other times?|something else|different time|no good)\b"
    r"|^\W*(no|nope|nah|no thanks|no thank you|not those|those don'?t work)\W*$",
    re.I,
)


class ValidateBookingForm(ConversationForm):
    def name(self) -> str:
        return "validate_booking_form"

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType:
        """Which appointment first when moving one, then the visit, the time and the choice among times."""
        slots = tracker.slots
        outcome = slots.get("slot_choice") or ""
        if outcome == "unavailable" or outcome.startswith("booked:"):
            return SlotSet(REQUESTED_SLOT, None)
        if slots.get("pending_request") == "reschedule" and slots.get("appointment_id") is None:
            return SlotSet(REQUESTED_SLOT, "appointment_choice")
        missing = (slot for slot in ("visit", "when", "slot_choice") if slots.get(slot) is None)
        return SlotSet(REQUESTED_SLOT, next(missing, None))

    async def on_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        events: list[EventType] = [SlotSet(slot, None) for slot in BOOKING_SLOTS] + [SlotSet("appointment_id", None)]
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # verification was stopped or locked; the patient has been told
            return events + [_ENDED]
        request = request_text(tracker, OWN_REQUESTS["booking_form"], before_form="booking_form")
        moving = tracker.get_slot("pending_request") == "reschedule"
        if not moving and CANNOT.search(request):
            # "I won't be able to come in" read as a booking: it is about an appointment they have.
            if await offer_move_or_cancel(dispatcher, patient_id):
                return events + [_ENDED]
        # "wait, I meant wednesday" right after booking: the one just booked moves, to the day its words name.
        corrected = request_event(tracker, OWN_REQUESTS["booking_form"], "booking_form").get("parse_data", {}).get(
            CORRECTS_BOOKING) if moving else None
        if moving:
            try:
                settled = corrected
                if settled is None:
                    menu = await requested_menu(tracker, patient_id, "booking_form")
                    if menu.unmatched:
                        dispatcher.utter_message(text=wording.not_described(menu.settled is not None))
                    if menu.settled is None:
                        return events
                    settled = menu.settled
                moved, target = await self._moving(dispatcher, patient_id, settled)
                events += moved
            except NothingUpcoming as error:
                if not rebooks_a_missed_one(request):
                    tell(dispatcher, error)
                    return events + [_ENDED]
                moving = False  # the missed one is past: a new visit is booked straight away
                events.append(SlotSet("pending_request", "book"))
                tracker.add_slots([SlotSet("pending_request", "book")])
            except SchedulingError as error:
                tell(dispatcher, error)
                return events + [_ENDED]
        cannot = cannot_make_it_message(tracker) if moving else ""
        if says_relative(cannot):
            # "...perhaps the following week?", then "move it please": the time is in the earlier message.
            request = f"{cannot} {request}"
        age = await booking_age(tracker, patient_id)
        if moving:  # a correction's words name only the new time ("wednesday not tomorrow": not its own day)
            return events + await self._corrections(
                dispatcher, _corrected_time(request, target) if corrected else _new_time(request, target), None,
                settled, age=age,
            )
        return events + await self._corrections(dispatcher, request, None, None, age=age)

    async def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = chosen_appointment(dispatcher, tracker)
        if chosen is None:
            return {"appointment_choice": None}
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # the verification ran out meanwhile
            return {"slot_choice": "unavailable"}
        try:
            moved, target = await self._moving(dispatcher, patient_id, chosen)
        except SchedulingError as error:
            tell(dispatcher, error)
            return {"slot_choice": "unavailable"}
        request = request_text(tracker, OWN_REQUESTS["booking_form"], before_form="booking_form")
        events = [SlotSet("appointment_choice", str(chosen)), *moved]
        return slot_values(events + await self._corrections(dispatcher, _new_time(request, target), None, chosen))

    async def validate_visit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrections = await self._corrections(
            dispatcher, str(value), "visit", tracker.get_slot("appointment_id"),
            age=await booking_age(tracker, await verified_patient_id(tracker)),
        )
        return {"visit": None, **slot_values(corrections)}

    async def validate_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrections = await self._corrections(
            dispatcher, str(value), "when", tracker.get_slot("appointment_id"), tracker.get_slot("visit"),
            await booking_age(tracker, await verified_patient_id(tracker)),
        )
        return {"when": None, **slot_values(corrections)}

    async def _moving(
        self, dispatcher: CollectingDispatcher, patient_id: int, appointment_id: int
    ) -> tuple[list[EventType], booking.Booked]:
        """Says which appointment is being moved and keeps its kind of visit and provider for the new time."""

        def current(s: Session) -> tuple[booking.Booked, Visit]:
            target = booking.upcoming_appointment(s, patient_id, appointment_id)
            if target is None:  # cancelled or past since it was offered
                raise NoAppointment(wording.NO_LONGER_UPCOMING)
            return target, booking.visit_of(s, appointment_id)

        target, visit = await in_db(current)
        dispatcher.utter_message(text=wording.moving(target, profile().zone))
        return [SlotSet("appointment_id", appointment_id), SlotSet("visit", visit.key)], target

    async def _corrections(
        self, dispatcher: CollectingDispatcher, text: str, requested: str | None, moving: int | None = None,
        current_visit: str | None = None, age: int | None = None,
    ) -> list[EventType]:
        """Whatever visit or time `text` names, with a clear reason when it cannot be booked (`moving`: the
        appointment being moved, which "a week later" is read against; `age`: of whoever the visit is for)."""

        def read(s: Session) -> tuple[Visit | None, When | None, list[str]]:
            problems, visit, when = [], None, None
            try:
                kept = current_visit.partition(":")[0] if current_visit else ""
                named = resolve_visit(s, text, int(kept) if kept.isdigit() else None)
                if named is not None:  # a pediatrician asked for by an adult is explained, not booked
                    audience.check_visit(named, age)
                visit = named
                if moving:  # the appointment keeps its kind of visit; only another provider may be asked for
                    visit = booking.moved_visit(s, int(moving), visit)
            except SchedulingError as error:
                problems.append(str(error))
            try:
                when = read_when(s, text, moving)
            except SchedulingError as error:
                problems.append(str(error))
            if requested == "visit" and visit is None and not problems and when is None:
                problems.append(wording.visit_not_caught(visit_menu(s)))
            if requested == "when" and when is None and not problems and visit is None:
                problems.append(wording.TIME_NOT_CAUGHT)
            return visit, when, problems

        visit, when, problems = await in_db(read)
        for problem in problems:
            dispatcher.utter_message(text=problem)
        events: list[EventType] = []
        if visit is not None:
            events.append(SlotSet("visit", visit.key))
        if when is not None:
            events.append(SlotSet("when", text))
        elif requested == "when" and problems:
            events.append(SlotSet("when", None))
        if events:
            events.append(SlotSet("slot_choice", None))
        return events

    async def validate_slot_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offered = tracker.get_slot("offered_slots") or []
        chosen = pick(latest_text(tracker), offered)
        if chosen is None:
            said = len(dispatcher.messages)
            corrections = await self._corrections(
                dispatcher, narrowed(tracker.get_slot("when") or "", latest_text(tracker)), "slot_choice",
                tracker.get_slot("appointment_id"),
                tracker.get_slot("visit"), await booking_age(tracker, await verified_patient_id(tracker)),
            )
            explained = len(dispatcher.messages) > said  # e.g. the new day is a holiday: same times again
            if not corrections and not explained:
                if _NONE_OF_THESE.search(latest_text(tracker)):
                    dispatcher.utter_message(text=wording.OTHER_TIME)
                    return {"when": None, "slot_choice": None}
                dispatcher.utter_message(text=wording.choose_again(len(offered)))
            return {**slot_values(corrections), "slot_choice": None}
        patient_id = await verified_patient_id(tracker)
        rescheduling = tracker.get_slot("appointment_id")
        parsed = option_from_token(chosen["token"])
        if patient_id is None or parsed is None:
            return {"slot_choice": "unavailable"}
        provider_id, type_id, starts_at = parsed
        age = await booking_age(tracker, patient_id)

        def claim(s: Session) -> int:
            clinic = profile()
            visit = visit_from_key(s, f"{type_id}:{provider_id}", moving=bool(rescheduling))
            if visit is None:  # the clinic changed (or retired) its visit types since the offer
                raise UnknownVisit(wording.VISIT_RETIRED)
            if rescheduling:
                return booking.reschedule(
                    s, clinic, patient_id, int(rescheduling), visit, starts_at, actor(tracker)
                ).appointment_id
            return booking.book(
                s, clinic, patient_id, visit, starts_at, actor(tracker), patient_age=age
            ).appointment_id

        try:
            appointment_id = await in_db(claim)
        except SlotTaken:
            dispatcher.utter_message(text=wording.TIME_TAKEN)
            return {"slot_choice": None}
        except SchedulingError as error:
            tell(dispatcher, error)
            return {"slot_choice": "unavailable"}
        return {"slot_choice": f"booked:{appointment_id}"}
