"""Staff console services on real SQLite and PostgreSQL: accounts and sessions, the inbox (with a stand-in
for Rasa's HTTP API on loopback and the fake Twilio), medication plans, deliveries and the audit log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import handoff, safety
from bot.console import accounts, audit, deliveries, inbox, patients, plans
from bot.console.models import AuditEntry, StaffSession
from bot.db import transaction, utcnow
from bot.messaging import consent
from bot.messaging.gateway import TwilioGateway
from bot.messaging.models import ConsentAction, ConsentEvent
from bot.models import Appointment, Patient
from bot.reminders.models import OutboxStatus, PlanStatus, RefillRequest, ReminderOutbox
from bot.reminders.occurrence import DoseOccurrence
from bot.settings import Settings, load_settings
from tests.fake_twilio import FakeTwilio

MOBILE = "+15550170001"


WEB_ABC, WEB_DEF = "web-" + "ab" * 16, "web-" + "de" * 16


class FakeRasa:
    """Rasa's `POST /conversations/<id>/tracker/events` on loopback: records what was appended."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self.queries: list[tuple[str, str]] = []
        self.token = "rasa-token"
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ok = f"token={fake.token}" in self.path
                if ok:
                    conversation = self.path.split("/")[2]
                    fake.events += [(conversation, event) for event in body]
                    fake.queries += [(conversation, self.path.partition("?")[2]) for _ in body]
                self.send_response(200 if ok else 401)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def kinds(self, conversation: str) -> list[str]:
        return [e["event"] for c, e in self.events if c == conversation]


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    yield fake
    fake.server.shutdown()


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def settings(db_url: str, rasa: FakeRasa, tmp_path: Path) -> Settings:
    return load_settings(
        {
            "NIGHTINGALE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": db_url,
            "RASA_PORT": str(rasa.port),
            "RASA_AUTH_TOKEN": rasa.token,
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        }
    )


def gateway(twilio: FakeTwilio) -> TwilioGateway:
    return TwilioGateway(twilio.account_sid, twilio.auth_token, twilio.from_number, twilio.base_url)


def add_patient(session, mobile: str | None = MOBILE, last: str = "Diaz") -> Patient:
    patient = Patient(
        first_name="Ana", last_name=last, date_of_birth=date(1980, 2, 3), mobile=mobile, time_zone="America/New_York"
    )
    session.add(patient)
    session.flush()
    return patient


# --- accounts -------------------------------------------------------------------------------------------


def test_first_admin_once_then_sign_in_out_and_expiry(db_url: str) -> None:
    with transaction(db_url) as s:
        password = accounts.ensure_first_admin(s)
        assert password and accounts.ensure_first_admin(s) is None
    with transaction(db_url) as s:
        assert accounts.sign_in(s, "admin", "wrong").token is None
        token = accounts.sign_in(s, "ADMIN ", password).token
    with transaction(db_url) as s:
        signed = accounts.signed(s, token)
        assert signed.is_admin and signed.must_change_password
        assert accounts.signed(s, token, now=utcnow() + timedelta(hours=accounts.SESSION_HOURS + 1)) is None
        accounts.sign_out(s, token)
    with transaction(db_url) as s:
        assert accounts.signed(s, token) is None
        assert s.execute(select(func.count()).select_from(StaffSession)).scalar_one() == 0


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db_url: str) -> None:
    with transaction(db_url) as s:
        _, password = accounts.create_staff(s, "fran", "frontdesk", actor="operator")
    for _ in range(accounts.MAX_FAILURES):
        with transaction(db_url) as s:
            assert accounts.sign_in(s, "fran", "guess").token is None
    with transaction(db_url) as s:
        result = accounts.sign_in(s, "fran", password)
        assert result.token is None and "locked" in result.error
        later = utcnow() + accounts.LOCKOUT + timedelta(seconds=1)
        assert accounts.sign_in(s, "fran", password, now=later).token is not None
        assert [e.action for e in audit.entries(s).entries][:2] == ["signin", "signin.locked"]


def test_bad_account_input_names_the_field_and_changes_nothing(db_url: str) -> None:
    with transaction(db_url) as s:
        accounts.create_staff(s, "fran", "frontdesk", actor="operator")
        for name, role, field in (("fran", "frontdesk", "name"), ("-x", "admin", "name"), ("kim", "boss", "role")):
            with pytest.raises(accounts.AccountError) as raised:
                accounts.create_staff(s, name, role, actor="operator")
            assert raised.value.field == field
        assert len(accounts.staff_list(s)) == 1


