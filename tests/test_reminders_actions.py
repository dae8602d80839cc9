"""The reminder and consent actions, driven like the action server drives them, against a real SQLite database."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.consent import OptOut
from actions.reminder_replies import RecordAdherence
from actions.reminders import (
    ListMedicationReminders,
    SaveMedicationReminder,
    StopMedicationReminder,
    ValidateMedicationReminderForm,
)
from bot.db import transaction, utcnow
from bot.messaging import consent
from bot.models import IdentityCheck
from bot.reminders.models import (
    AdherenceAction,
    AdherenceEntry,
    MedicationPlan,
    OutboxStatus,
    PlanStatus,
    ReminderKind,
    ReminderOutbox,
)
from bot.reminders.occurrence import DoseOccurrence
from bot.reminders.plans import create_plan
from bot.settings import get_settings
from tests.domain import project_domain
from tests.reminder_helpers import add_patient, add_plan

PHONE = "+15550600001"


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    return sqlite_url


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, channel: str = "sms") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": message, "input_channel": channel}]
    return Tracker.from_dict(
        # The channel is read from the conversation id, as each channel mints them (bot.conversations).
        {
            "sender_id": PHONE if channel == "sms" else "web-" + "ef" * 16,
            "slots": slots or {},
            "latest_message": message,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action: Any, tracker: Tracker) -> tuple[list[dict], list[str]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, project_domain()))
    return events, [m["text"] for m in dispatcher.messages]


def verify(url: str, patient_id: int) -> None:
    with transaction(url) as s:
        s.add(IdentityCheck(conversation_id=PHONE, patient_id=patient_id, verified_until=utcnow() + timedelta(days=1)))


def test_a_confirmed_plan_is_saved_and_its_first_dose_queued(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    slots = {
        "patient_id": patient,
        "reminder_medication": "metformin",
        "reminder_times": "08:00,20:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "none",
        "reminder_show_name": False,
        "reminder_confirmed": True,
    }
    _, said = run(SaveMedicationReminder(), tracker("yes", "affirm", slots))
    assert said[0].startswith("Saved: metformin at 8:00 AM and 8:00 PM every day")
    with transaction(db) as s:
        assert s.execute(select(MedicationPlan.created_by)).scalar_one() == "patient:sms"
        assert s.execute(select(ReminderOutbox)).scalars().first() is not None  # doses due soon are queued now


def test_unverified_conversation_cannot_save_list_or_stop(db: str) -> None:
    patient = add_patient(db, PHONE)
    add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    slots = {"reminder_medication": "x", "reminder_times": "08:00", "reminder_confirmed": True}
    assert run(SaveMedicationReminder(), tracker("yes", "affirm", slots))[1] == []
    assert run(ListMedicationReminders(), tracker("my reminders", "list_medication_reminders"))[1] == []
    run(StopMedicationReminder(), tracker("stop metformin reminder", "stop_medication_reminder"))
    with transaction(db) as s:
        assert s.execute(select(MedicationPlan.status)).scalar_one() is PlanStatus.ACTIVE


def test_list_and_pause_by_name(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    assert (
        "metformin at 8:00 AM every day"
        in run(ListMedicationReminders(), tracker("list", "list_medication_reminders"))[1][0]
    )
    _, said = run(StopMedicationReminder(), tracker("pause my metformin reminder", "stop_medication_reminder"))
    assert said == ['Paused: metformin at 8:00 AM every day. Text "resume my reminders" to turn them back on.']


def test_each_read_back_says_the_plan_s_status_once(db: str) -> None:
    """ "Stopped: atorvastatin at 9:00 PM every day (stopped)." said it twice; a paused plan retimed still says it
    is paused, since "Changed:" does not."""
    patient = add_patient(db, PHONE)
    verify(db, patient)
    add_plan(db, patient, [time(21)], start=date(2027, 6, 1))

    def said(words: str) -> list[str]:
        return run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))[1]

    assert said("pause my metformin reminder")[0].startswith("Paused: metformin at 9:00 PM every day. ")
    assert said("change my metformin reminder to 10pm") == [
        "Changed: metformin at 10:00 PM every day (paused)."
    ]
    assert said("resume my metformin reminder") == ["Resumed: metformin at 10:00 PM every day."]
    assert said("stop my metformin reminder") == ["Stopped: metformin at 10:00 PM every day."]


def test_reminders_turned_back_on_resume_and_a_pause_for_later_changes_nothing(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    later = "can you pause all my pill reminders while i'm on vacation next week"
    _, said = run(StopMedicationReminder(), tracker(later, "stop_medication_reminder"))
    assert "Nothing was changed" in said[0]
    with transaction(db) as s:
        assert s.get(MedicationPlan, plan).status is PlanStatus.ACTIVE
    run(StopMedicationReminder(), tracker("pause my reminders", "stop_medication_reminder"))
    # The classifier reads these as stop requests: the words resume, never stop.
    # "resume my reminders" is what the pause reply tells the patient to text.
    for words in ("turn my pill reminders back on", "unpause my reminders", "resume my reminders",
                  "reactivate my reminders"):
        _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
        with transaction(db) as s:
            assert s.get(MedicationPlan, plan).status is PlanStatus.ACTIVE, said
        run(StopMedicationReminder(), tracker("pause my reminders", "stop_medication_reminder"))


def test_taken_over_sms_is_logged_for_the_texting_patient(db: str) -> None:
    patient = add_patient(db, PHONE)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    assert run(RecordAdherence(), tracker("taken", "medication_taken"))[1] == [
        "I don't see a recent medication reminder to answer."
    ]
    with transaction(db) as s:
        s.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION,
                patient_id=patient,
                plan_id=plan,
                occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)),
                due_at=utcnow(),
                status=OutboxStatus.SENT,
                sent_at=utcnow(),
            )
        )
    assert run(RecordAdherence(), tracker("took it", "medication_taken"))[1] == ["Thanks, noted as taken."]
    # A skip because of feeling unwell is noted, with the nurse line (it got the medical-advice refusal).
    said = run(RecordAdherence(), tracker("not taking it today, my stomach is upset", "medication_skipped"))[1]
    assert said[0] == "Okay, noted as skipped." and "nurse line" in said[1]
    with transaction(db) as s:
        assert [e.patient_id for e in s.execute(select(AdherenceEntry)).scalars()] == [patient, patient]


def test_several_pills_at_once_to_a_dose_reminder_are_asked_about_not_noted_as_taken(db: str) -> None:
    """ "took 3 of them" was "Thanks, noted as taken.": more pills than a dose is a question for the nurse line,
    a pharmacist or Poison Control, and nothing is recorded. The plan's dose says how many a dose is, when it
    counts them; with no count, two may be a dose ("take 2 tablets") and three or four are asked about."""
    patient = add_patient(db, PHONE)

    def reminded(dose: str | None) -> None:
        with transaction(db) as s:
            plan = create_plan(s, patient, "metformin", [time(8)], start=date(2027, 6, 1), created_by="t", dose=dose)
            s.add(ReminderOutbox(
                kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan.id,
                occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)), due_at=utcnow(), status=OutboxStatus.SENT,
                sent_at=utcnow(),
            ))

    def said(words: str) -> str:
        return run(RecordAdherence(), tracker(words, "medication_taken"))[1][0]

    def recorded() -> int:
        with transaction(db) as s:
            return len(s.execute(select(AdherenceEntry)).scalars().all())

    reminded("500 mg")
    for words in ("took 3 of them", "took 4 pills", "i took three tablets"):
        assert said(words).startswith("I haven't recorded this dose.") and "1-800-222-1222" in said(words), words
    assert recorded() == 0
    assert said("took 2 of them") == "Thanks, noted as taken."
    reminded("1 tablet")
    assert said("took 2 of them").startswith("I haven't recorded this dose.")
    reminded("3 tablets")
    assert said("took 3 tablets") == "Thanks, noted as taken."
    assert recorded() == 2


def test_a_snooze_is_queued_for_the_time_the_patient_is_told(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.reminders.replies.SNOOZE", timedelta(minutes=20))
    patient = add_patient(db, PHONE)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        s.add(
            ReminderOutbox(
                kind=ReminderKind.MEDICATION,
                patient_id=patient,
                plan_id=plan,
                occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)),
                due_at=utcnow(),
                status=OutboxStatus.SENT,
                sent_at=utcnow(),
            )
        )
    asked = utcnow()
    said = run(RecordAdherence(), tracker("snooze", "snooze_reminder"))[1]
    assert said == ["Okay, I'll remind you again in 20 minutes."]
    with transaction(db) as s:
        pending = select(ReminderOutbox.due_at).where(ReminderOutbox.status == OutboxStatus.PENDING)
        again = s.execute(pending).scalar_one()
    assert timedelta(minutes=20) <= again - asked < timedelta(minutes=21)


def test_stop_texting_me_in_words_opts_the_number_out(db: str) -> None:
    _, said = run(OptOut(), tracker("please stop texting me", "opt_out"))
    assert "unsubscribed" in said[0]
    with transaction(db) as s:
        assert consent.is_opted_out(s, PHONE)
    # Said again ("stop!", "i said stop texting me"): an opted-out number gets one confirmation, no more.
    assert run(OptOut(), tracker("stop!", "opt_out"))[1] == []
    assert run(OptOut(), tracker("i said stop texting me", "opt_out"))[1] == []


def test_an_opt_out_about_medicines_stops_the_plan_and_never_unsubscribes(db: str) -> None:
    # Found by a tester: "stop texting me about my meds" unsubscribed the number from every text and the
    # metformin plan stayed active. It goes through the identity check to the plan change instead.
    patient = add_patient(db, PHONE)
    add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    words = "stop texting me about my meds"
    events, said = run(OptOut(), tracker(words, "opt_out"))
    assert said == [] and [e["name"] for e in events if e["event"] == "followup"] == ["verify_form"]
    assert {e.get("name"): e.get("value") for e in events if e["event"] == "slot"}["medication_request"] == "stop"
    verify(db, patient)
    run(StopMedicationReminder(), tracker(words, "opt_out"))
    with transaction(db) as s:
        assert not consent.is_opted_out(s, PHONE)
        assert s.execute(select(MedicationPlan.status)).scalar_one() is PlanStatus.STOPPED


def test_opt_out_on_the_web_without_verification_explains_how(db: str) -> None:
    _, said = run(OptOut(), tracker("stop texting me", "opt_out", channel="webchat"))
    assert "reply STOP" in said[0]


def test_the_form_ends_silently_when_verification_did_not_succeed(db: str) -> None:
    add_patient(db, PHONE)
    message = {"text": "remind me", "intent": {"name": "set_medication_reminder", "confidence": 1.0}, "entities": []}
    events = [
        {"event": "user", "text": "remind me", "parse_data": message, "input_channel": "sms"},
        {"event": "active_loop", "name": "medication_reminder_form"},
    ]
    state = {
        "sender_id": PHONE,
        "slots": {},
        "latest_message": message,
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "medication_reminder_form"},
        "latest_action_name": None,
    }
    dispatcher = CollectingDispatcher()
    events_out = asyncio.run(ValidateMedicationReminderForm().run(dispatcher, Tracker.from_dict(state), {"forms": {}}))
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events_out
    assert dispatcher.messages == []


def started(url: str, text: str) -> tuple[dict[str, Any], list[str]]:
    """The reminder form's first run after `text`, for a verified patient, with the real domain."""
    verify(url, add_patient(url, PHONE))
    message = {"text": text, "intent": {"name": "set_medication_reminder", "confidence": 1.0}, "entities": []}
    state = {
        "sender_id": PHONE,
        "slots": {},
        "latest_message": message,
        "events": [
            {"event": "user", "text": text, "parse_data": message, "input_channel": "sms"},
            {"event": "active_loop", "name": "medication_reminder_form"},
        ],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "medication_reminder_form"},
        "latest_action_name": None,
    }
    events, said = run(ValidateMedicationReminderForm(), Tracker.from_dict(state))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, said


