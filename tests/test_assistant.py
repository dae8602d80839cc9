"""The running assistant over real HTTP: Rasa with the trained model, the action server, the database."""

import time

import pytest
import requests
from sqlalchemy import select

from bot.db import transaction
from bot.models import HandoffRequest, SafetyEvent
from bot.safety import CRISIS_REPLY, SUSPECTED_EMERGENCY_NOTE

pytestmark = pytest.mark.rasa


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def test_faq_answer_carries_the_clinic_profile_facts(assistant) -> None:
    replies = texts(assistant.say("rest-faq", "what are your hours"))
    assert any("Mon, Tue, Thu 8:00 AM-5:00 PM; Wed 8:00 AM-7:00 PM;" in t for t in replies), replies


def test_a_message_out_of_context_gets_one_answer_not_ten(assistant) -> None:
    # A birth date with nothing asked: no rule covers it. Before, the fallback was repeated ten times.
    replies = texts(assistant.say("rest-stray", "10/10/1960"))
    assert len(replies) == 1 and "didn't understand" in replies[0], replies


def test_two_questions_in_one_text_get_both_answers(assistant) -> None:
    replies = " ".join(texts(assistant.say("rest-two-faqs", "where do i park and what are your hours on saturday")))
    assert "park" in replies.lower() and "8:00 AM" in replies, replies


def test_emergency_gets_the_fixed_reply_first_and_staff_see_it(assistant) -> None:
    replies = texts(assistant.say("rest-crisis", "i have crushing chest pain"))
    assert replies[0] == CRISIS_REPLY
    with transaction(assistant.database_url) as s:
        events = s.execute(select(SafetyEvent).where(SafetyEvent.conversation_id == "api:rest-crisis")).scalars().all()
    assert [e.category for e in events] == ["chest_pain"]



def test_a_farewell_a_typo_and_a_poisoning_get_the_crisis_reply_and_staff_see_them(assistant) -> None:
    # Found by round-5 testers: "Take care! Message us any time.", and the soft note with the fallback.
    said = {
        "rest-farewell": "this is my last message, goodbye everyone, I'm done with life",
        "rest-typo": "i wanna end my lfe tonite",
        "rest-bleach": "my 2 year old drank some bleach",
    }
    replies = {sender: texts(assistant.say(sender, text)) for sender, text in said.items()}
    assert all(r[0] == CRISIS_REPLY for r in replies.values()), replies
    assert "Poison Control" in replies["rest-bleach"][1] and "1-800-222-1222" in replies["rest-bleach"][1]
    assert len(replies["rest-farewell"]) == len(replies["rest-typo"]) == 1, replies
    with transaction(assistant.database_url) as s:
        events = s.execute(select(SafetyEvent.conversation_id, SafetyEvent.category)).all()
    assert {(f"api:{sender}", category) for sender, category in [
        ("rest-farewell", "self_harm"), ("rest-typo", "self_harm"), ("rest-bleach", "poisoning")]} <= set(events)

BORDERLINE = [
    "my child swallowed a coin but seems fine",
    "i dont want to be here anymore",
    "bleeding a lot after my procedure",
    "my throat is swelling a little after the new pill",
    "i feel really dizzy and my heart is racing, can i see someone",
    "i took an extra dose of my blood pressure pill by mistake",
    "my arm feels numb and tingly since this morning",
]


def test_a_suspected_emergency_names_911_and_988_first_and_the_request_is_still_answered(assistant) -> None:
    token = {"token": assistant.settings.rasa_auth_token}
    parses = [
        requests.post(f"{assistant.rasa_url}/model/parse", params=token, json={"text": t}, timeout=30).json()
        for t in BORDERLINE
    ]
    suspected = [p["text"] for p in parses if p.get("emergency_suspected") and p["intent"]["name"] != "emergency"]
    assert suspected, "the classifier should be unsure about at least one borderline message"
    for n, text in enumerate(suspected):
        replies = texts(assistant.say(f"suspected-{n}", text))
        assert replies[0] == SUSPECTED_EMERGENCY_NOTE and len(replies) >= 2, replies  # the request goes on
        assert CRISIS_REPLY not in replies


def test_asking_for_a_person_is_recorded_for_staff(assistant) -> None:
    replies = texts(assistant.say("rest-handoff", "can i talk to a real person please"))
    assert any("contact you" in t for t in replies), replies
    with transaction(assistant.database_url) as s:
        assert s.execute(select(HandoffRequest.conversation_id)).scalars().all().count("api:rest-handoff") == 1


def test_http_api_refuses_requests_without_the_token(assistant) -> None:
    url = f"{assistant.rasa_url}/conversations/api:rest-faq/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    authorised = requests.get(url, params={"token": assistant.settings.rasa_auth_token}, timeout=10)
    assert authorised.status_code == 200


def test_a_texted_emergency_is_answered_by_sms_with_911_and_988(assistant) -> None:
    number = "+15550188801"
    assert assistant.text(number, "i cant breathe").status_code == 200
    first = assistant.texts_to(number, 1)[0]
    assert first == CRISIS_REPLY


def test_stop_over_sms_opts_out_with_one_confirmation_and_a_forged_text_changes_nothing(assistant) -> None:
    from bot.messaging import consent

    number = "+15550188802"
    assert assistant.text(number, "STOP", signed=False).status_code == 403
    with transaction(assistant.database_url) as s:
        assert not consent.is_opted_out(s, number)
    assert assistant.texts_to(number, 1, timeout=2) == []

    assert assistant.text(number, "  stop ").status_code == 200
    assert len(assistant.texts_to(number, 1)) == 1
    with transaction(assistant.database_url) as s:
        assert consent.is_opted_out(s, number)


