"""Which channel a conversation belongs to, read from its id alone.

Each input channel mints conversation ids in its own namespace, from what it proved itself:
- SMS: the sender's E.164 number, taken from a request whose Twilio signature checked out;
- web chat: `web-<32 hex>`, inside a session token the server signed;
- REST (integrations): `api:<caller's id>`, behind the REST channel's bearer token.
No namespace can produce another's ids, so the channel never has to be taken from a request body
(Rasa's REST channel reads `input_channel` from the JSON, which anyone could set to "sms").
"""

from __future__ import annotations

import enum
import re

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_WEB = re.compile(r"web-[0-9a-f]{32}")
API_PREFIX = "api:"


class Channel(str, enum.Enum):
    SMS = "sms"
    WEB = "webchat"
    API = "rest"
    UNKNOWN = "unknown"


def channel_of(conversation_id: str) -> Channel:
    if _E164.fullmatch(conversation_id):
        return Channel.SMS
    if _WEB.fullmatch(conversation_id):
        return Channel.WEB
    if conversation_id.startswith(API_PREFIX):
        return Channel.API
    return Channel.UNKNOWN


def sms_number(conversation_id: str) -> str | None:
    """The phone number an SMS conversation speaks for; None for every other channel."""
    return conversation_id if channel_of(conversation_id) is Channel.SMS else None


def api_conversation(caller_id: str) -> str:
    return f"{API_PREFIX}{caller_id}"