def test_the_form_asks_only_for_what_the_request_left_out_without_scolding_first(db: str) -> None:
    slots, said = started(db, "remind me to take my metformin")
    # Before, each detail not yet given got its "I didn't catch ..." message before the first question.
    assert said == []
    assert slots["reminder_medication"] == "metformin" and slots["requested_slot"] == "reminder_times"


def test_details_said_up_front_are_kept_as_read_not_re_read_as_answers(db: str) -> None:
    slots, said = started(db, "remind me to take lisinopril every morning at 8am for 2 weeks")
    assert said == []
    assert slots["reminder_times"] == "08:00" and slots["reminder_until"] not in (None, "none")
    assert slots["requested_slot"] == "reminder_show_name"


def test_a_corrected_time_answer_keeps_only_the_corrected_time(db: str) -> None:
    """ "8am, no sorry 9am" to "At what time or times of day?" saved reminders at 8:00 and 9:00."""
    reply = tracker("8am, no sorry 9am", "inform")
    slots = ValidateMedicationReminderForm().validate_reminder_times(
        reply.latest_message["text"], CollectingDispatcher(), reply, project_domain()
    )
    assert slots == {"reminder_times": "09:00"}


def test_every_morning_at_a_bare_hour_is_not_asked_again(db: str) -> None:
    """ "every morning at 8" says 8:00 AM: the form asked "At what time?" after it."""
    slots, said = started(db, "remind me to take lisinopril 10mg every morning at 8 for 30 days")
    assert said == []
    assert slots["reminder_times"] == "08:00" and slots["reminder_days"] == "FREQ=DAILY"
    assert slots["requested_slot"] == "reminder_show_name"


