"""The Rasa server's own parts as the stack runs it: its launcher, tracker store and lock store."""
