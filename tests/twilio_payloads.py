"""Webhook payloads shaped exactly as Twilio posts them, signed with twilio's own RequestValidator.

Twilio sends every field below on each inbound text, many of them empty for many numbers (no city or ZIP
for a mobile number, an empty Body for a picture-only MMS), and signs all of them, blanks included.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
CLINIC_NUMBER = "+15550009999"
_sids = itertools.count(1)


def message_sid() -> str:
    return f"SM{next(_sids):032x}"


def inbound_sms(
    sender: str,
    body: str,
    sid: str | None = None,
    to: str = CLINIC_NUMBER,
    account_sid: str = ACCOUNT_SID,
    media: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """An inbound SMS or MMS as Twilio's webhook posts it, in Twilio's field order."""
    sid = sid or message_sid()
    fields = {
        "ToCountry": "US", "ToState": "", "SmsMessageSid": sid, "NumMedia": str(len(media)), "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
        "FromCountry": "US", "To": to, "ToZip": "", "NumSegments": "1" if body else "0", "MessageSid": sid,
        "AccountSid": account_sid, "From": sender, "ApiVersion": "2010-04-01",
    }  # fmt: skip
    for index, (url, content_type) in enumerate(media):
        fields[f"MediaContentType{index}"] = content_type
        fields[f"MediaUrl{index}"] = url
    return fields


def status_callback(
    sid: str, status: str, to: str, error_code: str = "", account_sid: str = ACCOUNT_SID
) -> dict[str, str]:
    """A delivery-status callback as Twilio posts it (ErrorCode only once something failed)."""
    fields = {
        "SmsSid": sid, "SmsStatus": status, "MessageStatus": status, "To": to, "MessageSid": sid,
        "AccountSid": account_sid, "From": CLINIC_NUMBER, "ApiVersion": "2010-04-01",
    }  # fmt: skip
    return {**fields, "ErrorCode": error_code} if error_code else fields


def signature(auth_token: str, url: str, fields: dict[str, str]) -> str:
    return RequestValidator(auth_token).compute_signature(url, fields)


def form_body(fields: dict[str, str]) -> str:
    """The body as Twilio sends it: every field, blanks as `Name=`."""
    return urlencode(fields)
