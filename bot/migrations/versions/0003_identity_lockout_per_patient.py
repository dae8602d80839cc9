"""identity lockout per patient

Failed identity checks are counted per patient as well as per conversation, and both counts forget
failures older than the lock-out window.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 06:49:43.436369
"""
import sqlalchemy as sa
from alembic import op

import bot.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_lockouts',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', bot.db.UTCDateTime(), nullable=True),
    sa.Column('locked_until', bot.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id')
    )
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_failure_at', bot.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_column('first_failure_at')

    op.drop_table('identity_lockouts')
