"""Outbound SMS: one gateway interface (`SmsGateway`), a Twilio client and a console stand-in."""
from bot.sms.gateway import (
    ConsoleGateway,
    Reconcilable,
    SendResult,
    SendStatus,
    SmsGateway,
    TwilioGateway,
    gateway_from_settings,
)

__all__ = [
    "ConsoleGateway",
    "Reconcilable",
    "SendResult",
    "SendStatus",
    "SmsGateway",
    "TwilioGateway",
    "gateway_from_settings",
]