def test_password_change_rules(db_url: str) -> None:
    with transaction(db_url) as s:
        account, password = accounts.create_staff(s, "fran", "frontdesk", actor="operator")
        for current, new, repeat, field in (
            (password + "x", "a" * 12, "a" * 12, "current"),
            (password, "short", "short", "new"),
            (password, "a" * 12, "b" * 12, "repeat"),
        ):
            with pytest.raises(accounts.AccountError) as raised:
                accounts.change_password(s, account.id, current, new, repeat)
            assert raised.value.field == field
        accounts.change_password(s, account.id, password, "a-long-password", "a-long-password")
        assert not account.must_change_password
        assert accounts.sign_in(s, "fran", "a-long-password").token


# --- inbox ----------------------------------------------------------------------------------------------


def test_claim_reply_note_close_an_sms_handoff(
    db_url: str, settings: Settings, rasa: FakeRasa, twilio: FakeTwilio
) -> None:
    sms = gateway(twilio)
    with transaction(db_url) as s:
        patient = add_patient(s)
        key = f"handoff-{handoff.request_handoff(s, MOBILE, 'sms', 'asked', patient.id).id}"
        safety.record_event(s, WEB_ABC, "webchat", "chest_pain", "rule")
    with transaction(db_url) as s:
        queue = inbox.items(s)
        assert [i.kind for i in queue] == ["handoff", "safety"]
        assert queue[0].patient_name == "Ana Diaz" and queue[0].sms_number == MOBILE
        with pytest.raises(inbox.InboxError, match="Claim"):
            inbox.reply(s, settings, sms, key, "fran", 0, "hello")
    with transaction(db_url) as s:
        inbox.claim(s, settings, sms, key, "fran", 0)
    assert rasa.kinds(MOBILE) == ["pause", "bot"]
    assert "team is answering" in twilio.sent[-1]["Body"]
    with transaction(db_url) as s:
        version = inbox.get_item(s, key).version
    with transaction(db_url) as s, pytest.raises(inbox.InboxError, match="fran is already answering"):
        inbox.claim(s, settings, sms, key, "kim", version)
    with transaction(db_url) as s, pytest.raises(inbox.InboxError, match="changed this item"):
        inbox.reply(s, settings, sms, key, "fran", 0, "a form read before the claim")
    with transaction(db_url) as s:
        inbox.reply(s, settings, sms, key, "fran", version, "Your lab results are normal.")
        inbox.note(s, key, "fran", version, "called back too")
    assert twilio.sent[-1]["To"] == MOBILE and twilio.sent[-1]["Body"] == "Your lab results are normal."
    with transaction(db_url) as s:
        inbox.close(s, settings, sms, key, "fran", version)
    assert rasa.kinds(MOBILE) == ["pause", "bot", "bot", "resume", "bot"]
    with transaction(db_url) as s:
        assert [i.kind for i in inbox.items(s)] == ["safety"]
        closed = inbox.items(s, open_only=False)
        assert closed[0].key == key and not closed[0].open
        assert [e.kind for e in inbox.entries(s, closed[0])] == ["reply", "note"]
        actions = [e.action for e in audit.entries(s).entries]
        assert actions[:4] == ["inbox.closed", "inbox.note", "inbox.reply", "inbox.claim"]


def test_an_opted_out_number_is_held_but_never_texted(
    db_url: str, settings: Settings, rasa: FakeRasa, twilio: FakeTwilio
) -> None:
    with transaction(db_url) as s:
        key = f"handoff-{handoff.request_handoff(s, MOBILE, 'sms', 'asked').id}"
        consent.record(s, MOBILE, ConsentAction.OPT_OUT, "keyword")
    with transaction(db_url) as s:
        inbox.claim(s, settings, gateway(twilio), key, "fran", 0)
    assert rasa.kinds(MOBILE) == ["pause"]
    with pytest.raises(inbox.InboxError, match="opted out"), transaction(db_url) as s:
        inbox.reply(s, settings, gateway(twilio), key, "fran", inbox.get_item(s, key).version, "hello")
    with transaction(db_url) as s:
        assert inbox.entries(s, inbox.get_item(s, key)) == []
    assert twilio.sent == []


