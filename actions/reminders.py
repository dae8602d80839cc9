"""Medication reminders in conversation: set (form with read-back), list, stop/pause/resume/retime. Plans are
personal details: these run only after `verify_form` (the rules start it). Replies to a reminder and refill
requests are in actions.reminder_replies."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import wording as common_wording
from actions import wording_reminders as wording
from actions.common import in_db, profile, request_text
from actions.forms import ConversationForm
from actions.identity import actor, latest_text, verified_patient_id
from actions.offers import as_request, follow_on
from actions.reminder_turns import asked, how_often_said, patient_today, request_words, times_question, today_of
from bot.db import utcnow
from bot.dialogue.answers import taken_back, yes_or_no
from bot.dialogue.switching import OWN_REQUESTS
from bot.reminders import plans as plan_service
from bot.reminders.changes import change_plans
from bot.reminders.durations import parse_until
from bot.reminders.expansion import expand_medication
from bot.reminders.form_answers import (
    corrected_times,
    corrects_times,
    not_a_name,
    only_times,
    read_times,
    start_of,
)
from bot.reminders.models import PlanStatus
from bot.reminders.parsing import medications, parse_days, plan_request
from bot.reminders.plans import PlanError, describe
from bot.reminders.timing import parse_hhmm

YES_OR_NO = re.compile(r"(yes|yeah|yep|no|nope|ok|okay|sure)( please| thanks)?\W*", re.I)
FORM_SLOTS = (
    "reminder_medication",
    "reminder_times",
    "reminder_days",
    "reminder_until",
    "reminder_show_name",
    "reminder_confirmed",
)
# "saved_plan" too: only a save that just happened may be corrected (bot.dialogue.policy).
RESET = [SlotSet(slot, None) for slot in (*FORM_SLOTS, "medication_request", "saved_plan")] + [
    SlotSet("pending_request", None)
]


def latest_intent_of(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), intent.get("confidence") or 0.0


class ValidateMedicationReminderForm(ConversationForm):
    def name(self) -> str:
        return "validate_medication_reminder_form"

    async def on_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:  # verification was stopped or locked out (the patient was told)
            return None
        # Whatever the request already said is not asked again.
        request = request_text(tracker, ("set_medication_reminder",), before_form="medication_reminder_form")
        today = await in_db(lambda s: today_of(s, patient_id))
        split = medications(request)
        slots = plan_request(request, today)
        if split.second and slots.get("reminder_medication"):
            dispatcher.utter_message(text=wording.one_at_a_time(slots["reminder_medication"], split.second))
        if slots.get("reminder_medication") and not slots.get("reminder_times"):
            reading = read_times("", split.first)  # "twice a day" / "every 6 hours": asked as such
            if reading.count or reading.hours:
                dispatcher.utter_message(text=times_question(reading))
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet(slot, value) for slot, value in slots.items()]

    async def on_stop(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(text=wording.WONT_SET)
        return []

    def validate_reminder_medication(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        name = re.sub(r"^(for |my |the |it's |its |it is )+", "", str(value or "").strip(), flags=re.I).strip(" .")
        if only_times(name):  # "8am, noon, 4pm and 8pm": the times, given early, and still no medication
            reading = read_times(name, how_often_said(tracker))
            dispatcher.utter_message(text=wording.TIMES_NOT_A_NAME)
            noted = ",".join(t.strftime("%H:%M") for t in reading.times) if reading.times else None
            return {"reminder_medication": None, "reminder_times": tracker.get_slot("reminder_times") or noted}
        if not name or len(name) > 60 or YES_OR_NO.fullmatch(name) or not_a_name(name, latest_intent_of(tracker)):
            dispatcher.utter_message(text=wording.MEDICATION_NAME)
            return {"reminder_medication": None}
        if not tracker.get_slot("reminder_times"):
            reading = read_times("", request_words(tracker))
            if reading.count or reading.hours:
                dispatcher.utter_message(text=times_question(reading))
        return {"reminder_medication": name}

    def validate_reminder_times(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        # Asked twice already for as many times as "twice a day" said: what is given is read back as given.
        settle = asked(tracker, times_question(read_times("", how_often_said(tracker)))) >= 2
        reading = read_times(str(value or ""), how_often_said(tracker), settle)
        if not reading.times:
            dispatcher.utter_message(text=times_question(reading))
            return {"reminder_times": None}
        return {"reminder_times": ",".join(t.strftime("%H:%M") for t in reading.times)}

    def validate_reminder_days(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        if (retimed := _times_corrected(dispatcher, tracker)) is not None:
            return {**retimed, "reminder_days": None}
        rule = parse_days(str(value or ""))
        if rule is None:
            dispatcher.utter_message(text=wording.WHICH_DAYS)
        return {"reminder_days": rule}

    async def validate_reminder_until(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        if (retimed := _times_corrected(dispatcher, tracker)) is not None:
            return {**retimed, "reminder_until": None}
        today = await patient_today(tracker)
        until = parse_until(str(value or ""), today, start_of(request_words(tracker), today))
        if until is False and asked(tracker, wording.UNTIL_WHEN):
            # Not understood twice ("until my physician tells me otherwise" looped): no end, said so.
            dispatcher.utter_message(text=wording.UNTIL_TAKEN_AS_NO_END)
            return {"reminder_until": "none"}
        if until is False:
            dispatcher.utter_message(text=wording.UNTIL_WHEN)
            return {"reminder_until": None}
        return {"reminder_until": until.isoformat() if until else "none"}

    def validate_reminder_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        """The words decide before the classifier's affirm/deny: a yes taken back ("yes wait no") saves nothing."""
        text = latest_text(tracker)
        if taken_back(text):
            dispatcher.utter_message(text=common_wording.YES_OR_NO)
            return {"reminder_confirmed": None}
        said = yes_or_no(text)
        old = [parse_hhmm(t) for t in (tracker.get_slot("reminder_times") or "").split(",") if t]
        new = corrected_times(text, how_often_said(tracker), old) if said is not True else []
        if new:
            # "actually make it 6:30": the new time, read back again; a yes then saves that, never the old one.
            return {"reminder_times": ",".join(t.strftime("%H:%M") for t in new), "reminder_confirmed": None}
        return {"reminder_confirmed": said if said is not None else value if isinstance(value, bool) else None}


