"""Messaging: the SMS gateway, inbound texts, delivery status and consent, used by channels, reminders and identity."""