def test_when_rasa_is_unreachable_a_claim_changes_nothing(db_url: str, tmp_path: Path, twilio: FakeTwilio) -> None:
    offline = load_settings(
        {"NIGHTINGALE_DATA_DIR": str(tmp_path), "DATABASE_URL": db_url, "RASA_PORT": "9", "RASA_AUTH_TOKEN": "x"}
    )
    with transaction(db_url) as s:
        key = f"handoff-{handoff.request_handoff(s, 'web-1', 'webchat', 'asked').id}"
    with pytest.raises(Exception, match="not reachable"), transaction(db_url) as s:
        inbox.claim(s, offline, gateway(twilio), key, "fran", 0)
    with transaction(db_url) as s:
        assert inbox.get_item(s, key).claimed_by is None


def test_refill_done_texts_the_patient_without_the_drug_name(
    db_url: str, settings: Settings, twilio: FakeTwilio
) -> None:
    with transaction(db_url) as s:
        patient = add_patient(s)
        refill = RefillRequest(patient_id=patient.id, medication="lisinopril", channel="webchat")
        s.add(refill)
        s.flush()
        key = f"refill-{refill.id}"
    with transaction(db_url) as s:
        with pytest.raises(inbox.InboxError, match="done or declined"):
            inbox.close(s, settings, gateway(twilio), key, "fran", 0)
    with transaction(db_url) as s:
        inbox.close(s, settings, gateway(twilio), key, "fran", 0, "done")
    assert twilio.sent[-1]["To"] == MOBILE and "refill request has been approved" in twilio.sent[-1]["Body"]
    assert "lisinopril" not in twilio.sent[-1]["Body"]
    with transaction(db_url) as s:
        assert s.get(RefillRequest, refill.id).status == "done"


# --- plans ----------------------------------------------------------------------------------------------


def form(**changes: str) -> dict[str, str]:
    return {"medication": "metformin", "dose": "500 mg", "times": "8am, 20:00", "days": "daily", **changes}


def test_plan_form_errors_name_each_field() -> None:
    with pytest.raises(plans.FormError) as raised:
        plans.read_form({"medication": "", "times": "25pm", "days": "some", "start": "2027-02-30"}, [])
    assert set(raised.value.errors) == {"medication", "times", "days", "start"}
    with pytest.raises(plans.FormError) as raised:
        plans.read_form(form(start="2027-03-10", end="2027-03-01"), [])
    assert set(raised.value.errors) == {"end"}
    assert plans.read_form(form(days="some"), ["SA", "SU", "XX"]).rule == "FREQ=WEEKLY;BYDAY=SA,SU"


def test_preview_shows_the_exact_text_and_next_five_local_sends_across_daylight_saving(db_url: str) -> None:
    from bot.clinic import load_profile
    from bot.settings import PROJECT_ROOT

    with transaction(db_url) as s:
        patient = add_patient(s)
        draft = plans.read_form(form(times="8:00 AM", start="2027-03-12"), [])
        shown = plans.preview(
            patient,
            draft,
            load_profile(PROJECT_ROOT / "bot" / "clinic.yml"),
            now=datetime(2027, 3, 1, tzinfo=timezone.utc),
        )
    assert shown.text.startswith("Maple Grove Clinic: Time for your 8:00 AM medication.")
    assert "metformin" not in shown.text
    assert shown.next_sends == [
        "Fri Mar 12, 8:00 AM EST",
        "Sat Mar 13, 8:00 AM EST",
        "Sun Mar 14, 8:00 AM EDT",
        "Mon Mar 15, 8:00 AM EDT",
        "Tue Mar 16, 8:00 AM EDT",
    ]


