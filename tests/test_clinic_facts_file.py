"""Saving clinic facts from the console rewrites only what changed in clinic.yml: the operator's comments,
key order and quoting stay, and what the assistant reads back is exactly what was saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.clinic import load_profile
from bot.console import clinic_facts
from bot.db import transaction
from bot.settings import PROJECT_ROOT


def test_a_save_keeps_comments_order_and_quoting_and_reads_back_as_saved(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "clinic.yml"
    shutil.copy(PROJECT_ROOT / "bot" / "clinic.yml", path)
    original = path.read_text()
    path.write_text(original.replace("  saturday:", "  # summer hours from June\n  saturday:"))
    current = clinic_facts.read(path)
    form = clinic_facts.form_of(current.facts)
    form.update(
        hours_saturday="10:00-13:00",
        languages="English\nSpanish\nMandarin\nHaitian Creole",
        insurance_plans=form["insurance_plans"] + "\nTricare",
        parking="Street parking: free after 6 PM",
    )
    edited = clinic_facts.parse(form, current.facts)
    with transaction(sqlite_url) as session:
        clinic_facts.save(session, path, current.version, edited, "ada")
    saved = path.read_text()

    # Every comment line of the original is still there, in the same order, and the new one too.
    comments = [line for line in original.splitlines() if "#" in line]
    assert [line for line in saved.splitlines() if "#" in line and "summer" not in line] == comments
    assert '  # summer hours from June\n  saturday: "10:00-13:00"\n' in saved
    assert [line.split(":")[0] for line in saved.splitlines() if line and line[0].isalpha()] == [
        line.split(":")[0] for line in original.splitlines() if line and line[0].isalpha()
    ]
    # Lines not edited are byte for byte as they were.
    untouched = (
        '  monday: "08:00-17:00"',
        "  - Medicare",
        'phone: "+1 (555) 010-2000"',
    )
    assert all(line in saved for line in untouched)
    assert "  - Tricare" in saved and "  - Haitian Creole" in saved
    assert 'parking: "Street parking: free after 6 PM"' in saved

    assert yaml.safe_load(saved) == edited
    profile = load_profile(path)
    assert "Tricare" in profile.insurance_plans and "Haitian Creole" in profile.languages


def test_values_a_yaml_reader_would_misread_are_quoted() -> None:
    text = "name: Clinic  # ours\nphone: 555\n"
    facts = {
        "name": "Clinic",
        "phone": "555-0100",
        "open": "yes",
        "since": "2027-01-01",
        "note": "#1 in town",
        "odd": "[x",
    }
    written = clinic_facts.round_trip(text, facts)
    assert written.startswith("name: Clinic  # ours\n")
    assert yaml.safe_load(written) == facts