def test_a_reminder_moved_to_a_new_time_keeps_its_days_and_changes_only_that_plan(db: str) -> None:
    from bot.nlu.readings import corrected

    # The classifier's move reading of words about a reminder becomes a change to the plan.
    words = "can you change my metformin reminder to 9pm instead"
    assert corrected([("reschedule_appointment", 0.84), ("set_medication_reminder", 0.06)], words)[0][0] == (
        "stop_medication_reminder"
    )
    assert corrected([("reschedule_appointment", 0.84)], "change my appointment to 9am")[0][0] == (
        "reschedule_appointment"
    )
    patient = add_patient(db, PHONE)
    verify(db, patient)
    metformin = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        other = create_plan(s, patient, "lisinopril", [time(9)], start=date(2027, 6, 1), created_by="staff:test").id
    _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
    assert said == ["Changed: metformin at 9:00 PM every day."]
    with transaction(db) as s:
        assert s.get(MedicationPlan, metformin).times == "21:00" and s.get(MedicationPlan, other).times == "09:00"
        assert s.get(MedicationPlan, metformin).status is PlanStatus.ACTIVE


def test_a_stop_names_what_it_stops_and_what_it_keeps(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    metformin = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        plans = {name: create_plan(s, patient, name, [time(9)], start=date(2027, 6, 1), created_by="staff:test").id
                 for name in ("lisinopril", "atorvastatin")}
    plans["metformin"] = metformin

    def statuses() -> dict[str, str]:
        with transaction(db) as s:
            return {name: s.get(MedicationPlan, pid).status.value for name, pid in plans.items()}

    def reset() -> None:
        with transaction(db) as s:
            for pid in plans.values():
                s.get(MedicationPlan, pid).status = PlanStatus.ACTIVE

    def stop(words: str) -> list:
        return run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))[1]

    stop("please stop the lisinopril reminder that goes off every morning")  # "every morning" is no "all"
    assert statuses() == {"lisinopril": "stopped", "atorvastatin": "active", "metformin": "active"}
    reset()
    stop("please stop the metformin and the lisinopril reminders, keep the atorvastatin one")
    assert statuses() == {"lisinopril": "stopped", "atorvastatin": "active", "metformin": "stopped"}
    reset()
    stop("stop all my reminders except metformin")
    assert statuses() == {"lisinopril": "stopped", "atorvastatin": "stopped", "metformin": "active"}
    reset()
    said = stop("please dont send me appointment reminders anymore")
    assert "changed nothing" in said[0] and set(statuses().values()) == {"active"}


