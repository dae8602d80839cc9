"""Nightingale: a patient-engagement assistant for clinics (domain logic, channels, processes)."""
