"""Conversation rules that hold whatever the classifier guessed: numbered replies, yes/no to the bot's own
offers, and answers that fit the open question."""
