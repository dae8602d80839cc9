"""Who the clinic has and what they offer: providers (name, specialty, location, active) and visit types
(name, minutes, the specialties that offer them), as staff set them up.

Availability reads these same rows (`bot.scheduling.availability`): a deactivated provider is offered to
no one, and a visit type is offered by the providers of the specialties listed for it, until it is retired
(then no new booking gets it; appointments already booked with it keep it). Edits follow
`bot.scheduling.editing`: every field checked, a stale form refused, one `Change` returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import ACTIVE_STATUSES, Appointment, AppointmentType, Provider, appointment_type_specialties
from bot.scheduling.editing import Change, Invalid, check_version, text, version_of
from bot.scheduling.policies import GRAIN

MAX_MINUTES = 240
_GRAIN_MINUTES = int(GRAIN.total_seconds() // 60)


def provider_values(provider: Provider) -> dict[str, object]:
    return {"name": provider.name, "specialty": provider.specialty, "location": provider.location,
            "active": bool(provider.active)}


def provider_version(provider: Provider) -> str:
    return version_of(provider_values(provider))


def providers(session: Session) -> list[Provider]:
    """Every provider, active ones first."""
    return list(session.execute(select(Provider).order_by(Provider.active.desc(), Provider.name)).scalars())


def specialties(session: Session) -> list[str]:
    """The specialties providers have or visit types name, for the forms' choices."""
    named = set(session.execute(select(Provider.specialty)).scalars())
    named |= set(session.execute(select(appointment_type_specialties.c.specialty)).scalars())
    return sorted(named)


def save_provider(session: Session, provider_id: int | None, form: dict[str, str]) -> Change:
    """Add a provider (`provider_id` None) or edit one; `form` has name, specialty, location, active, version."""
    provider = session.get(Provider, provider_id) if provider_id is not None else None
    if provider_id is not None and provider is None:
        raise Invalid({"provider": "There is no such provider."})
    if provider is not None:
        check_version(form.get("version", ""), provider_version(provider))
    errors: dict[str, str] = {}
    name = text(errors, form, "name", 120, "provider's name as patients know it")
    specialty = text(errors, form, "specialty", 80, "specialty")
    location = text(errors, form, "location", 200, "location (building and suite)")
    others = session.execute(select(Provider.name).where(Provider.id != (provider_id or 0))).scalars()
    if "name" not in errors and _plain(name) in {_plain(other) for other in others}:
        errors["name"] = "Another provider already has this name; patients would not know whom they book."
    if errors:
        raise Invalid(errors)
    before = provider_values(provider) if provider is not None else None
    if provider is None:
        provider = Provider(name=name, specialty=specialty, location=location)
        session.add(provider)
    provider.name, provider.specialty, provider.location = name, specialty, location
    provider.active = form.get("active") == "on"
    session.flush()
    action = "provider.add" if before is None else "provider.edit"
    return Change(action, f"provider:{provider.id}", before, provider_values(provider))


def _plain(name: str) -> str:
    """A name as patients would say it: "Dr. Ada Park" and "dr ada park" are one provider."""
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def booked_ahead(session: Session, provider_id: int) -> int:
    """Appointments still to come with the provider (kept when they are made inactive)."""
    return session.execute(
        select(func.count()).select_from(Appointment).where(
            Appointment.provider_id == provider_id,
            Appointment.starts_at >= utcnow(),
            Appointment.status.in_(ACTIVE_STATUSES),
        )
    ).scalar_one()


@dataclass(frozen=True)
class VisitType:
    id: int
    name: str
    minutes: int
    offered_by: tuple[str, ...]
    version: str
    active: bool = True
    booked_ahead: int = 0  # appointments still to come with this type (a retired type keeps them)


def visit_types(session: Session) -> list[VisitType]:
    """Every visit type, those offered first."""
    rows = session.execute(
        select(AppointmentType).order_by(AppointmentType.active.desc(), AppointmentType.name)
    ).scalars().all()
    offered = _offered(session)
    ahead = dict(
        session.execute(
            select(Appointment.appointment_type_id, func.count())
            .where(Appointment.starts_at >= utcnow(), Appointment.status.in_(ACTIVE_STATUSES))
            .group_by(Appointment.appointment_type_id)
        ).all()
    )
    return [_visit_type(t, offered.get(t.id, ()), ahead.get(t.id, 0)) for t in rows]


