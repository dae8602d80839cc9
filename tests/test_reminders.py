"""Plans, occurrences across daylight saving, the appointment policy, and replies to reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db import transaction, utcnow
from bot.reminders.expansion import expand_appointments, expand_medication
from bot.reminders.models import (
    AdherenceAction,
    AdherenceEntry,
    OutboxStatus,
    PlanStatus,
    ReminderKind,
    ReminderOutbox,
)
from bot.reminders.occurrence import AppointmentOccurrence, DoseOccurrence
from bot.reminders.plans import PlanError, create_plan, describe, set_status
from bot.reminders.replies import latest_reminded_appointment, record_adherence, request_refill
from tests.fake_twilio import FakeTwilio
from tests.reminder_helpers import NY, Clock, add_appointment, add_patient, add_plan, dispatcher_for, settings_for

LOCAL = ZoneInfo(NY)


def expand(url: str, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    with transaction(url) as s:
        expand_medication(s, start, end)
        expand_medication(s, start, end)  # idempotent: a second run adds nothing
        rows = s.execute(select(ReminderOutbox).order_by(ReminderOutbox.due_at)).scalars()
        return [(str(r.occurrence), r.due_at) for r in rows]


def test_eight_am_stays_eight_am_local_across_both_transitions(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100101")
    add_plan(db_url, patient, [time(8, 0)], start=date(2027, 3, 13))
    spring = expand(db_url, datetime(2027, 3, 13, tzinfo=timezone.utc), datetime(2027, 3, 16, tzinfo=timezone.utc))
    assert [due.astimezone(LOCAL).strftime("%m-%d %H:%M") for _, due in spring] == [
        "03-13 08:00",
        "03-14 08:00",
        "03-15 08:00",
    ]
    assert [due.hour for _, due in spring] == [13, 12, 12]  # UTC moves, local time does not
    patient2 = add_patient(db_url, "+15550100102", first="Bo")
    with transaction(db_url) as s:
        create_plan(s, patient2, "lisinopril", [time(8, 0)], start=date(2027, 11, 6), created_by="staff:test")
        expand_medication(s, datetime(2027, 11, 6, tzinfo=timezone.utc), datetime(2027, 11, 9, tzinfo=timezone.utc))
        rows = s.execute(select(ReminderOutbox).where(ReminderOutbox.patient_id == patient2)).scalars()
        assert sorted(r.due_at.astimezone(LOCAL).strftime("%m-%d %H:%M") for r in rows) == [
            "11-06 08:00",
            "11-07 08:00",
            "11-08 08:00",
        ]


def test_time_missing_on_spring_forward_day_goes_at_next_valid_minute_once(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100103")
    add_plan(db_url, patient, [time(2, 30)], start=date(2027, 3, 13))
    rows = expand(db_url, datetime(2027, 3, 14, tzinfo=timezone.utc), datetime(2027, 3, 15, tzinfo=timezone.utc))
    assert rows == [("2027-03-14T02:30", datetime(2027, 3, 14, 3, 0, tzinfo=LOCAL).astimezone(timezone.utc))]


def test_repeated_time_on_fall_back_day_goes_once(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100104")
    add_plan(db_url, patient, [time(1, 30)], start=date(2027, 11, 6))
    rows = expand(db_url, datetime(2027, 11, 7, 4, tzinfo=timezone.utc), datetime(2027, 11, 7, 8, tzinfo=timezone.utc))
    assert rows == [("2027-11-07T01:30", datetime(2027, 11, 7, 5, 30, tzinfo=timezone.utc))]  # 1:30 EDT, the first


def test_dispatcher_over_the_fall_back_night_sends_the_repeated_time_once(db_url: str, tmp_path: Path) -> None:
    with FakeTwilio() as fake:
        patient = add_patient(db_url, "+15550100105")
        add_plan(db_url, patient, [time(1, 30)], start=date(2027, 11, 6))
        clock = Clock(datetime(2027, 11, 7, 4, 0, tzinfo=timezone.utc))
        dispatcher = dispatcher_for(settings_for(db_url, fake, tmp_path), fake, clock)
        for _ in range(24):  # every 10 minutes from 0:00 EDT to 3:00 EST, through both 1:30s
            dispatcher.run_once()
            clock.advance(minutes=10)
        assert [m["Body"].split(":")[1] for m in fake.sent] == [" Time for your 1"]


def test_weekly_rule_end_date_and_readback(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100106")
    with transaction(db_url) as s:
        plan = create_plan(
            s,
            patient,
            "metformin",
            [time(20, 0), time(8, 0)],
            rule="FREQ=WEEKLY;BYDAY=MO,WE,FR",
            start=date(2027, 6, 7),
            end=date(2027, 6, 11),
            dose="500 mg",
            created_by="patient:sms",
        )
        assert describe(plan) == "metformin 500 mg at 8:00 AM and 8:00 PM on Mon, Wed, Fri until Jun 11 2027"
        expand_medication(s, datetime(2027, 6, 1, tzinfo=timezone.utc), datetime(2027, 6, 30, tzinfo=timezone.utc))
        occurrences = s.execute(select(ReminderOutbox.occurrence).order_by(ReminderOutbox.due_at)).scalars().all()
    assert [str(o) for o in occurrences] == [
        "2027-06-07T08:00",
        "2027-06-07T20:00",
        "2027-06-09T08:00",
        "2027-06-09T20:00",
        "2027-06-11T08:00",
        "2027-06-11T20:00",
    ]


def test_invalid_plans_are_refused_with_a_reason(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100107")
    with transaction(db_url) as s:
        with pytest.raises(PlanError):
            create_plan(s, patient, "metformin", [time(8)], rule="FREQ=SOMETIMES")
        with pytest.raises(PlanError):
            create_plan(s, patient, "metformin", [time(8)], start=date(2027, 6, 2), end=date(2027, 6, 1))
        with pytest.raises(PlanError):
            create_plan(s, patient, "metformin", [])


def test_pausing_a_plan_withdraws_pending_reminders_with_reason(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100108")
    plan = add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    expand(db_url, datetime(2027, 6, 1, tzinfo=timezone.utc), datetime(2027, 6, 4, tzinfo=timezone.utc))
    with transaction(db_url) as s:
        assert set_status(s, plan, PlanStatus.PAUSED, patient_id=patient + 999) is None  # not someone else's
        set_status(s, plan, PlanStatus.PAUSED, patient_id=patient)
        reasons = set(s.execute(select(ReminderOutbox.reason)).scalars())
    assert reasons == {"cancelled: plan paused"}


def test_appointment_booked_late_gets_only_the_reminders_still_ahead(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100109")
    starts = datetime(2027, 6, 10, 14, 30, tzinfo=LOCAL)
    add_appointment(db_url, patient, starts, booked_at=starts - timedelta(days=1))
    with transaction(db_url) as s:
        expand_appointments(s, starts - timedelta(days=1), (3 * 24 * 60, 120), timedelta(days=2))
        rows = s.execute(select(ReminderOutbox)).scalars().all()
    assert [r.due_at for r in rows] == [starts - timedelta(hours=2)]


def _sent(url: str, patient: int, kind: str, appointment: int | None = None, plan: int | None = None) -> int:
    with transaction(url) as s:
        row = ReminderOutbox(
            kind=ReminderKind(kind),
            patient_id=patient,
            appointment_id=appointment,
            plan_id=plan,
            occurrence=AppointmentOccurrence(120, utcnow()) if appointment else DoseOccurrence(datetime(2027, 6, 2, 8)),
            due_at=utcnow(),
            status=OutboxStatus.SENT,
            sent_at=utcnow(),
        )
        s.add(row)
        s.flush()
        return row.id


def test_reply_digits_act_on_the_latest_reminded_appointment(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100110")
    soon = add_appointment(db_url, patient, utcnow() + timedelta(days=2), booked_at=utcnow() - timedelta(days=9))
    later = add_appointment(db_url, patient, utcnow() + timedelta(days=5), booked_at=utcnow() - timedelta(days=9))
    with transaction(db_url) as s:
        assert latest_reminded_appointment(s, patient) is None
    _sent(db_url, patient, "appointment", appointment=soon)
    _sent(db_url, patient, "appointment", appointment=later)
    with transaction(db_url) as s:
        assert latest_reminded_appointment(s, patient) == later


def test_taken_skip_snooze_are_logged_against_the_latest_dose(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100111")
    plan = add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    with transaction(db_url) as s:
        assert record_adherence(s, patient, AdherenceAction.TAKEN) is None  # no reminder yet: nothing to log
    dose = _sent(db_url, patient, "medication", plan=plan)
    with transaction(db_url) as s:
        s.get(ReminderOutbox, dose).occurrence = DoseOccurrence(datetime(2027, 6, 2, 8))
    with transaction(db_url) as s:
        snoozed = record_adherence(s, patient, AdherenceAction.SNOOZED)
        taken = record_adherence(s, patient, AdherenceAction.TAKEN)
        log = s.execute(select(AdherenceEntry.outbox_id, AdherenceEntry.action).order_by(AdherenceEntry.id)).all()
        follow_up = s.execute(select(ReminderOutbox).where(ReminderOutbox.id != dose)).scalar_one()
    assert snoozed is not None and taken is not None and taken.planned == DoseOccurrence(datetime(2027, 6, 2, 8))
    assert log == [(dose, AdherenceAction.SNOOZED), (dose, AdherenceAction.TAKEN)]
    assert str(follow_up.occurrence) == "2027-06-02T08:00+snooze1" and follow_up.status is OutboxStatus.PENDING


def test_refill_request_is_recorded_for_staff(db_url: str) -> None:
    patient = add_patient(db_url, "+15550100112")
    plan = add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    with transaction(db_url) as s:
        request = request_refill(s, patient, "Metformin", "sms")
    assert (request.plan_id, request.status, request.channel) == (plan, "open", "sms")


def test_a_reminder_request_fills_what_it_names_and_nothing_it_does_not() -> None:
    from bot.reminders.parsing import plan_request
    from bot.reminders.reply_words import refill_medication

    today = date(2026, 12, 2)
    # "twice a day" says every day, and how many times, not which.
    assert plan_request("can you remind me to take my metformin twice a day at 8am and 8pm", today) == {
        "reminder_medication": "metformin",
        "reminder_times": "08:00,20:00",
        "reminder_days": "FREQ=DAILY",
    }
    assert plan_request("Set a reminder for my insulin at 7 am every day, no end date", today) == {
        "reminder_medication": "insulin",
        "reminder_times": "07:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "none",
    }
    assert plan_request("a reminder to take amoxicillin three times a day for 10 days", today) == {
        "reminder_medication": "amoxicillin",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "2026-12-11",
    }
    # "months" is no Monday: this was read as a Monday-only plan.
    assert plan_request("remind me to take my insulin every night at 9:30pm for the next 3 months", today) == {
        "reminder_medication": "insulin",
        "reminder_times": "21:30",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "2027-03-01",
    }
    # Doses, spans and dates are numbers, not clock times; a named time beside a clock time labels it.
    assert plan_request("remind me to take lisinopril every morning at 8am for 2 weeks", today) == {
        "reminder_medication": "lisinopril",
        "reminder_times": "08:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "2026-12-15",
    }
    assert plan_request("pls remind me to take 500mg metformin at 9pm until jan 15", today) == {
        "reminder_medication": "metformin",
        "reminder_times": "21:00",
        "reminder_until": "2027-01-15",
    }
    assert plan_request("remind me to take 2 pills of advil at 7:30 each morning", today) == {
        "reminder_medication": "advil",
        "reminder_times": "07:30",
        "reminder_days": "FREQ=DAILY",
    }
    # "10 o'clock at night" is 10:00 PM, and "bedtime" beside it labels it: one time, not 10 AM and 9 PM.
    assert plan_request(
        "remind me about my pills, I take my atorvastatin at bedtime, around 10 o'clock at night", today
    ) == {"reminder_medication": "atorvastatin", "reminder_times": "22:00"}
    # A bare hour with nothing to say which half of the day is still asked, not guessed.
    assert "reminder_times" not in plan_request("remind me to take my atorvastatin at 10", today)
    assert plan_request("remind me to take my meds", today) == {}
    assert refill_medication("need a refill on my albuterol inhaler") == "albuterol"
    assert refill_medication("refill pls") is None
    # The drug said before the verb.
    assert refill_medication("I'm not suicidal or anything, I just need my sertraline refilled") == "sertraline"
    assert refill_medication("my metformin needs refilling") == "metformin"
    assert refill_medication("can i get my prescription refilled") is None
    # The last word of a question about refills is no drug.
    for words in ("how do refills work", "whats the refill policy", "refills on weekends", "refill request take"):
        assert refill_medication(words) is None, words


def test_a_refill_request_keeps_the_drug_wherever_the_patient_names_it() -> None:
    from bot.reminders.drugs import is_drug
    from bot.reminders.reply_words import RefillAsk, refill_ask, refill_medication

    # Found by a tester: filed without the drug, filed for "left", or not filed at all.
    said = {
        "could you put in a refill request for my levothyroxine 50 mcg": "levothyroxine",
        "my pharmacy says I have no refills left on atorvastatin, can the doctor send a new script": "atorvastatin",
        "I shall require a renewal of my prescription for amlodipine before the end of the month.": "amlodipine",
        "I need more of medicine gabapentin, it is finish": "gabapentin",
        "rx refill: escitalopram thx": "escitalopram",
        "refill on my zepbound pls": "zepbound",  # no list holds it: the word the verb points at
    }
    for words, drug in said.items():
        assert refill_medication(words) == drug, words
        assert refill_ask(words, named_drug=True) is RefillAsk.REQUEST, words
    # Found by round-5 testers: a word describing the pills, or how the refill should go, is no drug's name.
    for words in ("I need more of my heart pills", "refill my nerve pain pills", "need my refill sorted out",
                  "refill both please", "gotta get a refill sorted"):
        assert refill_medication(words) is None, words
    assert refill_medication("refll my atorvastatn pls") == "atorvastatin"  # misspelt, read as the drug
    assert refill_medication("refill my bystolik", own=("bystolic",)) == "bystolic"
    # Generic names by their stems; everyday words that end alike are no drugs.
    assert all(is_drug(w) for w in ("valsartan", "pitavastatin", "nebivolol", "Rabeprazole", "empagliflozin"))
    assert not any(is_drug(w) for w in ("online", "someone", "routine", "hotline", "examine", "phone"))


def test_times_in_words_are_one_time_each() -> None:
    from bot.reminders.parsing import parse_times

    # Before, "8 in the evening" was read as 8:00 AM and 6:00 PM.
    assert parse_times("8 in the evening") == [time(20)]
    assert parse_times("9 in the morning") == [time(9)]
    assert parse_times("bedtime, around 10 at night") == [time(22)]
    assert parse_times("morning and 9pm") == [time(8), time(21)]
    assert parse_times("at 7:30am before breakfast and at bedtime") == [time(7, 30), time(21)]


@pytest.mark.parametrize(
    "words, expected",
    [
        ("8am, no sorry 9am", [time(9)]),
        ("8am no wait 9", [time(9)]),
        ("7:30, i mean 8:30", [time(8, 30)]),
        ("morning, actually bedtime", [time(21)]),
        ("8am, scratch that, 9:30am", [time(9, 30)]),
        ("8 am or rather 7 am", [time(7)]),
        # Only as many as the correction says are replaced, the last ones said.
        ("8am and 2pm, i mean 3pm", [time(8), time(15)]),
        ("8am and 8pm, no wait, 9am and 9pm", [time(9), time(21)]),
        # No earlier time to correct: "actually" is just a word.
        ("actually 9am", [time(9)]),
    ],
)
def test_a_self_correction_replaces_the_time_it_corrects(words: str, expected: list[time]) -> None:
    from bot.reminders.parsing import parse_times

    assert parse_times(words) == expected


def test_a_half_of_the_day_said_before_a_bare_hour_says_which_half() -> None:
    from bot.reminders.parsing import parse_times, plan_request

    assert parse_times("every morning at 8") == [time(8)]
    assert parse_times("every night at 9") == [time(21)]
    assert parse_times("evenings around 7:30") == [time(19, 30)]
    assert parse_times("at 9 at night") == [time(21)]
    assert plan_request("remind me to take lisinopril 10mg every morning at 8 for 30 days", date(2026, 12, 2)) == {
        "reminder_medication": "lisinopril",
        "reminder_times": "08:00",
        "reminder_days": "FREQ=DAILY",
        "reminder_until": "2026-12-31",
    }
    # A tester's patient said the halves without "at" and was asked the times again.
    assert parse_times("morning 8 and night 8") == [time(8), time(20)]
    assert parse_times("night 2 pills") == [time(21)]  # an amount, not 2 AM or PM
    said = "I want the phone tell me take metformin 2 times, morning 8 and night 8, every day, no stop"
    assert plan_request(said, date(2026, 12, 2)) == {
        "reminder_medication": "metformin",
        "reminder_times": "08:00,20:00",
        "reminder_days": "FREQ=DAILY",
    }


def test_a_self_correction_in_a_request_replaces_days_times_and_end_dates() -> None:
    from bot.reminders.parsing import plan_request

    today = date(2026, 12, 2)
    assert plan_request("remind me to take aspirin at 8am, no sorry 9am daily", today)["reminder_times"] == "09:00"
    assert plan_request("take my vitamin d on mon wed, no wait, tue thu at 8am", today)["reminder_days"] == (
        "FREQ=WEEKLY;BYDAY=TU,TH"
    )
    assert plan_request("remind me to take my statin at 9pm until 12/24, i mean 12/31", today)["reminder_until"] == (
        "2026-12-31"
    )


def test_a_snooze_waits_as_long_as_the_patient_asked_within_limits(db_url: str) -> None:
    from datetime import timedelta

    from bot.reminders.reply_words import snooze_for

    assert snooze_for("remind me again in 30 minutes") == timedelta(minutes=30)
    assert snooze_for("snooze half an hour pls") == timedelta(minutes=30)
    assert snooze_for("give me an hour") == timedelta(hours=1)
    assert snooze_for("give me 30 more minutes") == timedelta(minutes=30)  # was snoozed 15
    assert snooze_for("snooze 2 hrs") == timedelta(hours=2)
    assert snooze_for("snooze for 12 hours") == timedelta(hours=4) and snooze_for("1 min") == timedelta(minutes=5)
    assert snooze_for("snooze") is None and snooze_for("SNOOZE 500mg") is None
    from bot.reminders.reply_words import puts_off

    # Replies to a dose reminder that put it off (found by simulated patients: "later" said goodbye).
    for words in ("later", "ok later", "in a bit", "not yet", "not right now", "later pls"):
        assert puts_off(words), words
    assert not any(puts_off(w) for w in ("bye", "thanks", "took it", "skip"))
    patient = add_patient(db_url, "+15550100112")
    plan = add_plan(db_url, patient, [time(8, 0)], start=date(2027, 6, 1))
    _sent(db_url, patient, "medication", plan=plan)
    with transaction(db_url) as s:
        snoozed = record_adherence(s, patient, AdherenceAction.SNOOZED, timedelta(minutes=30))
        queued = s.execute(select(ReminderOutbox).where(ReminderOutbox.status == OutboxStatus.PENDING)).scalar_one()
    assert snoozed is not None and snoozed.snoozed_until is not None
    from bot.db import utcnow

    assert timedelta(minutes=29) < snoozed.snoozed_until - utcnow() <= timedelta(minutes=30)
    assert abs((queued.due_at.replace(tzinfo=None) - snoozed.snoozed_until.replace(tzinfo=None)).total_seconds()) < 1


def test_a_span_is_no_time_of_day() -> None:
    from bot.reminders.parsing import parse_times

    assert parse_times("for 5 days") == [] and parse_times("500mg at 8am") == [time(8)]


def test_a_greeting_names_no_dose_time_and_meals_are_times() -> None:
    from bot.reminders.parsing import plan_request

    today = date(2026, 12, 7)
    opening = "Good afternoon. Could you text me each evening at half past six to take my warfarin? Thank you."
    assert plan_request(opening, today)["reminder_times"] == "18:30"
    assert plan_request("remind me about my insulin before breakfast and supper", today)["reminder_times"] == (
        "08:00,18:00"
    )


def test_a_misspelt_drug_is_read_as_the_one_drug_it_is_close_to_and_nothing_else_is() -> None:
    from bot.reminders.drugs import spelled_drug

    said = {"atorvastatn": "atorvastatin", "metfromin": "metformin", "levothyroxin": "levothyroxine",
            "amlodipne": "amlodipine", "gabapentn": "gabapentin"}
    assert {word: spelled_drug(word) for word in said} == said
    # Short words, everyday words and English endings are never corrected into a drug.
    for word in ("sorted", "heart", "nerve", "refll", "please", "pressure", "thyroid", "medicine", "aspiring"):
        assert spelled_drug(word) is None, word


def test_a_reminder_keeps_a_supplements_whole_name_and_a_drug_named_later_beats_a_description() -> None:
    from bot.reminders.parsing import plan_request

    today = date(2026, 12, 7)
    # Found by round-5 testers: saved as "vitamin" and as "eye drops".
    assert plan_request("vitamin d reminder every sunday 10am, no end", today) == {
        "reminder_medication": "vitamin d", "reminder_times": "10:00", "reminder_days": "FREQ=WEEKLY;BYDAY=SU",
        "reminder_until": "none"}
    eye_drops = "Could you send me a little note every evening at 9 to put in my eye drops? Latanoprost is the name."
    assert plan_request(eye_drops, today)["reminder_medication"] == "latanoprost"
    for words, name in (("remind me to take my vitamin b12 every morning at 8am", "vitamin b12"),
                        ("remind me to take fish oil at 9am daily", "fish oil"),
                        ("iron reminder at 7am every day", "iron"),
                        ("remind me to take my zepbound at 8am", "zepbound")):
        assert plan_request(words, today)["reminder_medication"] == name, words