def test_one_time_of_a_twice_daily_plan_is_moved_or_stopped_alone(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    metformin = add_plan(db, patient, [time(8), time(20)], start=date(2027, 6, 1))

    def plan() -> tuple[str, PlanStatus]:
        with transaction(db) as s:
            row = s.get(MedicationPlan, metformin)
            return row.times, row.status

    def say(words: str, times: str = "08:00,20:00") -> list[str]:
        with transaction(db) as s:
            s.get(MedicationPlan, metformin).times = times
        return run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))[1]

    assert say("can you move just my evening metformin reminder to 9pm") == [
        "Changed: metformin at 8:00 AM and 9:00 PM every day."
    ]
    assert plan() == ("08:00,21:00", PlanStatus.ACTIVE)
    say("move my morning one to 7am")
    assert plan() == ("07:00,20:00", PlanStatus.ACTIVE)
    say("change the 8pm metformin one to 9:30pm pls")
    assert plan() == ("08:00,21:30", PlanStatus.ACTIVE)
    said = say("stop the evening metformin reminder, i only take it in the morning now")
    assert plan() == ("08:00", PlanStatus.ACTIVE)
    assert said == ["Stopped: the 8:00 PM metformin reminder. Still on: metformin at 8:00 AM every day."]
    # Stopping the only time left stops the plan, as before.
    say("stop my morning metformin reminder", "08:00")
    assert plan() == ("08:00", PlanStatus.STOPPED)
    with transaction(db) as s:
        s.get(MedicationPlan, metformin).status = PlanStatus.ACTIVE
    # One new time for two, neither named: asked, nothing changed.
    said = say("move my metformin reminder to 7pm")
    assert "Which one should move?" in said[0] and plan() == ("08:00,20:00", PlanStatus.ACTIVE)


