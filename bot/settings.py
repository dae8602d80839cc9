"""The one place configuration comes from: the environment, with embedded defaults.

Every process (Rasa server, action server, dispatcher, CLI, tests) calls `get_settings()`;
no other module reads `os.environ`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A configuration that must not start; the message names the variable to fix."""


def new_secret() -> str:
    """256 random bits as hex: never starts with "-", so no command line can read it as an option."""
    return secrets.token_hex(32)


def _usable(secret: str) -> bool:
    # Earlier installs wrote token_urlsafe() values; one in 64 began with "-" and broke every start.
    return bool(secret) and not secret.startswith("-")


def _persistent_secret(path: Path) -> str:
    """A random secret created once and kept (0600) in the data folder, so restarts keep sessions valid.
    A kept secret that is unusable is replaced."""
    if path.exists():
        kept = path.read_text().strip()
        if _usable(kept):
            return kept
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(new_secret())
    try:
        if path.exists():
            os.replace(draft, path)  # repairing a bad secret: atomic, and a sibling's repair is as good
        else:
            # link() publishes the finished file atomically; if a sibling process won, use its secret.
            os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    tracker_store_url: str
    redis_url: str | None
    rasa_port: int
    action_port: int
    rasa_auth_token: str
    secret_key: str
    clinic_profile: Path
    public_base_url: str
    # Clinic sites (other origins) allowed to embed the web chat widget.
    cors_origins: tuple[str, ...]
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_from_number: str | None
    twilio_api_base: str
    # "twilio" or "console". Chosen by SMS_GATEWAY, else Twilio when any TWILIO_* is set.
    sms_gateway: str = "console"
    # The REST channel for integrations is off unless this bearer token is set (REST_CHANNEL_TOKEN).
    rest_channel_token: str | None = None
    # How long a Rasa process holds an inbound text it is handling before another may take it over.
    sms_inbound_lease_seconds: float = 60.0
    # Minutes before an appointment at which its reminders go out (clinic-wide policy).
    appointment_reminder_offsets: tuple[int, ...] = (3 * 24 * 60, 2 * 60)
    appointment_reminders_per_day: int = 1
    quiet_hours: tuple[str, str] = ("21:00", "08:00")
    booking_horizon_days: int = 90
    verification_days: int = 30
    # Rasa server processes; more than one share conversation locks (lock files, or Redis when set).
    rasa_workers: int = 1
    # How long a browser may resume its web chat conversation (and its identity proof's session) for.
    webchat_session_hours: float = 7 * 24
    # The staff console's own web server; loopback unless the operator exposes it (behind TLS).
    console_port: int = 5006
    console_host: str = "127.0.0.1"

    @property
    def twilio_enabled(self) -> bool:
        return self.sms_gateway == "twilio"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _offsets(raw: str) -> tuple[int, ...]:
    """'3d,2h,30m' -> minutes, largest first."""
    units = {"d": 24 * 60, "h": 60, "m": 1}
    minutes = [int(part[:-1]) * units[part[-1]] for part in raw.replace(" ", "").split(",") if part]
    return tuple(sorted(minutes, reverse=True))


TWILIO_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")


def _sms_gateway(env: Mapping[str, str]) -> str:
    """Fail closed: a deployment meant for Twilio never falls back to printing texts."""
    chosen = env.get("SMS_GATEWAY", "").strip().lower()
    if not chosen:
        chosen = "twilio" if any(env.get(name) for name in TWILIO_VARIABLES) else "console"
    if chosen not in ("twilio", "console"):
        raise SettingsError(f"SMS_GATEWAY must be 'twilio' or 'console', not {chosen!r}")
    missing = [name for name in TWILIO_VARIABLES if not env.get(name)]
    if chosen == "twilio" and missing:
        raise SettingsError(f"SMS_GATEWAY is twilio but {', '.join(missing)} is not set: refusing to start")
    return chosen


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("NIGHTINGALE_DATA_DIR", PROJECT_ROOT / "var")).resolve()
    rasa_port = int(env.get("RASA_PORT", "5005"))
    return Settings(
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL", f"sqlite:///{data_dir / 'nightingale.db'}"),
        tracker_store_url=env.get("TRACKER_STORE_URL", f"sqlite:///{data_dir / 'tracker.db'}"),
        redis_url=env.get("REDIS_URL") or None,
        rasa_port=rasa_port,
        action_port=int(env.get("ACTION_PORT", "5055")),
        rasa_auth_token=env.get("RASA_AUTH_TOKEN") or _persistent_secret(data_dir / "rasa_token"),
        secret_key=env.get("NIGHTINGALE_SECRET_KEY") or _persistent_secret(data_dir / "secret_key"),
        clinic_profile=Path(env.get("CLINIC_PROFILE", PROJECT_ROOT / "bot" / "clinic.yml")),
        public_base_url=env.get("PUBLIC_BASE_URL", f"http://localhost:{rasa_port}").rstrip("/"),
        cors_origins=tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
        twilio_from_number=env.get("TWILIO_FROM_NUMBER") or None,
        twilio_api_base=env.get("TWILIO_API_BASE", "https://api.twilio.com").rstrip("/"),
        sms_gateway=_sms_gateway(env),
        rest_channel_token=_rest_token(env),
        sms_inbound_lease_seconds=float(env.get("SMS_INBOUND_LEASE_SECONDS", "60")),
        appointment_reminder_offsets=_offsets(env.get("APPOINTMENT_REMINDER_OFFSETS", "3d,2h")),
        appointment_reminders_per_day=int(env.get("APPOINTMENT_REMINDERS_PER_DAY", "1")),
        quiet_hours=tuple(env.get("QUIET_HOURS", "21:00-08:00").split("-", 1)),  # type: ignore[arg-type]
        booking_horizon_days=int(env.get("BOOKING_HORIZON_DAYS", "90")),
        verification_days=int(env.get("VERIFICATION_DAYS", "30")),
        rasa_workers=_positive(env, "RASA_WORKERS", 1),
        webchat_session_hours=float(env.get("WEBCHAT_SESSION_HOURS", str(7 * 24))),
        console_port=int(env.get("CONSOLE_PORT", "5006")),
        console_host=env.get("CONSOLE_HOST", "127.0.0.1"),
    )


def _rest_token(env: Mapping[str, str]) -> str | None:
    token = env.get("REST_CHANNEL_TOKEN") or None
    if token is not None and len(token) < 24:
        raise SettingsError("REST_CHANNEL_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 32`)")
    return token


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = int(env.get(name, str(default)))
    if value < 1:
        raise ValueError(f"{name} must be 1 or more, not {value}")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
