"""An attacker against the running assistant: only a signed Twilio request speaks for a phone number.

Before conversations were bound to their channel, Rasa's REST channel let anyone name a patient's number as
`sender`, claim `"input_channel": "sms"`, give a birth date and list or cancel that patient's appointments,
change their consent, or lock them out. Each probe below did harm then; each must change nothing now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import requests
from sqlalchemy import select

from bot.db import transaction, utcnow
from bot.messaging import consent
from bot.models import Appointment, AppointmentStatus, IdentityCheck, Patient, Provider

pytestmark = pytest.mark.rasa


@dataclass(frozen=True)
class Target:
    mobile: str
    dob: date
    name: str
    provider: str  # the provider of one of their upcoming appointments: seeing it means the list leaked


def targets(assistant, count: int) -> list[Target]:
    """Demo patients with an upcoming appointment, each probe its own, so the probes stay independent."""
    with transaction(assistant.database_url) as s:
        rows = s.execute(
            select(Patient.mobile, Patient.date_of_birth, Patient.first_name, Patient.last_name, Provider.name)
            .join(Appointment, Appointment.patient_id == Patient.id)
            .join(Provider, Provider.id == Appointment.provider_id)
            .where(
                Appointment.starts_at > utcnow(),
                Appointment.status == AppointmentStatus.BOOKED,
                Patient.mobile.is_not(None),
            )
            .order_by(Patient.id)
        ).all()
    found: dict[str, Target] = {}
    for mobile, dob, first, last, provider in rows:
        found.setdefault(mobile, Target(mobile, dob, f"{first} {last}", provider))
    assert len(found) >= count, "the demo clinic should have patients with upcoming appointments"
    return list(found.values())[:count]


def rest(assistant, sender: str, text: str, **extra: str) -> str:
    """A REST turn with the integration's token, the body carrying whatever the attacker adds."""
    answer = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, **extra},
        headers=assistant.rest_headers,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return " ".join(m.get("text", "") for m in answer.json())


def appointments(assistant, mobile: str) -> list[tuple[int, str]]:
    with transaction(assistant.database_url) as s:
        return [
            (a, st.value)
            for a, st in s.execute(
                select(Appointment.id, Appointment.status)
                .join(Patient)
                .where(Patient.mobile == mobile)
                .order_by(Appointment.id)
            ).all()
        ]


def proofs_for(assistant, mobile: str) -> list[tuple[str, int | None]]:
    """Identity proofs that name this patient or this number, and the failures counted against the number."""
    with transaction(assistant.database_url) as s:
        patient = s.execute(select(Patient.id).where(Patient.mobile == mobile)).scalar_one()
        rows = (
            s.execute(
                select(IdentityCheck).where(
                    (IdentityCheck.patient_id == patient) | (IdentityCheck.conversation_id == mobile)
                )
            )
            .scalars()
            .all()
        )
        return [(r.conversation_id, r.failures) for r in rows if r.verified_until is not None or r.failures]


def test_the_rest_channel_refuses_callers_without_its_token(assistant) -> None:
    url = f"{assistant.rasa_url}/webhooks/rest/webhook"
    body = {"sender": "anyone", "message": "what are your hours"}
    assert requests.post(url, json=body, timeout=10).status_code == 401
    assert (
        requests.post(url, json=body, headers={"Authorization": "Bearer guessed-token"}, timeout=10).status_code == 401
    )
    assert requests.post(url, json=body, headers=assistant.rest_headers, timeout=30).status_code == 200


def test_a_rest_caller_naming_a_patients_number_and_sms_sees_and_cancels_nothing(assistant) -> None:
    (target,) = targets(assistant, 1)
    before = appointments(assistant, target.mobile)
    said = [
        rest(assistant, target.mobile, text, input_channel="sms")
        for text in ("what are my appointments", f"{target.dob:%m/%d/%Y}", "cancel my appointment", "1", "yes")
    ]
    assert not any("verified" in s or target.provider in s for s in said), said
    assert appointments(assistant, target.mobile) == before
    assert proofs_for(assistant, target.mobile) == []
    assert assistant.texts_to(target.mobile, 1, timeout=1) == []


def test_a_patients_sms_verification_does_not_open_their_data_to_a_rest_caller(assistant) -> None:
    (target,) = targets(assistant, 2)[1:]
    dob = f"{target.dob:%m/%d/%Y}"
    assert assistant.text(target.mobile, "what are my appointments").status_code == 200
    assert len(assistant.texts_to(target.mobile, 1)) == 1
    assert assistant.text(target.mobile, dob).status_code == 200
    by_sms = " ".join(assistant.texts_to(target.mobile, 3))
    assert "verified" in by_sms  # the genuine patient, over signed SMS, is let in
    before = appointments(assistant, target.mobile)
    said = [
        rest(assistant, target.mobile, text)
        for text in ("what are my appointments", "cancel my appointment", "1", "yes")
    ]
    assert not any(target.provider in s for s in said), said
    assert appointments(assistant, target.mobile) == before


def test_a_rest_caller_cannot_change_a_numbers_consent(assistant) -> None:
    stopped, subscribed = [t.mobile for t in targets(assistant, 4)[2:]]
    assert assistant.text(stopped, "STOP").status_code == 200
    assert len(assistant.texts_to(stopped, 1)) == 1
    for text in ("START", "please start texting me again", "resubscribe me"):
        rest(assistant, stopped, text, input_channel="sms")
    rest(assistant, subscribed, "please stop texting me", input_channel="sms")
    with transaction(assistant.database_url) as s:
        assert consent.is_opted_out(s, stopped)
        assert not consent.is_opted_out(s, subscribed)
    assert len(assistant.texts_to(stopped, 2, timeout=2)) == 1  # nothing after the one confirmation


def test_a_rest_caller_cannot_lock_a_patient_out_of_their_texts(assistant) -> None:
    (target,) = targets(assistant, 5)[4:]
    for text in ("what are my appointments", target.name, "01/01/1950", "01/02/1950", "01/03/1950", "01/04/1950"):
        rest(assistant, target.mobile, text, input_channel="sms")
    assert proofs_for(assistant, target.mobile) == []  # no failure counted against the number
    assistant.text(target.mobile, "what are my appointments")
    assistant.texts_to(target.mobile, 1)
    assistant.text(target.mobile, f"{target.dob:%m/%d/%Y}")
    assert "verified" in " ".join(assistant.texts_to(target.mobile, 2))
