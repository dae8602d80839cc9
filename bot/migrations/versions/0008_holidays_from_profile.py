"""holidays have one home: the clinic profile's old `holidays:` list is copied into clinic_holidays

The clinic profile no longer carries holidays (`bot.clinic`): availability, the FAQ and the console read the
`clinic_holidays` table alone. A profile written before this keeps its list, which is imported here once;
days the table already has keep the table's name. An unreadable profile imports nothing (the assistant
itself names what is wrong with it at start-up). Downgrade leaves the rows: they are the clinic's data.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 22:30:00
"""
import logging

import sqlalchemy as sa
from alembic import op

from bot.clinic import ProfileError, legacy_holidays
from bot.settings import get_settings

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
holidays_table = sa.table('clinic_holidays', sa.column('day', sa.Date()), sa.column('name', sa.String(120)))


def upgrade() -> None:
    try:
        listed = legacy_holidays(get_settings().clinic_profile)
    except (OSError, ProfileError) as error:
        log.warning("clinic profile holidays not imported: %s", error)
        return
    connection = op.get_bind()
    known = set(connection.execute(sa.select(holidays_table.c.day)).scalars())
    rows = [{'day': day, 'name': name} for day, name in sorted(listed.items()) if day not in known]
    if rows:
        op.bulk_insert(holidays_table, rows)


def downgrade() -> None:
    pass