def test_a_reminder_moved_from_one_time_to_another(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    add_plan(db, patient, [time(8), time(20)], start=date(2027, 6, 1))
    with transaction(db) as s:
        lisinopril = create_plan(s, patient, "lisinopril", [time(9)], start=date(2027, 6, 1), created_by="staff:t").id
    words = "change my lisinopril reminder from 9am to 10am please"
    _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
    assert said == ["Changed: lisinopril at 10:00 AM every day."]
    with transaction(db) as s:
        assert s.get(MedicationPlan, lisinopril).times == "10:00"
    # Found by a tester: "9 at night" was read alone (its "at" taken as where the new times start), and the
    # morning dose was dropped for 8 PM and 9 PM.
    words = "can you change my lisinopril reminders to 9 in the morning and 9 at night"
    _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
    assert said == ["Changed: lisinopril at 9:00 AM and 9:00 PM every day."]
    words = "please move my lisinopril text to half past seven am"
    _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
    assert "Which one should move?" in said[0]  # one new time for two, neither named: asked


def test_questions_about_refills_are_answered_and_file_nothing(db: str) -> None:
    from actions.reminder_replies import RequestRefill
    from bot.models import HandoffRequest
    from bot.reminders.models import RefillRequest

    patient = add_patient(db, PHONE)

    def filed() -> list[str | None]:
        with transaction(db) as s:
            return [r.medication for r in s.execute(select(RefillRequest)).scalars()]

    for words in (
        "how do refills work",
        "whats the refill policy",
        "refills on weekends",
        "does the pharmacy do refills on weekends",
        "how long does a refill request take",
        "lol this pharmacy line is killing me, anyway whats the refill policy",
    ):
        _, said = run(RequestRefill(), tracker(words, "request_refill"))
        assert "within one business day" in said[0] and "refill" in said[0], words
    assert filed() == []
    _, said = run(RequestRefill(), tracker("i already got my atorvastatin refilled at cvs", "request_refill"))
    assert "good to hear" in said[0].lower() and filed() == []
    words = "my refill for lisinopril didnt come through yet, any update?"
    _, said = run(RequestRefill(), tracker(words, "request_refill"))
    assert "team to check" in said[0] and filed() == []
    with transaction(db) as s:
        handoff = s.execute(select(HandoffRequest)).scalar_one()
        assert (handoff.reason, handoff.patient_id, handoff.conversation_id) == ("refill", patient, PHONE)
    # A request still files one, with the drug it names; naming none, with no plan to go by, its name is asked
    # (round-5 testers: a refill filed with no drug left staff to guess).
    run(RequestRefill(), tracker("please refill my metformin", "request_refill"))
    _, said = run(RequestRefill(), tracker("refill pls", "request_refill"))
    assert said == ['Which medicine is the refill for? Text "refill" and its name. Nothing is requested yet.']
    assert filed() == ["metformin"]


def test_each_drug_a_refill_names_is_filed_and_never_had_to_use_it_is_no_status_chase(db: str) -> None:
    from actions.reminder_replies import RequestRefill
    from bot.reminders.models import RefillRequest

    add_patient(db, PHONE)
    _, said = run(RequestRefill(), tracker("refill my metformin and lisinopril", "request_refill"))
    assert said[0].startswith("I've sent your refill requests for metformin and lisinopril")
    # Was "Sorry it hasn't come through yet ... I didn't send a second request", and nothing filed.
    words = "can I get a refill of my epipen, mine expired (never had to use it thank god)"
    _, said = run(RequestRefill(), tracker(words, "request_refill"))
    assert said[0].startswith("I've sent your refill request for epipen")
    with transaction(db) as s:
        assert [r.medication for r in s.execute(select(RefillRequest))
                .scalars()] == ["metformin", "lisinopril", "epipen"]


def test_a_refill_on_the_web_checks_who_is_asking_and_is_then_filed(db: str) -> None:
    """It was refused: 'text us from your mobile', though the web reminder form checks identity."""
    from actions.reminder_replies import RequestRefill
    from bot.reminders.models import RefillRequest

    web = "web-" + "ef" * 16
    events, said = run(RequestRefill(), tracker("refill my metoprolol succinate 25 mg please", "request_refill",
                                                channel="webchat"))
    assert said == [] and {"event": "followup", "timestamp": None, "name": "verify_form"} in events
    # The check ran (verify_form) and the patient is verified: the request made before it is filed.
    patient = add_patient(db, "+15550600002")
    with transaction(db) as s:
        s.add(IdentityCheck(conversation_id=web, patient_id=patient, verified_until=utcnow() + timedelta(days=1)))
    request = {"text": "refill my metoprolol succinate 25 mg please", "intent": {"name": "request_refill"}}
    answer = {"text": "03/14/1980", "intent": {"name": "inform"}}
    back = Tracker.from_dict({
        "sender_id": web, "slots": {}, "latest_message": answer, "paused": False, "followup_action": None,
        "active_loop": {}, "latest_action_name": "verify_form",
        "events": [{"event": "user", "text": request["text"], "parse_data": request, "input_channel": "webchat"},
                   {"event": "action", "name": "action_request_refill"},
                   {"event": "action", "name": "verify_form"}, {"event": "active_loop", "name": "verify_form"},
                   {"event": "user", "text": answer["text"], "parse_data": answer, "input_channel": "webchat"},
                   {"event": "action", "name": "verify_form"}, {"event": "active_loop", "name": None}],
    })
    _, said = run(RequestRefill(), back)
    assert said[0].startswith("I've sent your refill request for metoprolol")
    with transaction(db) as s:
        assert [(r.patient_id, r.medication) for r in s.execute(select(RefillRequest)).scalars()] == [
            (patient, "metoprolol")
        ]


def test_a_refill_asked_as_a_question_is_still_a_request() -> None:
    from bot.reminders.reply_words import RefillAsk, refill_ask

    for words in ("can i get my prescription refilled", "could you refill my meds", "refill pls"):
        assert refill_ask(words, named_drug=False) is RefillAsk.REQUEST, words
    assert refill_ask("how do refills work", named_drug=False) is RefillAsk.QUESTION


def test_words_that_do_not_say_stop_never_stop_a_plan(db: str) -> None:
    patient = add_patient(db, PHONE)
    verify(db, patient)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    for words in ("change my metformin reminder", "how do i change my reminder", "my metformin reminder"):
        _, said = run(StopMedicationReminder(), tracker(words, "stop_medication_reminder"))
        assert "Nothing was changed" in said[0], words
        with transaction(db) as s:
            assert s.get(MedicationPlan, plan).status is PlanStatus.ACTIVE, words
    run(StopMedicationReminder(), tracker("i no longer take metformin, no more texts", "stop_medication_reminder"))
    with transaction(db) as s:
        assert s.get(MedicationPlan, plan).status is PlanStatus.STOPPED


def test_a_bare_yes_to_a_dose_reminder_is_asked_about_and_records_nothing(db: str) -> None:
    from actions.offers import ActionNumberedReply

    # Played against the stack: "yes" / "ok" to "time for your metformin" got "No problem. Is there anything
    # else?", as if the patient had said no, and nothing was recorded.
    patient = add_patient(db, PHONE)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        s.add(ReminderOutbox(kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan,
                             occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)), due_at=utcnow(),
                             status=OutboxStatus.SENT, sent_at=utcnow()))
    for words in ("yes", "ok"):
        assert run(ActionNumberedReply(), tracker(words, "affirm"))[1] == ["Did you take it?"]
    run(RecordAdherence(), tracker("taken", "medication_taken"))
    # Once answered, a "yes" is no longer about that dose.
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionNumberedReply().run(dispatcher, tracker("yes", "affirm"), project_domain()))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_anything_else"]
    with transaction(db) as s:
        assert [e.action for e in s.execute(select(AdherenceEntry)).scalars()] == [AdherenceAction.TAKEN]


