"""messaging and reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:13:32.560395
"""
import sqlalchemy as sa
from alembic import op

import bot.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_messages',
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('from_number', sa.String(length=20), nullable=False),
    sa.Column('received_at', bot.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('message_sid')
    )
    op.create_table('medication_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('medication', sa.String(length=120), nullable=False),
    sa.Column('dose', sa.String(length=120), nullable=True),
    sa.Column('times', sa.String(length=200), nullable=False),
    sa.Column('rrule', sa.String(length=200), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('include_name', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', 'stopped', name='plan_status', native_enum=False, length=32), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', bot.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('medication_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medication_plans_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('ix_medication_plans_status', ['status'], unique=False)

    op.create_table('refill_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('medication', sa.String(length=120), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['medication_plans.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('refill_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refill_requests_patient_id'), ['patient_id'], unique=False)

    op.create_table('reminder_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('appointment', 'medication', name='reminder_kind', native_enum=False, length=32), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('occurrence', sa.String(length=64), nullable=False),
    sa.Column('due_at', bot.db.UTCDateTime(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'skipped', 'failed', 'unknown', name='outbox_status', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('message_sid', sa.String(length=64), nullable=True),
    sa.Column('claimed_by', sa.String(length=80), nullable=True),
    sa.Column('claimed_at', bot.db.UTCDateTime(), nullable=True),
    sa.Column('sent_at', bot.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', bot.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['medication_plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('appointment_id', 'occurrence', name='uq_outbox_appointment_occurrence'),
    sa.UniqueConstraint('plan_id', 'occurrence', name='uq_outbox_plan_occurrence')
    )
    with op.batch_alter_table('reminder_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_outbox_message_sid'), ['message_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_outbox_patient_id'), ['patient_id'], unique=False)

    op.create_table('adherence_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('taken', 'skipped', 'snoozed', name='adherence_action', native_enum=False, length=32), nullable=False),
    sa.Column('recorded_at', bot.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['reminder_outbox.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['medication_plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('adherence_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adherence_log_outbox_id'), ['outbox_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adherence_log_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adherence_log_plan_id'), ['plan_id'], unique=False)

    op.create_table('sms_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('to_number', sa.String(length=20), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', bot.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['reminder_outbox.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sid')
    )


def downgrade() -> None:
    op.drop_table('sms_messages')
    with op.batch_alter_table('adherence_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adherence_log_plan_id'))
        batch_op.drop_index(batch_op.f('ix_adherence_log_patient_id'))
        batch_op.drop_index(batch_op.f('ix_adherence_log_outbox_id'))

    op.drop_table('adherence_log')
    with op.batch_alter_table('reminder_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_outbox_patient_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_outbox_message_sid'))
        batch_op.drop_index('ix_outbox_status_due')

    op.drop_table('reminder_outbox')
    with op.batch_alter_table('refill_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refill_requests_patient_id'))

    op.drop_table('refill_requests')
    with op.batch_alter_table('medication_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_medication_plans_status')
        batch_op.drop_index(batch_op.f('ix_medication_plans_patient_id'))

    op.drop_table('medication_plans')
    op.drop_table('inbound_messages')
