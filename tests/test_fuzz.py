"""No request body, header or parameter gets a 5xx from any public endpoint of the running assistant.

Property-based (hypothesis), bounded in count; each endpoint also gets the odd shapes that once gave 500
(`null`, `[]`, `42`, an empty body at the REST channel; a 20-digit ErrorCode in a signed status callback).
"""

from __future__ import annotations

import json
import string

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.twilio_payloads import inbound_sms, signature, status_callback

pytestmark = pytest.mark.rasa

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
header_text = st.text(alphabet=string.printable.strip() + " ", max_size=80)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
rest_bodies = st.one_of(
    st.binary(max_size=120),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"sender": json_values, "message": json_values}).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"sender": st.text(max_size=70), "message": st.text(max_size=60)},
        optional={"input_channel": st.text(max_size=10), "metadata": json_values},
    ).map(lambda v: json.dumps(v).encode()),
)
form_fields = st.dictionaries(
    st.sampled_from(
        [
            "Body",
            "From",
            "To",
            "MessageSid",
            "NumMedia",
            "MessageStatus",
            "ErrorCode",
            "AccountSid",
            "FromCity",
            "MediaUrl0",
        ]
    )
    | st.text(max_size=8),
    st.text(max_size=30),
    max_size=8,
)


def no_server_error(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:200])


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"[]",
        b"42",
        b"",
        b"{",
        b'"text"',
        b'{"sender": null}',
        b'{"sender": "a", "message": 7}',
        b'{"sender": "", "message": "hi"}',
    ],
)
def test_the_rest_channel_answers_malformed_bodies_with_400(assistant, body: bytes) -> None:
    answer = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={**assistant.rest_headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 400 and "error" in answer.json()


@FUZZ
@given(body=rest_bodies, authorised=st.booleans(), authorization=header_text)
def test_rest_channel_never_fails_with_a_server_error(
    assistant, body: bytes, authorised: bool, authorization: str
) -> None:
    headers = assistant.rest_headers if authorised else {"Authorization": authorization}
    answer = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=30,
    )
    no_server_error(answer)
    assert answer.status_code in ((200, 400) if authorised else (401,))


def _post_signed(assistant, path: str, fields: dict[str, str], signed: bool, forged: str) -> requests.Response:
    url = f"{assistant.settings.public_base_url}{path}"
    header = signature(assistant.twilio.auth_token, url, fields) if signed else forged
    return requests.post(url, data=fields, headers={"X-Twilio-Signature": header}, timeout=30)


@FUZZ
@given(fields=form_fields, signed=st.booleans(), forged=header_text)
def test_sms_webhook_never_fails_with_a_server_error(
    assistant, fields: dict[str, str], signed: bool, forged: str
) -> None:
    answer = _post_signed(assistant, "/webhooks/sms/webhook", fields, signed, forged)
    no_server_error(answer)
    if not signed:
        assert answer.status_code == 403


@FUZZ
@given(body=st.text(max_size=200), sender=st.from_regex(r"\+1555019\d{4}", fullmatch=True), media=st.booleans())
def test_signed_twilio_shaped_texts_are_always_accepted(assistant, body: str, sender: str, media: bool) -> None:
    fields = inbound_sms(
        sender,
        body,
        to=assistant.twilio.from_number,
        account_sid=assistant.twilio.account_sid,
        media=[("https://api.twilio.com/media/ME1", "image/png")] if media else [],
    )
    assert _post_signed(assistant, "/webhooks/sms/webhook", fields, True, "").status_code == 200


@FUZZ
@given(
    status=st.text(max_size=25),
    code=st.text(alphabet=string.digits + "-.e x", max_size=25),
    sid=st.text(max_size=70),
    signed=st.booleans(),
)
def test_status_callbacks_never_fail_with_a_server_error(
    assistant, status: str, code: str, sid: str, signed: bool
) -> None:
    fields = status_callback(sid, status, "+15550190000", code)
    no_server_error(_post_signed(assistant, "/webhooks/sms/status", fields, signed, "forged"))


def test_a_twenty_digit_error_code_is_not_a_server_error(assistant) -> None:
    fields = status_callback("SMtwenty", "failed", "+15550190001", "12345678901234567890")
    assert _post_signed(assistant, "/webhooks/sms/status", fields, True, "").status_code == 204


@FUZZ
@given(
    body=st.binary(max_size=80),
    authorization=header_text,
    query=st.text(alphabet=string.ascii_letters + "=&%", max_size=30),
)
def test_chat_session_and_history_never_fail_with_a_server_error(
    assistant, body: bytes, authorization: str, query: str
) -> None:
    session = requests.post(f"{assistant.rasa_url}/chat/session?{query}", data=body, timeout=30)
    no_server_error(session)
    history = requests.get(
        f"{assistant.rasa_url}/chat/history?{query}", headers={"Authorization": authorization}, timeout=30
    )
    no_server_error(history)
    assert history.status_code == 401
