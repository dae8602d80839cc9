"""The dispatcher: sends due reminders from the outbox, exactly once, across crashes and replicas.

One pass: expand schedules (every `expand_every`), recover rows whose dispatcher died mid-send,
reconcile sends with an unknown outcome against the provider, then claim and send due rows in batches.

Exactly once: a claim moves rows to `sending` in a committed transaction (PostgreSQL: FOR UPDATE SKIP
LOCKED, so dispatchers side by side never claim the same row; SQLite: the write lock taken by BEGIN
IMMEDIATE serialises claims). A row found in `sending` after its lease expired belonged to a dispatcher
that died: its text may or may not have left, so it becomes `unknown` and is looked up at the provider
before anything is resent.

Run: `python -m bot.reminders.dispatcher [--once]` (stops cleanly on SIGTERM/SIGINT).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from bot.clinic import ClinicProfile, load_profile
from bot.context import app_context
from bot.db import session_factory, transaction, utcnow
from bot.messaging import consent
from bot.messaging.gateway import OPTED_OUT_CODE, Reconcilable, SendResult, SendStatus, SmsGateway
from bot.messaging.models import ConsentAction, SmsMessage
from bot.models import Appointment
from bot.reminders.expansion import expand_appointments, expand_medication
from bot.reminders.models import OutboxStatus, ReminderKind, ReminderOutbox
from bot.reminders.policy import CACHE_SECONDS, Policy, PolicyCache
from bot.reminders.templates import appointment_text, medication_text
from bot.reminders.verdict import decide
from bot.settings import Settings

log = logging.getLogger("nightingale.dispatcher")


@dataclass(frozen=True)
class DispatchConfig:
    batch_size: int = 100
    concurrency: int = 8
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 6
    backoff_base: float = 30.0  # seconds; doubles per attempt, with jitter
    backoff_cap: float = 3600.0
    poll_interval: float = 5.0
    expand_every: timedelta = timedelta(minutes=10)
    horizon: timedelta = timedelta(days=2)
    reconcile_after: timedelta = timedelta(minutes=2)
    medication_too_late: timedelta = timedelta(hours=2)
    policy_ttl: float = CACHE_SECONDS  # an admin's edit of the reminder policy applies within this


@dataclass
class PassStats:
    expanded: int = 0
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    reconciled: int = 0


@dataclass
class _Job:
    row_id: int
    to: str
    body: str


@dataclass
class Dispatcher:
    database_url: str
    gateway: SmsGateway
    settings: Settings
    config: DispatchConfig = field(default_factory=DispatchConfig)
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}")
    clock: Callable[[], datetime] = utcnow
    _last_expansion: datetime | None = None
    _policies: PolicyCache | None = None

    def policy(self, session: Session) -> Policy:
        """The clinic's reminder policy as stored (or the environment's default), at most a minute old."""
        if self._policies is None:
            self._policies = PolicyCache(self.settings, self.config.policy_ttl)
        return self._policies.get(session)

    # -- one pass ---------------------------------------------------------------------------------
    def run_once(self) -> PassStats:
        stats = PassStats()
        now = self.clock()
        if self._last_expansion is None or now - self._last_expansion >= self.config.expand_every:
            stats.expanded = self.expand(now)
            self._last_expansion = now
        self.recover_abandoned(now)
        stats.reconciled = self.reconcile(now)
        while True:
            jobs = self.claim(self.clock(), stats)
            if jobs is None:
                break
            self.send(jobs, stats)
        return stats

    def expand(self, now: datetime) -> int:
        with transaction(self.database_url) as session:
            count = expand_medication(session, now - self.config.medication_too_late, now + self.config.horizon)
            count += expand_appointments(session, now, self.policy(session).offsets, self.config.horizon)
        return count

    def recover_abandoned(self, now: datetime) -> None:
        with transaction(self.database_url) as session:
            session.execute(
                update(ReminderOutbox)
                .where(
                    ReminderOutbox.status == OutboxStatus.SENDING, ReminderOutbox.claimed_at < now - self.config.lease
                )
                .values(
                    status=OutboxStatus.UNKNOWN, reason="outcome unknown: dispatcher stopped mid-send", updated_at=now
                )
            )

    # -- claiming ---------------------------------------------------------------------------------
    def claim(self, now: datetime, stats: PassStats) -> list[_Job] | None:
        """Claim a batch of due rows and decide each one; None when nothing is due."""
        with transaction(self.database_url) as session:
            ids = list(
                session.execute(
                    select(ReminderOutbox.id)
                    .where(ReminderOutbox.status == OutboxStatus.PENDING, ReminderOutbox.due_at <= now)
                    .order_by(ReminderOutbox.due_at, ReminderOutbox.id)
                    .limit(self.config.batch_size)
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            if not ids:
                return None
            session.execute(
                update(ReminderOutbox)
                .where(ReminderOutbox.id.in_(ids))
                .values(
                    status=OutboxStatus.SENDING,
                    claimed_by=self.worker_id,
                    claimed_at=now,
                    attempts=ReminderOutbox.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            rows = list(
                session.execute(
                    select(ReminderOutbox)
                    .where(ReminderOutbox.id.in_(ids))
                    .options(
                        joinedload(ReminderOutbox.patient),
                        joinedload(ReminderOutbox.plan),
                        joinedload(ReminderOutbox.appointment).joinedload(Appointment.provider),
                        joinedload(ReminderOutbox.appointment).joinedload(Appointment.appointment_type),
                    )
                    .order_by(ReminderOutbox.due_at, ReminderOutbox.id)
                ).scalars()
            )
            return self._decide(session, rows, now, stats)

    def _decide(self, session: Session, rows: list[ReminderOutbox], now: datetime, stats: PassStats) -> list[_Job]:
        profile, policy = load_profile(self.settings.clinic_profile), self.policy(session)
        opted_out = consent.opted_out_among(session, [r.patient.mobile for r in rows if r.patient.mobile])
        sent_today: dict[int, int] = {}
        jobs = []
        for row in rows:
            verdict = decide(session, row, now, policy, self.config.medication_too_late, opted_out, sent_today)
            if verdict is None:
                jobs.append(_Job(row.id, row.patient.mobile, self._body(row, profile)))
                if row.kind is ReminderKind.APPOINTMENT:
                    sent_today[row.patient_id] = sent_today.get(row.patient_id, 0) + 1
            elif isinstance(verdict, datetime):
                row.status, row.due_at, row.reason = OutboxStatus.PENDING, verdict, "deferred: quiet hours"
                row.attempts -= 1
            else:
                row.status, row.reason = OutboxStatus.SKIPPED, verdict
                stats.skipped += 1
        return jobs

    @staticmethod
    def _body(row: ReminderOutbox, profile: ClinicProfile) -> str:
        if row.kind is ReminderKind.MEDICATION:
            return medication_text(row.plan, row.occurrence, profile)
        return appointment_text(row.appointment, ZoneInfo(row.patient.time_zone), profile)

    # -- sending ----------------------------------------------------------------------------------
    def send(self, jobs: list[_Job], stats: PassStats) -> None:
        if not jobs:
            return
        deadline = self.clock() + self.config.lease * 0.8
        callback = f"{self.settings.public_base_url}/webhooks/sms/status"

        def one(job: _Job) -> SendResult | None:
            # A dispatcher that fell far behind its lease may already be presumed dead: never race the reconciler.
            if self.clock() > deadline:
                return None
            return self.gateway.send(job.to, job.body, status_callback=callback)

        with ThreadPoolExecutor(max_workers=min(self.config.concurrency, len(jobs))) as pool:
            results = list(pool.map(one, jobs))
        with transaction(self.database_url) as session, session.no_autoflush:
            claimed = session.execute(
                select(ReminderOutbox).where(
                    ReminderOutbox.id.in_([job.row_id for job in jobs]),
                    ReminderOutbox.status == OutboxStatus.SENDING,
                    ReminderOutbox.claimed_by
                    == self.worker_id,  # fencing: never overwrite a row someone else reclaimed
                )
            ).scalars()
            rows = {row.id: row for row in claimed}
            for job, result in zip(jobs, results, strict=False):
                if job.row_id in rows:
                    self._record(session, rows[job.row_id], job, result, stats)

    def _record(
        self, session: Session, row: ReminderOutbox, job: _Job, result: SendResult | None, stats: PassStats
    ) -> None:
        now = self.clock()
        if result is None:
            row.status, row.reason = OutboxStatus.PENDING, None
            row.attempts -= 1
            return
        row.error_code = result.error_code
        if result.status is SendStatus.ACCEPTED:
            self._mark_sent(session, row, job.to, result.sid or "", now)
            stats.sent += 1
        elif result.status is SendStatus.RETRY and row.attempts < self.config.max_attempts:
            row.status, row.due_at = OutboxStatus.PENDING, now + timedelta(seconds=self._backoff(row.attempts, result))
            row.reason = f"retrying: {result.error_code or result.detail}"
            stats.retried += 1
        elif result.status is SendStatus.UNKNOWN:
            row.status, row.reason = OutboxStatus.UNKNOWN, f"outcome unknown: {result.detail}"
            row.claimed_at = now
            stats.unknown += 1
        else:
            row.status = OutboxStatus.FAILED
            row.reason = f"failed: {result.error_code or result.detail}"
            if result.status is SendStatus.RETRY:
                row.reason += f" after {row.attempts} attempts"
            if result.error_code == OPTED_OUT_CODE:
                consent.record(session, job.to, ConsentAction.OPT_OUT, "carrier_21610")
            stats.failed += 1

    def _backoff(self, attempts: int, result: SendResult) -> float:
        if result.retry_after is not None:
            return result.retry_after
        delay = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempts - 1))
        return delay * random.uniform(0.5, 1.5)

    @staticmethod
    def _mark_sent(session: Session, row: ReminderOutbox, to: str, sid: str, now: datetime) -> None:
        row.status, row.reason, row.message_sid, row.sent_at = OutboxStatus.SENT, None, sid, now
        session.add(SmsMessage(sid=sid, to_number=to, outbox_id=row.id, status="queued"))

    # -- reconciliation ---------------------------------------------------------------------------
    def reconcile(self, now: datetime) -> int:
        """Settle `unknown` rows by asking the provider whether the text exists; resend only if it does not."""
        gateway = self.gateway
        if not isinstance(gateway, Reconcilable):
            return 0  # the console gateway cannot say: staff see the rows as "outcome unknown"
        profile = load_profile(self.settings.clinic_profile)
        with session_factory(self.database_url)() as session:
            rows = session.execute(
                select(ReminderOutbox)
                .where(
                    ReminderOutbox.status == OutboxStatus.UNKNOWN,
                    ReminderOutbox.claimed_at <= now - self.config.reconcile_after,
                )
                .options(joinedload(ReminderOutbox.patient), joinedload(ReminderOutbox.plan))
                .options(joinedload(ReminderOutbox.appointment))
                .limit(self.config.batch_size)
            ).scalars()
            doubts = [(row.id, row.patient.mobile, self._body(row, profile), row.claimed_at) for row in rows]
        settled = 0
        for row_id, to, body, claimed_at in doubts:
            try:
                sids = gateway.find_sent(to, body, claimed_at - timedelta(minutes=1))
            except Exception:  # noqa: BLE001 - the provider is unreachable: try again next pass
                log.warning("reconciliation lookup failed for outbox row %s", row_id)
                continue
            with transaction(self.database_url) as session:
                current = session.get(ReminderOutbox, row_id)
                if current is None or current.status is not OutboxStatus.UNKNOWN:
                    continue
                known = set(session.execute(select(SmsMessage.sid).where(SmsMessage.sid.in_(sids))).scalars())
                fresh = [sid for sid in sids if sid not in known]
                if fresh:
                    self._mark_sent(session, current, to, fresh[0], self.clock())
                else:
                    current.status, current.reason = OutboxStatus.PENDING, "resending: the provider has no record of it"
                settled += 1
        return settled

    # -- process ----------------------------------------------------------------------------------
    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                stats = self.run_once()
                if stats.sent or stats.skipped or stats.failed or stats.unknown:
                    log.info("pass: %s", stats)
            except Exception:  # noqa: BLE001 - a database blip must not end the process
                log.exception("dispatcher pass failed; retrying after the poll interval")
            stop.wait(self.config.poll_interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.reminders.dispatcher", description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="run a single pass and exit")
    parser.add_argument("--poll-interval", type=float, default=DispatchConfig.poll_interval)
    parser.add_argument("--batch-size", type=int, default=DispatchConfig.batch_size)
    parser.add_argument("--concurrency", type=int, default=DispatchConfig.concurrency)
    parser.add_argument("--lease-seconds", type=float, default=DispatchConfig.lease.total_seconds())
    parser.add_argument("--reconcile-after", type=float, default=DispatchConfig.reconcile_after.total_seconds())
    parser.add_argument("--backoff-base", type=float, default=DispatchConfig.backoff_base)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    context = app_context()
    config = DispatchConfig(
        batch_size=args.batch_size,
        concurrency=args.concurrency,
        poll_interval=args.poll_interval,
        lease=timedelta(seconds=args.lease_seconds),
        reconcile_after=timedelta(seconds=args.reconcile_after),
        backoff_base=args.backoff_base,
    )
    dispatcher = Dispatcher(context.settings.database_url, context.gateway, context.settings, config)
    if args.once:
        log.info("single pass: %s", dispatcher.run_once())
        return 0
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("dispatcher %s started", dispatcher.worker_id)
    dispatcher.run_forever(stop)
    log.info("dispatcher stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