def test_create_edit_pause_resume_stop_through_the_reminder_services(db_url: str) -> None:
    with transaction(db_url) as s:
        patient = add_patient(s)
        plan = plans.create(s, patient.id, plans.read_form(form(), []), "fran")
        assert plan.created_by == "staff:fran"
        pending = s.execute(
            select(func.count())
            .select_from(ReminderOutbox)
            .where(ReminderOutbox.plan_id == plan.id, ReminderOutbox.status == OutboxStatus.PENDING)
        ).scalar_one()
        assert pending >= 3  # the next two days' doses are in the outbox at once
        version = plans.version_of(plan)
    with transaction(db_url) as s:
        plans.edit(s, patient.id, plan.id, version, plans.read_form(form(times="9:00"), []), "fran")
        times = {
            o.due_at.astimezone(timezone.utc).time()
            for o in s.execute(
                select(ReminderOutbox).where(
                    ReminderOutbox.plan_id == plan.id, ReminderOutbox.status == OutboxStatus.PENDING
                )
            ).scalars()
        }
        assert times == {time(14, 0)}  # 9:00 AM in New York (EST), the old times withdrawn
    with transaction(db_url) as s, pytest.raises(plans.FormError, match="changed this plan"):
        plans.edit(s, patient.id, plan.id, version, plans.read_form(form(times="10:00"), []), "kim")
    for status in (PlanStatus.PAUSED, PlanStatus.ACTIVE, PlanStatus.STOPPED):
        with transaction(db_url) as s:
            current = plans.version_of(s.get(type(plan), plan.id))
            plans.set_status(s, patient.id, plan.id, current, status, "fran")
    with transaction(db_url) as s:
        assert s.get(type(plan), plan.id).status is PlanStatus.STOPPED
        with pytest.raises(plans.FormError, match="cannot be resumed"):
            plans.set_status(
                s, patient.id, plan.id, plans.version_of(s.get(type(plan), plan.id)), PlanStatus.ACTIVE, "fran"
            )
        actions = s.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
        assert actions == ["plan.create", "plan.edit", "plan.paused", "plan.active", "plan.stopped"]


def test_opted_out_patients_cannot_be_scheduled(db_url: str) -> None:
    with transaction(db_url) as s:
        patient = add_patient(s)
        consent.record(s, MOBILE, ConsentAction.OPT_OUT, "keyword")
        assert not patients.patient_view(s, patient.id).can_text
        with pytest.raises(plans.FormError, match="opted out"):
            plans.create(s, patient.id, plans.read_form(form(), []), "fran")
        assert patients.patient_view(s, patient.id).plans == []


def test_search_by_name_phone_and_birth_date(db_url: str) -> None:
    with transaction(db_url) as s:
        add_patient(s)
        add_patient(s, mobile="+15550170002", last="Moreno")
        assert [p.last_name for p in patients.search(s, "diaz")] == ["Diaz"]
        assert [p.last_name for p in patients.search(s, "555-017-0002")] == ["Moreno"]
        assert len(patients.search(s, "02/03/1980")) == 2 and patients.search(s, "1999-01-01") == []


# --- deliveries -----------------------------------------------------------------------------------------


def test_deliveries_filter_by_date_patient_status_and_export_csv(db_url: str) -> None:
    with transaction(db_url) as s:
        ana, ben = add_patient(s), add_patient(s, mobile="+15550170002", last="Moreno")
        day = datetime(2027, 3, 14, 13, 0, tzinfo=timezone.utc)
        s.add_all(
            [
                ReminderOutbox(
                    kind="medication",
                    patient_id=ana.id,
                    occurrence=DoseOccurrence(datetime(2027, 3, 14, 8, 0)),
                    due_at=day,
                    status=OutboxStatus.SKIPPED,
                    reason="opted out",
                ),
                ReminderOutbox(
                    kind="medication",
                    patient_id=ben.id,
                    occurrence=DoseOccurrence(datetime(2027, 3, 15, 8, 0)),
                    due_at=day + timedelta(days=1),
                    status=OutboxStatus.FAILED,
                    reason="landline (30006)",
                ),
            ]
        )
    with transaction(db_url) as s:
        everything = deliveries.rows(s, deliveries.Filters())
        assert [r.reason for r in everything] == ["landline (30006)", "opted out"]
        march_14 = deliveries.parse_filters("2027-03-14", "2027-03-14", "", "", "")
        assert [r.patient for r in deliveries.rows(s, march_14)] == ["Ana Diaz"]
        assert [r.status for r in deliveries.rows(s, deliveries.parse_filters("", "", "moreno", "", ""))] == ["failed"]
        assert [r.reason for r in deliveries.rows(s, deliveries.parse_filters("", "", "", "skipped", ""))] == [
            "opted out"
        ]
        csv_lines = "".join(deliveries.csv_chunks(s, deliveries.Filters())).splitlines()
        assert csv_lines[0] == "time_utc,kind,patient,to,status,reason"
        assert csv_lines[1] == "2027-03-15 13:00,medication,Ana Moreno,+15550170002,failed,landline (30006)"
    for bad, field in (
        (("2027-13-01", "", "", "", ""), "start"),
        (("2027-03-14", "2027-03-01", "", "", ""), "end"),
        (("", "", "", "lost", ""), "status"),
    ):
        with pytest.raises(deliveries.FilterError) as raised:
            deliveries.parse_filters(*bad)
        assert raised.value.field == field


