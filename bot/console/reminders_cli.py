"""`nightingale reminders add/list/pause/resume/remove`: staff manage a patient's medication plans;
`nightingale reminders policy show/set`: the clinic's appointment-reminder policy (as the console's page).
Every change is written to the console's audit log as "<--by> (command line)", beside the console's own: these are
the console's operations from a terminal, so they live with the console, above the reminder engine they drive."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import audit, reminder_policy
from bot.console import plans as console_plans
from bot.db import transaction, utcnow
from bot.models import Patient
from bot.reminders import policy as policies
from bot.reminders.models import MedicationPlan, PlanStatus, ReminderOutbox
from bot.reminders.plans import PlanError, create_plan, describe, plans_of, set_status
from bot.reminders.timing import parse_hhmm
from bot.settings import get_settings


def _patient(session: Session, args: argparse.Namespace) -> Patient:
    if args.patient.startswith("+"):
        patient = session.execute(select(Patient).where(Patient.mobile == args.patient)).scalar()
    else:
        patient = session.get(Patient, int(args.patient))
    if patient is None:
        raise SystemExit(f"no patient {args.patient}")
    return patient


def cmd_add(args: argparse.Namespace) -> int:
    with transaction(get_settings().database_url) as session:
        patient = _patient(session, args)
        try:
            plan = create_plan(
                session,
                patient.id,
                args.medication,
                [parse_hhmm(t) for t in args.times.split(",")],
                rule=args.days,
                start=date.fromisoformat(args.start) if args.start else None,
                end=date.fromisoformat(args.end) if args.end else None,
                dose=args.dose,
                include_name=args.include_name,
                created_by=f"staff:{args.by}",
            )
        except (PlanError, ValueError) as exc:
            print(f"not saved: {exc}")
            return 2
        _audit(session, args, "plan.create", plan.id, None, plan)
        print(f"plan {plan.id} for {patient.full_name}: {describe(plan)}")
    return 0


def _audit(
    session: Session, args: argparse.Namespace, action: str, plan_id: int, before: dict | None, plan: MedicationPlan
) -> None:
    audit.record(session, f"{args.by} (command line)", action, f"plan:{plan_id}", before, _snapshot_of(plan))


def cmd_list(args: argparse.Namespace) -> int:
    with transaction(get_settings().database_url) as session:
        patient = _patient(session, args)
        plans = plans_of(session, patient.id, include_stopped=args.all)
        print(f"{patient.full_name} ({patient.mobile or 'no mobile number'}, {patient.time_zone})")
        for plan in plans:
            print(f"  plan {plan.id}: {describe(plan)}")
        if not plans:
            print("  no medication plans")
        recent = session.execute(
            select(ReminderOutbox)
            .where(
                ReminderOutbox.patient_id == patient.id,
                ReminderOutbox.due_at >= utcnow() - timedelta(days=args.days_back),
            )
            .where(ReminderOutbox.due_at <= utcnow() + timedelta(days=1))
            .order_by(ReminderOutbox.due_at)
        ).scalars()
        print("  reminders (status, reason):")
        for row in recent:
            local = row.due_at.astimezone(ZoneInfo(patient.time_zone))
            print(f"    {local:%Y-%m-%d %H:%M} {row.kind.value:<11} {row.status.value:<8} {row.reason or ''}")
    return 0


def _set(status: PlanStatus) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        with transaction(get_settings().database_url) as session:
            patient = _patient(session, args)
            found = session.get(MedicationPlan, args.plan)
            before = _snapshot_of(found) if found is not None else None
            plan = set_status(session, args.plan, status, patient_id=patient.id)
            if plan is None:
                print(f"{patient.full_name} has no plan {args.plan}")
                return 2
            _audit(session, args, f"plan.{status.value}", plan.id, before, plan)
            print(f"plan {plan.id}: {describe(plan)}")
        return 0

    return command


def _snapshot_of(plan: MedicationPlan) -> dict:
    return console_plans.snapshot(plan)


def _show(policy: policies.Policy) -> None:
    print(f"reminders before each appointment: {policies.offsets_text(policy.offsets)}")
    print(f"quiet hours (patient's local time): {policy.quiet_hours[0]}-{policy.quiet_hours[1]}")
    print(f"appointment texts per patient per day, at most: {policy.per_day}")
    saved = f"saved by {policy.updated_by} at {policy.updated_at:%Y-%m-%d %H:%M} UTC" if policy.updated_at else ""
    print(f"version {policy.version}: {saved or 'not edited yet, the environment default'}")


def cmd_policy_show(_: argparse.Namespace) -> int:
    settings = get_settings()
    with transaction(settings.database_url) as session:
        _show(policies.current(session, settings))
    return 0


def cmd_policy_set(args: argparse.Namespace) -> int:
    """Unset options keep their stored value; the save is refused if the policy changed since it was read.
    It is the console's save, so the audit log shows the operator's change next to the admins'."""
    settings = get_settings()
    with transaction(settings.database_url) as session:
        stored = policies.current(session, settings)
        try:
            draft = policies.parse(
                args.offsets or policies.offsets_text(stored.offsets),
                args.quiet_start or stored.quiet_hours[0],
                args.quiet_end or stored.quiet_hours[1],
                str(args.per_day if args.per_day is not None else stored.per_day),
            )
            after = reminder_policy.save(session, settings, draft, stored.version, f"{args.by} (command line)")
        except policies.PolicyError as error:
            print("not saved: " + " ".join(f"{name}: {text}" for name, text in error.errors.items()))
            return 2
        _show(after)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    reminders = subparsers.add_parser("reminders", help="manage a patient's medication reminders (staff)")
    commands = reminders.add_subparsers(dest="reminders_command", required=True)

    def command(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--patient", required=True, help="patient id or E.164 mobile number")
        parser.set_defaults(func=handler)
        return parser

    add = command("add", "add a medication plan", cmd_add)
    add.add_argument("--medication", required=True)
    add.add_argument("--times", required=True, help="local wall times, e.g. 08:00,20:00")
    add.add_argument("--days", default="FREQ=DAILY", help="RFC 5545 rule for the days, e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR")
    add.add_argument("--start", help="first day (YYYY-MM-DD), default today")
    add.add_argument("--end", help="last day (YYYY-MM-DD), default until removed")
    add.add_argument("--dose", help="dose text, e.g. '500 mg'")
    add.add_argument("--include-name", action="store_true", help="the patient chose to see the drug name in texts")
    add.add_argument("--by", default="staff", help="who is making the change (recorded)")
    listing = command("list", "list plans and recent reminders with the reason any was not sent", cmd_list)
    listing.add_argument("--all", action="store_true", help="include removed plans")
    listing.add_argument("--days-back", type=int, default=7)
    for name, status, text in (
        ("pause", PlanStatus.PAUSED, "pause a plan"),
        ("resume", PlanStatus.ACTIVE, "resume a paused plan"),
        ("remove", PlanStatus.STOPPED, "stop a plan for good"),
    ):
        changer = command(name, text, _set(status))
        changer.add_argument("--plan", type=int, required=True)
        changer.add_argument("--by", default="staff", help="who is making the change (recorded)")
    policy = commands.add_parser("policy", help="the clinic's appointment-reminder policy").add_subparsers(
        dest="policy_command", required=True
    )
    policy.add_parser("show", help="print the policy in force").set_defaults(func=cmd_policy_show)
    setter = policy.add_parser("set", help="change the policy (options not given keep their value)")
    setter.add_argument("--offsets", help="times before the visit, e.g. '7d,2d' or '3d,2h'")
    setter.add_argument("--quiet-start", help="start of quiet hours, 24-hour local time, e.g. 21:00")
    setter.add_argument("--quiet-end", help="end of quiet hours, e.g. 08:00")
    setter.add_argument("--per-day", type=int, help="appointment texts per patient per day, at most (1-3)")
    setter.add_argument("--by", default="operator", help="who is making the change (recorded)")
    setter.set_defaults(func=cmd_policy_set)
