"""visit types can be retired: `appointment_types.active`, true for every type there is

A retired type leaves what patients and staff are offered to book; appointments already booked with it keep
their type. Nothing is deleted, so the history of every appointment still names its visit.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointment_types') as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('appointment_types') as batch_op:
        batch_op.drop_column('active')