def test_opt_out_list_says_when_and_how(db_url: str) -> None:
    with transaction(db_url) as s:
        add_patient(s)
        consent.record(s, MOBILE, ConsentAction.OPT_OUT, "carrier_21610")
        consent.record(s, "+15550170009", ConsentAction.OPT_OUT, "keyword")
        consent.record(s, "+15550170009", ConsentAction.OPT_IN, "keyword")
    with transaction(db_url) as s:
        [only] = deliveries.opt_outs(s)
        assert (only.phone, only.patient, only.how) == (MOBILE, "Ana Diaz", "carrier error 21610")


# --- clinic facts and schedule --------------------------------------------------------------------------


def test_clinic_facts_validate_preview_and_refuse_a_stale_save(db_url: str, tmp_path: Path) -> None:
    import shutil

    from bot.console import clinic_facts
    from bot.settings import PROJECT_ROOT

    path = tmp_path / "clinic.yml"
    shutil.copy(PROJECT_ROOT / "bot" / "clinic.yml", path)
    current = clinic_facts.read(path)
    form = clinic_facts.form_of(current.facts)
    bad = {**form, "hours_saturday": "9-noon", "email": "nobody", "short_name": "", "languages": " "}
    with pytest.raises(clinic_facts.FactsError) as raised:
        clinic_facts.parse(bad, current.facts)
    assert set(raised.value.errors) == {"hours_saturday", "email", "short_name", "languages"}
    edited = clinic_facts.parse({**form, "hours_saturday": "10:00-13:00"}, current.facts)
    answers = dict(clinic_facts.preview(edited, date(2027, 3, 1)))
    assert (
        "Sat 10:00 AM-1:00 PM" in answers["hours"]
        and "Sat 9:00 AM-12:00 PM" in dict(clinic_facts.preview(current.facts, date(2027, 3, 1)))["hours"]
    )
    with transaction(db_url) as s:
        clinic_facts.save(s, path, current.version, edited, "ada")
    assert clinic_facts.read(path).facts["hours"]["saturday"] == "10:00-13:00"
    assert clinic_facts.read(path).facts["time_zone"] == "America/New_York"  # facts the form does not show are kept
    with transaction(db_url) as s, pytest.raises(clinic_facts.FactsError, match="meanwhile"):
        clinic_facts.save(s, path, current.version, {**edited, "parking": "none"}, "kim")
    assert clinic_facts.read(path).facts["parking"] != "none"
    with transaction(db_url) as s:
        [entry] = audit.entries(s).entries
        assert (entry.actor, entry.action) == ("ada", "clinic.edit")
        assert json.loads(entry.before)["hours"]["saturday"] == "09:00-12:00"


def test_a_providers_week_shows_hours_closures_and_bookings(db_url: str) -> None:
    from bot.clinic import load_profile
    from bot.console import schedule
    from bot.scheduling.demo import load_demo
    from bot.settings import PROJECT_ROOT

    load_demo(db_url)
    profile = load_profile(PROJECT_ROOT / "bot" / "clinic.yml")
    with transaction(db_url) as s:
        busiest = s.execute(
            select(Appointment.provider_id, func.min(Appointment.starts_at))
            .group_by(Appointment.provider_id)
            .order_by(func.count().desc())
        ).first()
        first_day = busiest[1].astimezone(profile.zone).date()
        week = schedule.days(s, profile, busiest[0], schedule.week_start(first_day), 7)
    assert [d.day.weekday() for d in week] == list(range(7))
    assert any(b for d in week for b in d.bookings)
    assert all(d.closed == "Christmas Day" for d in week if d.day == date(2026, 12, 25))
    assert all(not d.hours for d in week if d.day.weekday() == 6)  # nobody works on Sundays in the demo