def _offered(session: Session) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for type_id, specialty in session.execute(
        select(appointment_type_specialties.c.appointment_type_id, appointment_type_specialties.c.specialty)
        .order_by(appointment_type_specialties.c.specialty)
    ):
        found.setdefault(type_id, []).append(specialty)
    return {k: tuple(v) for k, v in found.items()}


def _visit_type(row: AppointmentType, offered_by: tuple[str, ...], booked_ahead: int = 0) -> VisitType:
    values = {"name": row.name, "minutes": row.duration_minutes, "offered_by": list(offered_by),
              "active": bool(row.active)}
    return VisitType(row.id, row.name, row.duration_minutes, offered_by, version_of(values), bool(row.active),
                     booked_ahead)


def set_visit_type_offered(session: Session, type_id: int, offered: bool, version: str) -> Change:
    """Retire a visit type (`offered` False) or offer it again. Never deleted: the appointments booked with it
    keep their type, and staff and patients can still move them; no new booking is offered it."""
    row = session.get(AppointmentType, type_id)
    if row is None:
        raise Invalid({"visit_type": "There is no such visit type."})
    check_version(version, _visit_type(row, _offered(session).get(row.id, ())).version)
    before = {"name": row.name, "active": bool(row.active)}
    row.active = offered
    session.flush()
    action = "visit_type.offer" if offered else "visit_type.retire"
    return Change(action, f"visit_type:{row.id}", before, {"name": row.name, "active": offered})


def save_visit_type(session: Session, type_id: int | None, form: dict[str, str], offered_by: list[str]) -> Change:
    """Add (`type_id` None) or edit a visit type; `offered_by` are the specialties whose providers offer it."""
    row = session.get(AppointmentType, type_id) if type_id is not None else None
    if type_id is not None and row is None:
        raise Invalid({"visit_type": "There is no such visit type."})
    current = _visit_type(row, _offered(session).get(row.id, ())) if row is not None else None
    if current is not None:
        check_version(form.get("version", ""), current.version)
    errors: dict[str, str] = {}
    name = text(errors, form, "name", 120, "visit type's name")
    raw_minutes = form.get("minutes", "").strip()
    minutes = int(raw_minutes) if raw_minutes.isdigit() else 0
    if not (_GRAIN_MINUTES <= minutes <= MAX_MINUTES and minutes % _GRAIN_MINUTES == 0):
        errors["minutes"] = (
            f"Give the length in minutes: {_GRAIN_MINUTES} to {MAX_MINUTES}, in steps of {_GRAIN_MINUTES}."
        )
    known = set(specialties(session))
    chosen = sorted({s for s in offered_by if s in known})
    if not chosen or len(chosen) != len(set(offered_by)):
        errors["offered_by"] = "Tick at least one specialty from the list."
    same_name = select(AppointmentType.id).where(
        func.lower(AppointmentType.name) == name.lower(), AppointmentType.id != (type_id or 0)
    )
    if "name" not in errors and session.execute(same_name).first():
        errors["name"] = "There is already a visit type with this name."
    if errors:
        raise Invalid(errors)
    if row is None:
        row = AppointmentType(code=_new_code(session, name), name=name, duration_minutes=minutes)
        session.add(row)
    row.name, row.duration_minutes = name, minutes
    session.flush()
    links = appointment_type_specialties
    session.execute(delete(links).where(links.c.appointment_type_id == row.id))
    session.execute(links.insert(), [{"appointment_type_id": row.id, "specialty": s} for s in chosen])
    after = {"name": name, "minutes": minutes, "offered_by": chosen}
    before = None if current is None else {"name": current.name, "minutes": current.minutes,
                                           "offered_by": list(current.offered_by)}
    return Change("visit_type.add" if current is None else "visit_type.edit", f"visit_type:{row.id}", before, after)


def _new_code(session: Session, name: str) -> str:
    """A stable code for a new type (existing codes carry the everyday words in `catalog.TYPE_WORDS`)."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "visit"
    taken = set(session.execute(select(AppointmentType.code).where(AppointmentType.code.like(f"{base}%"))).scalars())
    return next(code for code in (base, *(f"{base}_{n}" for n in range(2, 1000))) if code not in taken)
