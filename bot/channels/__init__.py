"""Nightingale's own Rasa input channels: `sms` (Twilio, bot.channels.sms.SmsInput) and `webchat`."""