def test_stop_texted_in_the_middle_of_a_booking_ends_the_booking_too(assistant) -> None:
    # A carrier keyword is settled before Rasa; the half-done booking must not take the next text after START.
    number = "+15550188803"
    token = {"token": assistant.settings.rasa_auth_token}

    def active_form() -> str | None:
        tracker = requests.get(f"{assistant.rasa_url}/conversations/{number}/tracker", params=token, timeout=30)
        return tracker.json().get("active_loop", {}).get("name")

    assert assistant.text(number, "i need to book a checkup").status_code == 200
    assert assistant.texts_to(number, 1)
    assert active_form() is not None
    sent = len(assistant.texts_to(number, 1))
    assert assistant.text(number, "STOP").status_code == 200
    assert len(assistant.texts_to(number, sent + 1)) == sent + 1
    deadline = time.monotonic() + 10
    while active_form() is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert active_form() is None


def _reminded_patient(url: str, number: str) -> int:
    """A patient on a metformin plan whose dose reminder went out a few minutes ago."""
    from datetime import date, datetime, time

    from bot.db import utcnow
    from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
    from bot.reminders.occurrence import DoseOccurrence
    from bot.reminders.plans import create_plan
    from tests.reminder_helpers import add_patient

    patient = add_patient(url, number)
    with transaction(url) as s:
        plan = create_plan(s, patient, "metformin", [time(8)], start=date(2026, 1, 1), created_by="staff:t").id
        s.add(ReminderOutbox(
            kind=ReminderKind.MEDICATION, patient_id=patient, plan_id=plan,
            occurrence=DoseOccurrence(datetime(2026, 1, 2, 8)), due_at=utcnow(), status=OutboxStatus.SENT,
            sent_at=utcnow(),
        ))
    return patient


def test_an_overdose_told_to_a_dose_reminder_is_an_emergency_and_an_extra_dose_goes_to_the_nurse_line(
    assistant,
) -> None:
    # Found by round-4 testers: both were "Thanks, noted as taken." with no crisis reply and no staff alert.
    from bot.reminders.models import AdherenceEntry

    overdose, extra = "+15550188811", "+15550188812"
    patients = [_reminded_patient(assistant.database_url, n) for n in (overdose, extra)]
    assert assistant.text(overdose, "I took like 10 of them by mistake").status_code == 200
    assert assistant.texts_to(overdose, 1)[0] == CRISIS_REPLY
    assert assistant.text(extra, "took 2 by accident").status_code == 200
    said = assistant.texts_to(extra, 1)[0]
    assert said.startswith("I haven't recorded this dose.") and "1-800-222-1222" in said, said
    with transaction(assistant.database_url) as s:
        events = s.execute(select(SafetyEvent).where(SafetyEvent.conversation_id == overdose)).scalars().all()
        recorded = s.execute(select(AdherenceEntry).where(AdherenceEntry.patient_id.in_(patients))).scalars().all()
    assert [e.category for e in events] == ["overdose"]
    assert recorded == []


def test_a_dose_reply_taken_back_in_the_same_text_is_recorded_once_as_the_last_one(assistant) -> None:
    # Found by round-5 testers: both a 'skipped' and a 'taken' row were written for the one dose.
    from bot.reminders.models import AdherenceAction, AdherenceEntry

    number = "+15550188821"
    patient = _reminded_patient(assistant.database_url, number)
    assert assistant.text(number, "skipped... oh wait no, I did take it").status_code == 200
    assert assistant.texts_to(number, 1)[0] == "Thanks, noted as taken."
    time.sleep(1)  # a second reply would come at once
    assert assistant.texts_to(number, 1) == ["Thanks, noted as taken."]
    with transaction(assistant.database_url) as s:
        recorded = s.execute(select(AdherenceEntry.action).where(AdherenceEntry.patient_id == patient)).scalars()
        assert list(recorded) == [AdherenceAction.TAKEN]


@pytest.mark.parametrize(("number", "answer", "filed"), [
    ("+15550188831", "lisinopril", ["lisinopril"]),
    ("+15550188832", "both please", ["metformin", "lisinopril"]),
    ("+15550188833", "the one for blood pressure", ["lisinopril"]),
])
def test_the_answer_to_which_medicine_the_refill_is_for_files_it(assistant, number, answer, filed) -> None:
    # Found by round-5 testers: each answer to the bot's own question got "Sorry, I didn't understand".
    from datetime import date
    from datetime import time as clock

    from bot.reminders.models import RefillRequest
    from bot.reminders.plans import create_plan
    from tests.reminder_helpers import add_patient

    patient = add_patient(assistant.database_url, number)
    with transaction(assistant.database_url) as s:
        for drug in ("metformin", "lisinopril"):
            create_plan(s, patient, drug, [clock(8)], start=date(2026, 1, 1), created_by="staff:t")
    assistant.text(number, "refill please")
    asked = assistant.texts_to(number, 1)
    assert asked[0].startswith("Which medicine is the refill for: metformin or lisinopril?"), asked
    assistant.text(number, answer)
    replies = assistant.texts_to(number, 2)
    assert replies[1].startswith("I've sent your refill request"), replies
    with transaction(assistant.database_url) as s:
        rows = s.execute(select(RefillRequest.medication).where(RefillRequest.patient_id == patient)).scalars()
        assert list(rows) == filed
