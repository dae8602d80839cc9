from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.models import Patient


def test_instants_round_trip_as_aware_utc(db_url: str) -> None:
    eastern = timezone(timedelta(hours=-5))
    with transaction(db_url) as session:
        session.add(Patient(first_name="Ana", last_name="Diaz", date_of_birth=date(1980, 2, 3),
                            time_zone="America/New_York", created_at=datetime(2026, 3, 1, 9, 0, tzinfo=eastern)))
    with transaction(db_url) as session:
        stored = session.execute(select(Patient.created_at)).scalar_one()
    assert stored == datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)
    assert stored.tzinfo is not None


def test_naive_datetimes_are_refused(sqlite_url: str) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        with transaction(sqlite_url) as session:
            session.add(Patient(first_name="A", last_name="B", date_of_birth=date(1990, 1, 1),
                                time_zone="UTC", created_at=datetime(2026, 1, 1)))
