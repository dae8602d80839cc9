"""Cancelling, confirming and listing appointments in conversation (booking and moving: actions.scheduling).

Cancelling (the cancel form) first settles which appointment (the one a reminder reply answers, the only
upcoming one, or the patient's pick) and then asks for a yes to a question naming it. Confirming goes
through `bot.scheduling.confirming`: only a reply to a fresh reminder or a yes to a question naming the
appointment confirms, and "I can't make it" is asked whether to move or cancel.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import channel_of, in_db, profile, request_text
from actions.forms import ConversationForm
from actions.identity import actor, latest_intent, latest_text, verified_patient_id
from actions.offers import as_request, follow_on, has_follow_on, reminder_at, request_turn
from actions.scheduling import CANCEL_SLOTS, chosen_appointment, requested_menu, tell
from bot.dialogue.answers import describes_an_appointment, taken_back, yes_or_no
from bot.dialogue.offers import last_offer
from bot.dialogue.switching import OWN_REQUESTS
from bot.scheduling import booking, confirming
from bot.scheduling.choices import means_all, offered_ids
from bot.scheduling.describing import for_someone_else
from bot.scheduling.errors import SchedulingError

# "no, I'd rather move it to another day"; not "no, don't change anything" or "do not move it".
_MOVE_INSTEAD = re.compile(
    r"(?<!don't )(?<!dont )(?<!do not )(?<!not )"
    r"\b(move|moving|reschedule|resched|another (day|time)|different (day|time)|later date)\b",
    re.I,
)


# "just cancel it", "cancel them both please": the question's own words, a yes to it.
_CANCEL_SAID = re.compile(
    r"(?:(?:just|yes|yeah|yep|ok|okay|please|pls|go ahead and)\W+)*"
    r"cancel(?: it| them| both| that(?: one)?| the appointment| them both| both of them| all of them| all)?"
    r"(?:\W+(?:please|pls|then|thanks|thx|thank you))*\W*",
    re.I,
)


class ValidateCancelForm(ConversationForm):
    def name(self) -> str:
        return "validate_cancel_form"

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType:
        """Which appointment (when more than one could be meant), then the yes to a question naming it."""
        if tracker.get_slot("cancel_confirmed") is not None:
            return SlotSet(REQUESTED_SLOT, None)
        if tracker.get_slot("appointment_id") is None:
            return SlotSet(REQUESTED_SLOT, "appointment_choice")
        return SlotSet(REQUESTED_SLOT, "cancel_confirmed")

    async def on_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # verification was stopped or locked; the patient has been told
            return None
        try:
            menu = await requested_menu(tracker, patient_id, "cancel_form")
        except SchedulingError as error:
            tell(dispatcher, error)
            return None
        if menu.unmatched:
            dispatcher.utter_message(text=wording.not_described(menu.settled is not None))
        settled: int | list[int] | None = menu.settled
        request = request_text(tracker, OWN_REQUESTS["cancel_form"], before_form="cancel_form")
        if settled is None and not menu.later and means_all(request, request=True):
            # "please cancel all my appointments": each is named in the one question a yes must answer.
            settled = offered_ids(menu.offers)
        return [SlotSet(slot, None) for slot in CANCEL_SLOTS] + [SlotSet("appointment_id", settled)]

    async def on_stop(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        return [SlotSet("cancel_confirmed", False)]  # action_cancel_appointment says nothing was cancelled

    def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offered = tracker.get_slot("offered_appointments") or []
        if len(offered) > 1 and means_all(latest_text(tracker)):  # "both": asked about all of them at once
            return {"appointment_choice": "all", "appointment_id": offered_ids(offered)}
        chosen = chosen_appointment(dispatcher, tracker)
        if chosen is None:
            return {"appointment_choice": None}
        return {"appointment_choice": str(chosen), "appointment_id": chosen}

    def validate_cancel_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A plain yes or no in the words decides before the classifier's reading of them."""
        text = latest_text(tracker).strip().lower()
        answer = yes_or_no(text)
        intent = latest_intent(tracker)
        if taken_back(text):
            answer = None
        elif answer is None and (intent == "affirm" or _CANCEL_SAID.fullmatch(text)):
            answer = True
        elif answer is None and intent == "deny":
            answer = False
        if answer is None:
            many = isinstance(tracker.get_slot("appointment_id"), list)
            dispatcher.utter_message(text=wording.CANCEL_ALL_YES_OR_NO if many else wording.CANCEL_YES_OR_NO)
        return {"cancel_confirmed": answer}