def test_overview_counts_today_and_the_last_30_days(db_url: str, settings: Settings) -> None:
    from bot.console import overview
    from bot.messaging.models import SmsMessage
    from bot.models import AppointmentAudit
    from bot.scheduling.demo import load_demo

    load_demo(db_url)
    now = datetime(2027, 3, 10, 15, 0, tzinfo=timezone.utc)  # 11:00 AM in New York
    with transaction(db_url) as s:
        patient = add_patient(s)
        appointment_id = s.execute(select(Appointment.id)).scalars().first()
        for i, (status, due) in enumerate(
            [
                (OutboxStatus.SENT, now),
                (OutboxStatus.SENT, now - timedelta(days=3)),
                (OutboxStatus.SKIPPED, now),
                (OutboxStatus.FAILED, now),
            ]
        ):
            s.add(
                ReminderOutbox(
                    kind="medication",
                    patient_id=patient.id,
                    occurrence=DoseOccurrence(datetime(2027, 3, 1, 8, i)),
                    due_at=due,
                    status=status,
                    sent_at=due if status is OutboxStatus.SENT else None,
                    message_sid=f"SM{i}" if status is OutboxStatus.SENT else None,
                )
            )
        s.add(SmsMessage(sid="SM0", to_number=MOBILE, status="delivered", created_at=now))
        s.add(AppointmentAudit(appointment_id=appointment_id, actor="patient:sms", action="confirmed", created_at=now))
        s.add(ConsentEvent(phone=MOBILE, action=ConsentAction.OPT_OUT, source="keyword", created_at=now))
        handoff.request_handoff(s, "web-x", "webchat", "asked").created_at = now - timedelta(minutes=42)
    with transaction(db_url) as s:
        view = overview.today(s, settings, now=now)
    assert (view.sent, view.delivered, view.failed, view.not_sent) == (1, 1, 1, 1)
    assert (view.confirmed, view.cancelled, view.opt_outs_week, view.open_items) == (1, 0, 1, 1)
    assert view.oldest_wait == timedelta(minutes=42)
    daily = dict(view.daily_sent)
    assert len(daily) == 30 and daily[date(2027, 3, 10)] == 1 and daily[date(2027, 3, 7)] == 1


def test_a_web_chat_crisis_names_the_verified_patient_and_replies_go_into_the_conversation(
    db_url: str, settings: Settings, rasa: FakeRasa, twilio: FakeTwilio
) -> None:
    from bot.models import IdentityCheck

    with transaction(db_url) as s:
        patient = add_patient(s)
        s.add(
            IdentityCheck(
                conversation_id=WEB_ABC,
                patient_id=patient.id,
                failures=0,
                verified_until=utcnow() + timedelta(days=1),
            )
        )
        s.add(IdentityCheck(conversation_id=WEB_DEF, patient_id=patient.id, failures=0))  # claimed, never proved
        key = f"safety-{safety.record_event(s, WEB_ABC, 'webchat', 'chest_pain', 'rule').id}"
        safety.record_event(s, WEB_DEF, "webchat", "overdose", "rule")
    with transaction(db_url) as s:
        crisis, unproven = inbox.items(s)
        assert (crisis.reason, crisis.patient_name) == ("crisis: chest_pain", "Ana Diaz")
        assert unproven.patient_name is None
        inbox.claim(s, settings, gateway(twilio), key, "fran", 0)
    with transaction(db_url) as s:
        inbox.reply(s, settings, gateway(twilio), key, "fran", inbox.get_item(s, key).version, "Are you safe now?")
    with transaction(db_url) as s:
        inbox.close(s, settings, gateway(twilio), key, "fran", inbox.get_item(s, key).version)
    assert twilio.sent == []  # a web chat is answered inside the chat, never by text
    assert rasa.kinds(WEB_ABC) == ["pause", "bot", "bot", "resume", "bot"]
    # Said through the web chat's own output, so the open widget shows it at once, not only after a reload.
    said_live = [q for (c, e), (_, q) in zip(rasa.events, rasa.queries, strict=True) if e["event"] == "bot"]
    assert said_live and all("output_channel=webchat" in q and "execute_side_effects=true" in q for q in said_live)
    staff_lines = [e for c, e in rasa.events if e["event"] == "bot" and e["metadata"].get("staff")]
    assert [(e["text"], e["metadata"]["staff"]) for e in staff_lines] == [("Are you safe now?", "fran")]
    with transaction(db_url) as s:
        assert [i.reason for i in inbox.items(s)] == ["crisis: overdose"]


