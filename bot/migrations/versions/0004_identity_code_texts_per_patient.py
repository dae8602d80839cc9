"""identity code texts per patient

Codes texted to a patient are counted per window, so asking for codes session after session cannot have
the patient texted without end.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 07:50:00
"""
import sqlalchemy as sa
from alembic import op

import bot.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity_lockouts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('codes_sent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('first_code_at', bot.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('identity_lockouts', schema=None) as batch_op:
        batch_op.drop_column('first_code_at')
        batch_op.drop_column('codes_sent')
