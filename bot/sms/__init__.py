"""Outbound SMS: one gateway interface (`SmsGateway`), a Twilio client and a console stand-in."""
from bot.sms.gateway import (
    ConsoleGateway,
    SendResult,
    SendStatus,
    SmsGateway,
    TwilioGateway,
    gateway_from_settings,
)

__all__ = ["ConsoleGateway", "SendResult", "SendStatus", "SmsGateway", "TwilioGateway", "gateway_from_settings"]
