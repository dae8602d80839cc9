"""Scheduling: availability, booking and the clinic's booking policies (plain Python, no Rasa)."""
