"""Rasa NLU pipeline components (plug-ins; the logic they apply lives in plain `bot` modules)."""