class ActionAskCancelConfirmed(Action):
    """States the appointment and the clinic's cancellation policy, then asks to confirm."""

    def name(self) -> str:
        return "action_ask_cancel_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        ids = chosen_ids(tracker)
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:
            return []
        targets = await in_db(lambda s: [t for i in ids if (t := booking.upcoming_appointment(s, patient_id, i))])
        if not targets:
            return []
        many = len(targets) > 1
        text = wording.ask_to_cancel_all(targets, profile()) if many else wording.ask_to_cancel(targets[0], profile())
        buttons = wording.CANCEL_ALL_OR_KEEP if many else wording.CANCEL_OR_KEEP
        dispatcher.utter_message(text=text, buttons=buttons if channel_of(tracker) != "sms" else [])
        return []


class ActionCancelAppointment(Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        appointment_id = tracker.get_slot("appointment_id")
        confirmed = tracker.get_slot("cancel_confirmed")
        reset = [SlotSet(slot, None) for slot in CANCEL_SLOTS]
        if confirmed is None:  # verification failed or there was nothing to cancel; the patient has been told
            return reset
        if not confirmed:
            if appointment_id is not None and _MOVE_INSTEAD.search(latest_text(tracker)):
                # "no, I'd rather move it to another day": not cancelled, and the move they ask for starts.
                return reset + as_request(tracker, domain, "reschedule_appointment", "instead:/reschedule_appointment")
            kept = wording.KEPT_ALL if isinstance(appointment_id, list) else wording.KEPT
            dispatcher.utter_message(text=kept if appointment_id is not None else wording.NOTHING_CANCELLED)
            # "no" keeps the appointment, not the refill asked for beside it.
            return reset + follow_on(dispatcher, tracker, domain, OWN_REQUESTS["cancel_form"])
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # the proof lapsed meanwhile: nothing is cancelled
            return reset
        if isinstance(appointment_id, list):
            return reset + await _cancel_all(dispatcher, tracker, patient_id, chosen_ids(tracker))
        try:
            cancelled = await in_db(lambda s: booking.cancel(s, patient_id, int(appointment_id), actor(tracker)))
        except SchedulingError as error:
            tell(dispatcher, error)
            return reset
        if has_follow_on(tracker, OWN_REQUESTS["cancel_form"]):  # "cancel my wednesday appt and remind me ..."
            dispatcher.utter_message(text=wording.cancelled(cancelled, profile().zone, ask_another=False))
            return reset + follow_on(dispatcher, tracker, domain, OWN_REQUESTS["cancel_form"])
        dispatcher.utter_message(text=wording.cancelled(cancelled, profile().zone), buttons=wording.BOOK_ANOTHER)
        return reset


def chosen_ids(tracker: Tracker) -> list[int]:
    """The appointments the cancel form is about: one, or every one listed after "both" or "cancel all"."""
    value = tracker.get_slot("appointment_id")
    return [int(v) for v in (value if isinstance(value, list) else [value]) if v is not None]


async def _cancel_all(
    dispatcher: CollectingDispatcher, tracker: Tracker, patient_id: int, ids: list[int]
) -> list[EventType]:
    """Cancels each appointment the one yes named; says which were cancelled and why any was not."""
    done = []
    for appointment_id in ids:
        cancel = functools.partial(booking.cancel, patient_id=patient_id, appointment_id=appointment_id,
                                   actor=actor(tracker))
        try:
            done.append(await in_db(cancel))
        except SchedulingError as error:
            tell(dispatcher, error)
    if done:
        dispatcher.utter_message(text=wording.cancelled_all(done, profile().zone), buttons=wording.BOOK_ANOTHER)
    return []


class ActionListAppointments(Action):
    def name(self) -> str:
        return "action_list_appointments"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:
            return []
        coming = await in_db(lambda s: booking.upcoming(s, patient_id))
        if not coming:
            dispatcher.utter_message(text=wording.NO_UPCOMING, buttons=wording.BOOK_ONE)
            return []
        dispatcher.utter_message(text=wording.upcoming(coming, profile().zone))
        return follow_on(dispatcher, tracker, domain, ("list_appointments",))


class ActionConfirmAppointment(Action):
    """Translates `bot.scheduling.confirming.confirm_request` (a reply to a fresh reminder, or a yes to this
    action's own question naming the appointment, confirms; "I can't make it" asks move or cancel)."""

    def name(self) -> str:
        return "action_confirm_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:
            return []
        request, before = request_turn(tracker, ("confirm_appointment",))
        offer, offer_at = last_offer(before)
        sent_at = await reminder_at(tracker)
        answers_reminder = sent_at is not None and (offer_at is None or sent_at > offer_at)
        asked = tracker.get_slot("confirm_target") if any(c.payload == "/confirm_appointment" for c in offer) else None
        if latest_intent(tracker) != "confirm_appointment" and describes_an_appointment(latest_text(tracker)):
            # "the bennett one" after "no" to the question or to the list: a description, never a yes to it.
            request, asked, answers_reminder = latest_text(tracker), None, False
        if for_someone_else(request):  # "confirm my husband's appointment": not theirs to confirm from here
            dispatcher.utter_message(text=wording.someone_elses(profile().phone))
            return [SlotSet("confirm_target", None)]
        try:
            result = await in_db(
                lambda s: confirming.confirm_request(
                    s, patient_id, request, int(str(asked)) if str(asked).isdigit() else None, answers_reminder,
                    actor(tracker), profile().zone,
                )
            )
        except SchedulingError as error:
            tell(dispatcher, error)
            return [SlotSet("confirm_target", None)]
        if result.outcome in (confirming.Confirmation.NOT_FOUND, confirming.Confirmation.WHICH):
            found = result.outcome is confirming.Confirmation.WHICH
            dispatcher.utter_message(text=wording.which_to_confirm(result.listed, profile().zone, found))
            return [SlotSet("confirm_target", CHOOSING)]
        which = wording.named(result.appointment, profile().zone)
        if result.outcome is confirming.Confirmation.ASK:
            if result.unmatched:
                dispatcher.utter_message(text=wording.ONLY_UPCOMING)
            dispatcher.utter_message(response="utter_ask_confirm", appointment=which, buttons=wording.CONFIRM_OR_NOT)
            return [SlotSet("confirm_target", result.appointment.appointment_id)]
        if result.outcome is confirming.Confirmation.CANNOT_MAKE_IT:
            dispatcher.utter_message(response="utter_cannot_make_it", appointment=which, buttons=wording.MOVE_OR_CANCEL)
        else:
            dispatcher.utter_message(
                response="utter_confirmed", appointment=which, location=result.appointment.location
            )
            # "confirm tuesday and move the other one": the second request follows the confirmation.
            return [SlotSet("confirm_target", None), *follow_on(dispatcher, tracker, domain, ("confirm_appointment",))]
        return [SlotSet("confirm_target", None)]


# `confirm_target` while the patient is choosing among listed appointments: an answer describing one is asked
# about (bot.dialogue.policy routes it here), and no yes confirms anything meanwhile.
CHOOSING = "choosing"

