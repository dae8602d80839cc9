"""How times of day and spans of time are said to patients, in one style everywhere."""
from __future__ import annotations

from datetime import timedelta


def duration_text(span: timedelta) -> str:
    """'15 minutes', '1 hour', '1 hour 30 minutes': whole minutes, as a sentence names a limit."""
    hours, minutes = divmod(int(span.total_seconds() // 60), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