def test_one_drug_taken_of_two_is_noted_only_when_the_reminder_was_for_it(db: str) -> None:
    """ "took the metformin but not the lisinopril yet" was not understood. To a lisinopril reminder nothing is
    noted and the reminded drug is asked about; to a metformin reminder it is noted as taken."""
    patient = add_patient(db, PHONE)
    metformin = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        lisinopril = create_plan(
            s, patient, "lisinopril", [time(8)], start=date(2027, 6, 1), created_by="staff:test"
        ).id
    words = "took the metformin but not the lisinopril yet"

    def reminded(plan: int, minutes_ago: int) -> None:
        with transaction(db) as s:
            s.add(ReminderOutbox(kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan,
                                 occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)), due_at=utcnow(),
                                 status=OutboxStatus.SENT, sent_at=utcnow() - timedelta(minutes=minutes_ago)))

    reminded(lisinopril, 2)
    said = run(RecordAdherence(), tracker(words, "medication_taken"))[1]
    assert said == ["I haven't noted anything yet: this reminder was for your lisinopril. Did you take it? "
                    "Reply TAKEN or SKIP."]
    with transaction(db) as s:
        assert s.execute(select(AdherenceEntry)).scalars().all() == []
    reminded(metformin, 1)
    assert run(RecordAdherence(), tracker(words, "medication_taken"))[1] == ["Thanks, noted as taken."]
    with transaction(db) as s:
        assert [(e.plan_id, e.action) for e in s.execute(select(AdherenceEntry)).scalars()] == [
            (metformin, AdherenceAction.TAKEN)
        ]


def _dose_reminded(url: str, patient: int) -> None:
    """The dispatcher texted "Time for your 8:00 AM medication" a minute ago; nothing answered it yet."""
    plan = add_plan(url, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(url) as s:
        s.add(ReminderOutbox(kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan,
                             occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)), due_at=utcnow(),
                             status=OutboxStatus.SENT, sent_at=utcnow() - timedelta(minutes=1)))


def test_later_to_a_dose_reminder_snoozes_it_and_never_says_goodbye(db: str) -> None:
    """Found by simulated patients: "later" read as a farewell got "Take care!" and the dose was left unanswered."""
    from actions.reminder_replies import Goodbye

    patient = add_patient(db, PHONE)
    _dose_reminded(db, patient)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(Goodbye().run(dispatcher, tracker("later", "goodbye"), project_domain()))
    assert dispatcher.messages == []  # no "Take care!"
    put_back = [e for e in events if e.get("event") == "user"]
    assert [e["parse_data"]["intent"]["name"] for e in put_back] == ["snooze_reminder"]
    with transaction(db) as s:
        assert s.execute(select(AdherenceEntry)).first() is None  # nothing noted as taken or skipped
    # The snooze rule answers the put-back reply: the default snooze, queued.
    said = run(RecordAdherence(), tracker("later", "snooze_reminder"))[1]
    assert said == ["Okay, I'll remind you again in 15 minutes."]
    with transaction(db) as s:
        assert [e.action for e in s.execute(select(AdherenceEntry)).scalars()] == [AdherenceAction.SNOOZED]
        assert s.execute(select(ReminderOutbox).where(ReminderOutbox.status == OutboxStatus.PENDING)).first()