def test_staff_book_move_and_cancel_through_the_scheduling_services(db_url: str) -> None:
    from bot.clinic import load_profile
    from bot.console import appointments
    from bot.models import AppointmentAudit, AppointmentStatus
    from bot.scheduling.demo import load_demo
    from bot.settings import PROJECT_ROOT

    load_demo(db_url)
    profile = load_profile(PROJECT_ROOT / "bot" / "clinic.yml")
    first = profile.local_now().date() + timedelta(days=7)
    with transaction(db_url) as s:
        patient = add_patient(s)
        visit_type = str(appointments.choices(s).types[0].id)
        open_times = appointments.openings(s, profile, visit_type, "", first)
        assert open_times and all(o.starts_at.astimezone(profile.zone).date() >= first for o in open_times)
        booked = appointments.book(s, profile, patient.id, open_times[0].token, "fran")
    with transaction(db_url) as s, pytest.raises(appointments.BookingError, match="just taken"):
        appointments.book(s, profile, patient.id, open_times[0].token, "kim")  # the same time twice: refused
    with transaction(db_url) as s:
        later = appointments.openings(
            s,
            profile,
            visit_type,
            str(open_times[0].provider_id),
            first + timedelta(days=7),
            exclude_appointment=booked.appointment_id,
        )
        appointments.move(s, profile, patient.id, booked.appointment_id, later[0].token, "fran")
        appointments.cancel(s, patient.id, booked.appointment_id, "fran")
        with pytest.raises(appointments.BookingError):
            appointments.book(s, profile, patient.id, "nonsense", "fran")
    with transaction(db_url) as s:
        appointment = s.get(Appointment, booked.appointment_id)
        assert appointment.status is AppointmentStatus.CANCELLED and appointment.starts_at == later[0].starts_at
        actors = s.execute(
            select(AppointmentAudit.actor, AppointmentAudit.action)
            .where(AppointmentAudit.appointment_id == booked.appointment_id)
            .order_by(AppointmentAudit.id)
        ).all()
        assert actors == [("staff:fran", "booked"), ("staff:fran", "rescheduled"), ("staff:fran", "cancelled")]


def test_an_emergency_in_a_held_conversation_gets_the_crisis_reply_once(
    db_url: str, settings: Settings, rasa: FakeRasa, twilio: FakeTwilio
) -> None:
    """Rasa answers nothing in a paused conversation: the console's watcher sends the crisis reply."""
    import time as clock

    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, insert

    from bot.console import crisis
    from bot.models import SafetyEvent
    from bot.safety import CRISIS_REPLY

    tracker = create_engine(settings.tracker_store_url, future=True)
    events = Table(
        "events",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)),
        Column("type_name", String(255)),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )
    events.metadata.create_all(tracker)

    def patient_says(intent: str, at: float) -> None:
        with tracker.begin() as connection:
            connection.execute(
                insert(events).values(
                    sender_id=MOBILE,
                    type_name="user",
                    timestamp=at,
                    intent_name=intent,
                    data=json.dumps({"text": "..."}),
                )
            )

    patient_says("emergency", clock.time() - 60)  # before the claim: the assistant answered that one itself
    with transaction(db_url) as s:
        key = f"handoff-{handoff.request_handoff(s, MOBILE, 'sms', 'asked').id}"
    with transaction(db_url) as s:
        inbox.claim(s, settings, gateway(twilio), key, "fran", 0)
        version = inbox.get_item(s, key).version
    with transaction(db_url) as s:
        assert crisis.answer_emergencies(s, settings, gateway(twilio)) == 0
    patient_says("greet", clock.time() + 1)
    patient_says("emergency", clock.time() + 2)
    with transaction(db_url) as s:
        assert crisis.answer_emergencies(s, settings, gateway(twilio)) == 1
    with transaction(db_url) as s:
        assert crisis.answer_emergencies(s, settings, gateway(twilio)) == 0
    assert [m["Body"] for m in twilio.sent].count(CRISIS_REPLY) == 1
    with transaction(db_url) as s:
        assert s.execute(select(SafetyEvent.conversation_id)).scalars().all() == [MOBILE]
        assert inbox.get_item(s, key).version == version  # the staff member's open form is still current
        inbox.reply(s, settings, gateway(twilio), key, "fran", version, "Calling you now.")
    tracker.dispose()
