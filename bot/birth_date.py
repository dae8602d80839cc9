"""A date of birth as patients type it ("03/14/1980", "March 14th 1980", "3-14-80"), for the identity check and
for the dialogue, which must know an answer to the birth-date question when it sees one."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as date_parser


def parse_dob(text: str, today: date | None = None) -> date | None:
    """A date of birth in the usual written forms, None when it is not one."""
    today = today or date.today()
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().lower())
    if not re.search(r"\d{4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b", cleaned):
        return None  # a birthday without a year cannot identify anyone
    try:
        parsed = date_parser.parse(cleaned, fuzzy=True, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None
    if parsed > today:  # "3/14/80" read as 2080
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed if today.year - parsed.year <= 120 else None
