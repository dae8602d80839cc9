"""staff console: accounts, sessions, audit log, inbox state, outbox by due time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('must_change_password', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', bot.db.UTCDateTime(), nullable=True),
        sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'staff_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
        sa.Column('expires_at', bot.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index('ix_staff_sessions_staff_id', 'staff_sessions', ['staff_id'])
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('target', sa.String(length=120), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after', sa.Text(), nullable=True),
        sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_log_actor', 'audit_log', ['actor'])
    op.create_index('ix_audit_log_created_at', 'audit_log', ['created_at'])
    op.create_table(
        'inbox_threads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.String(length=128), nullable=True),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('claimed_at', bot.db.UTCDateTime(), nullable=True),
        sa.Column('closed_by', sa.String(length=80), nullable=True),
        sa.Column('closed_at', bot.db.UTCDateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'source_id', name='uq_inbox_thread_source'),
    )
    op.create_table(
        'inbox_crisis_checks',
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('last_event_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['inbox_threads.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('thread_id'),
    )
    op.create_table(
        'inbox_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('delivery', sa.String(length=60), nullable=True),
        sa.Column('created_at', bot.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['inbox_threads.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_inbox_entries_thread_id', 'inbox_entries', ['thread_id'])
    op.create_index('ix_outbox_due_at', 'reminder_outbox', ['due_at'])


def downgrade() -> None:
    op.drop_index('ix_outbox_due_at', table_name='reminder_outbox')
    op.drop_index('ix_inbox_entries_thread_id', table_name='inbox_entries')
    op.drop_table('inbox_entries')
    op.drop_table('inbox_crisis_checks')
    op.drop_table('inbox_threads')
    op.drop_index('ix_audit_log_created_at', table_name='audit_log')
    op.drop_index('ix_audit_log_actor', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index('ix_staff_sessions_staff_id', table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_table('staff_accounts')