def test_later_with_no_dose_reminder_to_answer_is_a_goodbye(db: str) -> None:
    from actions.reminder_replies import Goodbye

    add_patient(db, PHONE)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(Goodbye().run(dispatcher, tracker("later", "goodbye"), project_domain()))
    assert events == [] and [m["response"] for m in dispatcher.messages] == ["utter_goodbye"]


def test_not_right_now_to_a_dose_reminder_snoozes_it_and_with_none_asks_what_else(db: str) -> None:
    """Played against the stack: "not right now" (read as a no, with no yes/no question open) fell back."""
    from actions.offers import ActionNumberedReply

    patient = add_patient(db, PHONE)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionNumberedReply().run(dispatcher, tracker("not right now", "deny"), project_domain()))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_anything_else"]
    _dose_reminded(db, patient)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionNumberedReply().run(dispatcher, tracker("not right now", "deny"), project_domain()))
    assert dispatcher.messages == []
    assert [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"] == ["snooze_reminder"]
    # A plain "no" is no snooze: nothing is put back, nothing recorded.
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionNumberedReply().run(dispatcher, tracker("no", "deny"), project_domain()))
    assert not [e for e in events if e.get("event") == "user"]
    with transaction(db) as s:
        assert s.execute(select(AdherenceEntry)).first() is None


def test_a_refill_not_asked_for_in_months_is_filed_and_one_that_never_came_is_chased(db: str) -> None:
    """ "can I get a refill of my lisinopril, I haven't asked in months" got "Sorry it hasn't come through yet" and
    nothing was filed: any "haven't" read as a refill asked for before."""
    from actions.reminder_replies import RequestRefill
    from bot.reminders.models import RefillRequest
    from bot.reminders.reply_words import RefillAsk, refill_ask

    add_patient(db, PHONE)
    for words, drug in (("can I get a refill of my lisinopril, I haven't asked in months", "lisinopril"),
                        ("refill my nitroglycerin please, haven't needed it in ages", "nitroglycerin")):
        _, said = run(RequestRefill(), tracker(words, "request_refill"))
        assert said[0].startswith(f"I've sent your refill request for {drug}"), words
    with transaction(db) as s:
        assert [r.medication for r in s.execute(select(RefillRequest)).scalars()] == ["lisinopril", "nitroglycerin"]
    for words in ("i asked for a refill last week and haven't heard back", "my refill hasn't arrived",
                  "still haven't gotten my metformin", "pharmacy says it hasn't been sent"):
        assert refill_ask(words, named_drug=True) is RefillAsk.STATUS, words


def test_a_request_said_beside_a_dose_reply_follows_the_reply(db: str) -> None:
    """ "taken. also need a refill please" filed the refill and lost the dose; the reply is noted, then the refill
    is put back in the conversation as said."""
    patient = add_patient(db, PHONE)
    plan = add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        s.add(ReminderOutbox(kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan,
                             occurrence=DoseOccurrence(datetime(2027, 6, 2, 8)), due_at=utcnow(),
                             status=OutboxStatus.SENT, sent_at=utcnow()))
    said = tracker("taken. also need a refill please", "medication_taken")
    also = {"label": "request_refill", "text": "also need a refill please"}
    said.latest_message["also_request"] = also
    said.events[-1]["parse_data"]["also_request"] = also
    events, replies = run(RecordAdherence(), said)
    assert replies == ["Thanks, noted as taken.", "Now, as you asked, let's ask for a refill."]
    put_back = [e for e in events if e.get("event") == "user"]
    assert [(e["text"], e["parse_data"]["intent"]["name"]) for e in put_back] == [
        ("also need a refill please", "request_refill")]
    with transaction(db) as s:
        assert [e.action for e in s.execute(select(AdherenceEntry)).scalars()] == [AdherenceAction.TAKEN]


