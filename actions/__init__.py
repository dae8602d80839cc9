"""Custom actions for the rasa-sdk action server: translation between conversations and `bot` services."""
