"""Staff accounts and their sign-in sessions.

Passwords are hashed with Argon2id (argon2-cffi). Five wrong passwords in a row lock an account for
15 minutes. A session is a random token in an HttpOnly cookie (only its SHA-256 is stored), it expires
after `SESSION_HOURS` and carries its own CSRF token; signing out deletes it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.console import audit
from bot.console.models import ROLES, StaffAccount, StaffSession
from bot.db import utcnow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_HOURS = 12
MIN_PASSWORD_LENGTH = 12
FIRST_ADMIN = "admin"

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """Bad input for an account; `field` names the form field the message belongs next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SignIn:
    token: str | None = None
    error: str | None = None  # shown to the person signing in; never says which part was wrong


@dataclass(frozen=True)
class Signed:
    """Who a valid session belongs to."""

    staff_id: int
    name: str
    role: str
    csrf_token: str
    must_change_password: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def one_time_password() -> str:
    # Letters and digits only: it is read off a terminal and typed, and never starts with "-".
    return "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(16))


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not name or len(name) > 80 or not all(c.isalnum() or c in "._-" for c in name) or name[0] == "-":
        raise AccountError("name", "Use letters, digits, dots, dashes or underscores (at most 80).")
    return name


def create_staff(session: Session, name: str, role: str, actor: str) -> tuple[StaffAccount, str]:
    """A new account with a one-time password, which its holder replaces at first sign-in."""
    name = check_name(name)
    if role not in ROLES:
        raise AccountError("role", f"The role must be one of: {', '.join(ROLES)}.")
    if session.execute(select(StaffAccount.id).where(StaffAccount.name == name)).scalar() is not None:
        raise AccountError("name", f"There is already an account named {name}.")
    password = one_time_password()
    account = StaffAccount(
        name=name,
        role=role,
        password_hash=_hasher.hash(password),
        must_change_password=True,
        active=True,
        failures=0,
        version=1,
    )
    session.add(account)
    session.flush()
    audit.record(session, actor, "staff.create", f"staff:{name}", None, {"role": role})
    return account, password


def ensure_first_admin(session: Session) -> str | None:
    """On a fresh install, the first admin's one-time password (shown once); None when staff exist."""
    if session.execute(select(func.count()).select_from(StaffAccount)).scalar_one():
        return None
    return create_staff(session, FIRST_ADMIN, "admin", actor="system")[1]


def reset_password(session: Session, staff_id: int, actor: str) -> str:
    account = session.get(StaffAccount, staff_id)
    if account is None:
        raise AccountError("staff", "No such account.")
    password = one_time_password()
    account.password_hash, account.must_change_password = _hasher.hash(password), True
    account.failures, account.locked_until = 0, None
    account.version += 1
    session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
    audit.record(session, actor, "staff.reset_password", f"staff:{account.name}")
    return password


def set_active(session: Session, staff_id: int, active: bool, actor: str) -> StaffAccount:
    account = session.get(StaffAccount, staff_id)
    if account is None:
        raise AccountError("staff", "No such account.")
    if not active and account.role == "admin" and _active_admins(session) <= 1 and account.active:
        raise AccountError("staff", "The last active admin cannot be disabled.")
    before = {"active": account.active}
    account.active = active
    account.version += 1
    if not active:
        session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
    audit.record(
        session,
        actor,
        "staff.enable" if active else "staff.disable",
        f"staff:{account.name}",
        before,
        {"active": active},
    )
    return account


def _active_admins(session: Session) -> int:
    return session.execute(
        select(func.count())
        .select_from(StaffAccount)
        .where(StaffAccount.role == "admin", StaffAccount.active.is_(True))
    ).scalar_one()


def staff_list(session: Session) -> list[StaffAccount]:
    return list(session.execute(select(StaffAccount).order_by(StaffAccount.name)).scalars())


def sign_in(session: Session, name: str, password: str, now: datetime | None = None) -> SignIn:
    now = now or utcnow()
    refused = SignIn(error="That name and password do not match an active account.")
    account = session.execute(
        select(StaffAccount).where(StaffAccount.name == name.strip().lower())
    ).scalar_one_or_none()
    if account is None or not account.active:
        _verify(_DUMMY_HASH, password)
        return refused
    if account.locked_until is not None and account.locked_until > now:
        return SignIn(
            error="Too many failed attempts: this account is locked for 15 minutes. " "An admin can reset the password."
        )
    if not _verify(account.password_hash, password):
        account.failures += 1
        if account.failures >= MAX_FAILURES:
            account.failures, account.locked_until = 0, now + LOCKOUT
            audit.record(session, account.name, "signin.locked", f"staff:{account.name}")
        return refused
    account.failures, account.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            staff_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    audit.record(session, account.name, "signin", f"staff:{account.name}")
    return SignIn(token=token)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def signed(session: Session, token: str | None, now: datetime | None = None) -> Signed | None:
    if not token:
        return None
    row = session.execute(
        select(StaffSession, StaffAccount)
        .join(StaffAccount, StaffAccount.id == StaffSession.staff_id)
        .where(StaffSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    staff_session, account = row
    if staff_session.expires_at <= (now or utcnow()) or not account.active:
        return None
    return Signed(account.id, account.name, account.role, staff_session.csrf_token, account.must_change_password)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


def change_password(session: Session, staff_id: int, current: str, new: str, repeat: str) -> None:
    account = session.get(StaffAccount, staff_id)
    if account is None or not _verify(account.password_hash, current):
        raise AccountError("current", "That is not your current password.")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError("new", f"Choose at least {MIN_PASSWORD_LENGTH} characters.")
    if new != repeat:
        raise AccountError("repeat", "The two new passwords differ.")
    if new == current:
        raise AccountError("new", "Choose a password different from the current one.")
    account.password_hash, account.must_change_password = _hasher.hash(new), False
    account.version += 1
    audit.record(session, account.name, "staff.change_password", f"staff:{account.name}")