def _times_corrected(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict | None:
    """The times replaced when the answer to a later question corrects them instead ("hmm wait, make it 1pm" to
    "Until when?" was taken as no answer, and the read-back kept noon); None when it does not. The question
    is asked again."""
    text = latest_text(tracker)
    old = [parse_hhmm(t) for t in (tracker.get_slot("reminder_times") or "").split(",") if t]
    new = corrected_times(text, how_often_said(tracker), old) if old and corrects_times(text) else []
    if not new:
        return None
    dispatcher.utter_message(text=wording.times_now(new))
    return {"reminder_times": ",".join(t.strftime("%H:%M") for t in new)}


class AskReminderConfirmed(Action):
    """Reads the plan back before saving it."""

    def name(self) -> str:
        return "action_ask_reminder_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        until = tracker.get_slot("reminder_until")
        start = start_of(request_words(tracker), await patient_today(tracker))
        patient_id = await verified_patient_id(tracker)
        medication = str(tracker.get_slot("reminder_medication"))
        replaces = await in_db(
            lambda s: [describe(p) for p in plan_service.plans_for_drug(s, patient_id, medication)]
        ) if patient_id is not None else []
        dispatcher.utter_message(
            text=wording.read_back(
                medication,
                [parse_hhmm(t) for t in (tracker.get_slot("reminder_times") or "").split(",") if t],
                tracker.get_slot("reminder_days") or "FREQ=DAILY",
                None if until in (None, "none") else date.fromisoformat(until),
                show_name=bool(tracker.get_slot("reminder_show_name")),
                start=start,
                replaces=replaces,
            )
        )
        return []


class SaveMedicationReminder(Action):
    def name(self) -> str:
        return "action_save_medication_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if tracker.get_slot("reminder_confirmed") is not True or patient_id is None:
            if tracker.get_slot("reminder_confirmed") is False:
                dispatcher.utter_message(text=wording.NOT_SAVED)
            return RESET
        until = tracker.get_slot("reminder_until")
        asked = request_text(tracker, ("set_medication_reminder",), "medication_reminder_form")
        start = start_of(asked, await patient_today(tracker))

        def save(session: Session) -> tuple[int, str]:
            # A plan for the same medicine would remind twice: the read-back said this one replaces it.
            for old in plan_service.plans_for_drug(session, patient_id, tracker.get_slot("reminder_medication")):
                plan_service.set_status(session, old.id, PlanStatus.STOPPED, patient_id=patient_id)
            plan = plan_service.create_plan(
                session,
                patient_id,
                tracker.get_slot("reminder_medication"),
                [parse_hhmm(t) for t in tracker.get_slot("reminder_times").split(",")],
                rule=tracker.get_slot("reminder_days") or "FREQ=DAILY",
                start=start,
                end=None if until in (None, "none") else date.fromisoformat(until),
                include_name=bool(tracker.get_slot("reminder_show_name")),
                created_by=actor(tracker),
            )
            now = utcnow()  # the dispatcher expands ahead too; doing it now covers a dose due within minutes
            expand_medication(session, now, now + timedelta(days=2), plan_ids=[plan.id])
            return plan.id, describe(plan)

        try:
            plan_id, text = await in_db(save)
        except PlanError as error:
            dispatcher.utter_message(text=wording.not_saved_because(error))
            return RESET
        dispatcher.utter_message(text=wording.saved(text, start))
        saved = [*RESET, SlotSet("saved_plan", plan_id)]  # "actually make it 9 instead" said next corrects it
        split = medications(asked)
        if split.second and split.rest:  # the second medication of the request, with its own words
            dispatcher.utter_message(text=wording.next_medication(split.second))
            rest = re.sub(r"^(?:and|plus|&)\s+(?:also\s+|then\s+)?(?:take\s+|give\s+|use\s+)?", "", split.rest)
            return saved + as_request(
                tracker, domain, "set_medication_reminder", "also:/set_medication_reminder",
                text=f"remind me to take {rest}",
            )
        return saved + follow_on(dispatcher, tracker, domain, OWN_REQUESTS["medication_reminder_form"])


class ListMedicationReminders(Action):
    def name(self) -> str:
        return "action_list_medication_reminders"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if patient_id is not None:
            plans = await in_db(lambda s: [describe(p) for p in plan_service.plans_of(s, patient_id)])
            if plans:
                dispatcher.utter_message(text=wording.reminders(plans))
            else:
                dispatcher.utter_message(text=wording.NO_REMINDERS)
        return RESET


class StopMedicationReminder(Action):
    """Stops, pauses or resumes the plans the request names, or the only one there is (bot.reminders.changes)."""

    def name(self) -> str:
        return "action_stop_medication_reminder"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        patient_id = await verified_patient_id(tracker)
        if patient_id is None:
            return RESET
        # The words of the stop request ("pause my insulin"); verification may have come in between.
        # An opt-out about medicines comes here too (actions.consent.OptOut).
        request = request_text(tracker, ("stop_medication_reminder", "opt_out")) or latest_text(tracker)
        change = await in_db(lambda s: change_plans(s, patient_id, request))
        if change.later:
            later = wording.STOP_ONLY_NOW if change.status is PlanStatus.STOPPED else wording.PAUSE_ONLY_NOW
            dispatcher.utter_message(text=later)
        elif change.unclear:
            dispatcher.utter_message(text=wording.PLAN_CHANGE_UNCLEAR)
        elif change.about_appointments:
            dispatcher.utter_message(text=wording.appointment_texts(profile().phone))
        elif change.dropped:
            dispatcher.utter_message(text=wording.time_stopped(change.changed[0], change.dropped, change.kept[0]))
        elif change.new_plan:  # "add a second vitamin d reminder" with none yet: set up as a new plan, read back
            return RESET + as_request(tracker, domain, "set_medication_reminder", "/set_medication_reminder",
                                      text=request)
        elif change.which_time:
            dispatcher.utter_message(text=wording.which_time_to_change(change.medication, change.which_time))
        elif change.changed:
            dispatcher.utter_message(text=wording.changed(", ".join(change.changed), change.status, change.retimed))
        elif change.candidates:
            dispatcher.utter_message(text=wording.which_to_change(change.candidates, change.status, change.retimed))
        else:
            dispatcher.utter_message(text=wording.no_plans_to_change(change.status))
        if change.then_remind:  # "stop the metformin reminders, I'm switching to jardiance - remind me ... at 8am"
            bridge = common_wording.next_request("set_medication_reminder")
            if bridge:
                dispatcher.utter_message(text=bridge)
            return RESET + as_request(tracker, domain, "set_medication_reminder", "also:/set_medication_reminder",
                                      text=change.then_remind)
        # "pause my metformin reminders and cancel my appointment next week": the other request follows.
        return RESET + follow_on(dispatcher, tracker, domain, ("stop_medication_reminder",))
