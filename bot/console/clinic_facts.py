"""Clinic facts (the clinic profile every FAQ answer is filled from), edited by admins.

The profile stays the YAML file named by CLINIC_PROFILE: the assistant re-reads it when it changes, so a
saved edit shows in the next answer. A save checks that the file is still the one the form was read from
(its SHA-256), so two admins editing at once do not overwrite each other; it is written atomically, in
ruamel.yaml's round-trip mode: the operator's comments, key order and quoting stay where they were.
The preview fills the FAQ answers' own templates (domain.yml `utter_faq/*`) with the edited facts.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from sqlalchemy.orm import Session

from bot import faq
from bot.clinic import WEEKDAYS, ProfileError, parse_profile
from bot.console import audit
from bot.settings import PROJECT_ROOT

TEXT_FIELDS = {
    "name": "Clinic name",
    "short_name": "Short name (used in texts)",
    "phone": "Phone",
    "nurse_line": "Nurse line",
    "email": "Email",
    "website": "Website",
    "address": "Address",
    "parking": "Parking",
    "billing": "Billing",
    "lab_results": "Lab results",
    "telehealth": "Telehealth",
    "what_to_bring": "What to bring",
    "new_patient": "New patients",
    "medical_records": "Medical records",
    "cancellation_policy": "Cancellation policy",
    "covid_vaccine": "Vaccines",
    "handoff_hours": "When staff reply",
}
LIST_FIELDS = {"insurance_plans": "Insurance plans accepted (one per line)", "languages": "Languages (one per line)"}
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
MAX_TEXT = 500


class FactsError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Facts:
    facts: dict
    version: str


def read(path: Path) -> Facts:
    raw = path.read_bytes()
    return Facts(yaml.safe_load(raw) or {}, hashlib.sha256(raw).hexdigest())


def form_of(facts: dict) -> dict[str, str]:
    form = {name: str(facts.get(name) or "") for name in TEXT_FIELDS}
    form.update({name: "\n".join(str(v) for v in facts.get(name) or ()) for name in LIST_FIELDS})
    form.update({f"hours_{day}": str(facts.get("hours", {}).get(day, "closed")) for day in WEEKDAYS})
    return form


def parse(form: dict[str, str], current: dict) -> dict:
    """The edited profile, or FactsError naming each bad field. Keys the form does not show are kept."""
    errors: dict[str, str] = {}
    facts = dict(current)
    for name in TEXT_FIELDS:
        value = " ".join(form.get(name, "").split())
        if not value:
            errors[name] = "This cannot be empty: patients are told it."
        elif len(value) > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters."
        facts[name] = value
    if "short_name" not in errors and len(facts["short_name"]) > 30:
        errors["short_name"] = "At most 30 characters: it starts every text."
    if "email" not in errors and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", facts["email"]):
        errors["email"] = "Write an email address like frontdesk@clinic.example."
    for name in ("phone", "nurse_line"):
        if name not in errors and len(re.sub(r"\D", "", facts[name])) < 7:
            errors[name] = "Write a phone number patients can call."
    for name in LIST_FIELDS:
        items = [" ".join(line.split()) for line in form.get(name, "").splitlines() if line.strip()]
        if not items:
            errors[name] = "Give at least one, one per line."
        facts[name] = items
    hours = {}
    for day in WEEKDAYS:
        spec = form.get(f"hours_{day}", "").strip().lower().replace(" ", "")
        if spec != "closed" and not (HOURS.match(spec) and spec[:5] < spec[6:]):
            errors[f"hours_{day}"] = "Write opening and closing like 08:00-17:00, or closed."
        hours[day] = spec
    facts["hours"] = hours
    facts.pop("holidays", None)  # imported into the schedule's holidays at upgrade (migration 0008); not read
    if errors:
        raise FactsError(errors)
    try:  # the assistant's own check of a profile: what it would refuse is not saved
        parse_profile(facts, "the edited clinic facts")
    except ProfileError as error:
        raise FactsError({"facts": str(error)}) from error
    return facts


@lru_cache(maxsize=1)
def _faq_templates() -> dict[str, str]:
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text()).get("responses", {})
    return {
        name.split("/", 1)[1]: variants[0]["text"]
        for name, variants in responses.items()
        if name.startswith("utter_faq/") and variants and "text" in variants[0]
    }


def preview(facts: dict, today: date) -> list[tuple[str, str]]:
    """(topic, the answer a patient would get) for every FAQ topic."""
    values = faq.values(parse_profile(facts, "the edited clinic facts"))
    answers = []
    for topic, template in sorted(_faq_templates().items()):
        try:
            answers.append((topic.replace("_", " "), template.format(**values)))
        except (KeyError, IndexError):
            continue  # a template naming a value the profile does not provide: shown by the assistant as is
    return answers


def round_trip(text: str, facts: dict) -> str:
    """`text` (a clinic profile) with its values replaced by `facts`; comments, order and quoting kept."""
    writer = YAML()  # round-trip mode
    # ruamel 0.17 annotates these two settings as None.
    writer.preserve_quotes = True  # type: ignore[assignment]
    writer.width = 4096  # type: ignore[assignment]  # a long answer stays on its one line, as operators write it
    writer.indent(mapping=2, sequence=4, offset=2)
    document = writer.load(text) or CommentedMap()
    _update(document, facts)
    out = io.StringIO()
    writer.dump(document, out)
    return out.getvalue()


def _update(target: CommentedMap, values: dict) -> None:
    for key in [k for k in target if k not in values]:
        del target[key]
    for key, value in values.items():
        old = target.get(key)
        if isinstance(value, dict) and isinstance(old, CommentedMap):
            _update(old, value)
        elif value != old:  # unchanged values stay as written, with their comments
            target[key if key in target else _scalar(key)] = _node(value, old)


def _node(value: Any, old: Any) -> Any:
    if isinstance(value, dict):
        return CommentedMap((_scalar(k), _node(v, None)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_node(v, None) for v in value)
    if isinstance(value, str) and isinstance(old, ScalarString):
        return type(old)(value)  # the quoting style the operator chose for this field
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """Quoted when a YAML 1.1 reader (the assistant's) would read the plain text as something else."""
    if not isinstance(value, str):
        return value
    try:
        plain = yaml.safe_load(value) == value
    except yaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def save(session: Session, path: Path, version: str, facts: dict, staff: str) -> None:
    current = read(path)
    if current.version != version:
        raise FactsError(
            {
                "facts": "Someone saved the clinic facts meanwhile; the form now shows their version. "
                "Make your change again."
            }
        )
    changed = sorted(k for k in set(facts) | set(current.facts) if facts.get(k) != current.facts.get(k))
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(round_trip(path.read_text(encoding="utf-8"), facts), encoding="utf-8")
    os.replace(draft, path)
    audit.record(
        session,
        staff,
        "clinic.edit",
        "clinic_profile",
        {k: current.facts.get(k) for k in changed},
        {k: facts.get(k) for k in changed},
    )
