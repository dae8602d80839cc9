"""conversations bound to their channel; inbound texts stored before they are acknowledged

- `inbound_messages` keeps a text's body until it is handled, with the lease of the process handling it;
  rows from before this revision were handled (or lost) already.
- `sms_replies` records each reply to an inbound text before it is sent.
- Identity proofs made outside the web chat are withdrawn: before this revision Rasa's REST channel could
  create one for any phone number, indistinguishable from a genuine SMS proof. SMS patients give their date
  of birth once more.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 12:10:00
"""
import sqlalchemy as sa
from alembic import op

import bot.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('lease_until', bot.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('handled_at', bot.db.UTCDateTime(), nullable=True))
    op.execute("UPDATE inbound_messages SET handled_at = received_at")
    op.create_index('ix_inbound_messages_pending', 'inbound_messages', ['handled_at', 'lease_until'])
    op.create_table(
        'sms_replies',
        sa.Column('inbound_sid', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('inbound_sid', 'seq'),
    )
    op.execute(
        "UPDATE identity_checks SET verified_until = NULL, patient_id = NULL, code_hash = NULL "
        "WHERE conversation_id NOT LIKE 'web-%'"
    )


def downgrade() -> None:
    op.drop_table('sms_replies')
    op.drop_index('ix_inbound_messages_pending', table_name='inbound_messages')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_column('handled_at')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('body')
