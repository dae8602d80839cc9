"""the clinic's appointment-reminder policy, editable in the staff console

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 22:30:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No row is written here: until an admin saves a policy, the environment's settings are the policy.
    op.create_table(
        'reminder_policy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offsets', sa.String(length=200), nullable=False),
        sa.Column('quiet_start', sa.String(length=5), nullable=False),
        sa.Column('quiet_end', sa.String(length=5), nullable=False),
        sa.Column('per_day', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=80), nullable=False),
        sa.Column('updated_at', bot.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('reminder_policy')