def test_a_reminded_drug_given_up_is_offered_to_stop_and_only_a_yes_stops_it(db: str) -> None:
    """ "I'm not taking that anymore, the doctor stopped it" to a dose reminder got the medical-advice refusal: it
    is news about that drug, whose reminders are offered to stop. "no" keeps them; only "yes" stops them."""
    from actions.core import ActionDeclineMedicalAdvice
    from actions.offers import ActionNumberedReply

    patient = add_patient(db, PHONE)
    verify(db, patient)
    words = "I'm not taking that anymore, the doctor stopped it"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionDeclineMedicalAdvice().run(dispatcher, tracker(words, "medical_advice"), project_domain()))
    assert dispatcher.messages[0]["response"] == "utter_medical_advice"  # no reminder: nothing to offer to stop
    _dose_reminded(db, patient)
    events, said = run(ActionDeclineMedicalAdvice(), tracker(words, "medical_advice"))
    assert said == ["Thanks for letting me know. Would you like me to stop your metformin reminders?"] and not events
    with transaction(db) as s:
        assert [p.status for p in s.execute(select(MedicationPlan)).scalars()] == [PlanStatus.ACTIVE]

    def answered(reply: str, intent: str) -> tuple[list[dict], list[str]]:
        offered = CollectingDispatcher()
        asyncio.run(ActionDeclineMedicalAdvice().run(offered, tracker(words, "medical_advice"), project_domain()))
        asked = tracker(reply, intent)
        bot = {"event": "bot", "text": offered.messages[0]["text"], "timestamp": utcnow().timestamp() + 1,
               "data": {"buttons": offered.messages[0]["buttons"]}}
        history = [*tracker(words, "medical_advice").events, bot, *asked.events]
        return run(ActionNumberedReply(), Tracker.from_dict({**asked.current_state(), "events": history}))

    events, _ = answered("no", "deny")
    assert not [e for e in events if e.get("event") == "user"]
    with transaction(db) as s:
        assert [p.status for p in s.execute(select(MedicationPlan)).scalars()] == [PlanStatus.ACTIVE]
    events, _ = answered("yes", "affirm")
    put_back = [e for e in events if e.get("event") == "user"]
    assert [(e["parse_data"]["intent"]["name"], e["text"]) for e in put_back] == [
        ("stop_medication_reminder", "stop my metformin reminders")
    ]
    run(StopMedicationReminder(), tracker(put_back[0]["text"], "stop_medication_reminder"))
    with transaction(db) as s:
        assert [p.status for p in s.execute(select(MedicationPlan)).scalars()] == [PlanStatus.STOPPED]


def test_a_drug_given_up_is_news_but_a_question_about_it_stays_one() -> None:
    from bot.reminders.reply_words import says_given_up

    assert says_given_up("I'm not taking that anymore, the doctor stopped it")
    assert says_given_up("my doctor took me off it")
    assert not says_given_up("the doctor stopped it, should I still take the last ones?")
    assert not says_given_up("not taking it today, my stomach is upset")


def test_a_named_plan_moved_by_an_amount_moves_each_of_its_times_and_no_other_plan(db: str) -> None:
    """ "please my reminder for lisinopril make it one hour later" asked the times of a new reminder."""
    patient = add_patient(db, PHONE)
    verify(db, patient)
    add_plan(db, patient, [time(8)], start=date(2027, 6, 1))
    with transaction(db) as s:
        create_plan(s, patient, "lisinopril", [time(8), time(20)], start=date(2027, 6, 1), created_by="staff:test")
    said = "please my reminder for lisinopril make it one hour later"
    assert run(StopMedicationReminder(), tracker(said, "stop_medication_reminder"))[1] == [
        "Changed: lisinopril at 9:00 AM and 9:00 PM every day."
    ]
    with transaction(db) as s:
        plans = s.execute(select(MedicationPlan).order_by(MedicationPlan.id)).scalars()
        assert [(p.medication, p.times) for p in plans] == [("metformin", "08:00"), ("lisinopril", "09:00,21:00")]
    # With two plans and neither named, which one moves is asked; nothing changes.
    asked = run(StopMedicationReminder(), tracker("make my reminder an hour later", "stop_medication_reminder"))[1]
    assert "metformin" in asked[0] and "lisinopril" in asked[0], asked
    with transaction(db) as s:
        assert [p.times for p in s.execute(select(MedicationPlan).order_by(MedicationPlan.id)).scalars()] == [
            "08:00", "09:00,21:00"
        ]


@pytest.mark.parametrize("slot", ["reminder_until", "reminder_days"])
def test_a_time_correction_said_to_a_later_question_replaces_the_time(db: str, slot: str) -> None:
    # Found by testers: "remind me to take zinc at noon", then "hmm wait, make it 1pm" to "Until when?" was
    # taken as no answer, and the read-back said 12:00 PM.
    t = tracker("hmm wait, make it 1pm", "inform", {"reminder_medication": "zinc", "reminder_times": "12:00",
                                                   "requested_slot": slot})
    form, dispatcher = ValidateMedicationReminderForm(), CollectingDispatcher()
    check = getattr(form, f"validate_{slot}")
    result = check("hmm wait, make it 1pm", dispatcher, t, project_domain())
    slots = asyncio.run(result) if asyncio.iscoroutine(result) else result
    assert slots == {"reminder_times": "13:00", slot: None}
    assert [m["text"] for m in dispatcher.messages] == ["Got it, the time is now 1:00 PM."]


def test_an_end_date_answer_with_no_time_correction_is_read_as_before(db: str) -> None:
    t = tracker("no end date", "inform", {"reminder_medication": "zinc", "reminder_times": "12:00"})
    slots = asyncio.run(ValidateMedicationReminderForm().validate_reminder_until(
        "no end date", CollectingDispatcher(), t, project_domain()))
    assert slots == {"reminder_until": "none"}
