"""The web chat identity check end to end (Socket.IO, Rasa with the trained model, the action server): a patient
who mistyped their date of birth gives it again and is verified with the code then texted."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.harness import RunningAssistant
from tests.simulated.channels import WebChannel
from tests.simulated.world import Person, create_person

pytestmark = pytest.mark.rasa


def test_a_mistyped_birth_date_is_given_again_and_the_texted_code_verifies(assistant: RunningAssistant) -> None:
    # A patient of its own: the assistant is shared, and other tests probe the demo patients' identity records.
    person = create_person(
        assistant.database_url, Person("Wren", "Mistyped", date(1971, 9, 23), "+15550177001"), (), (), None, False
    )
    name, dob, mobile = f"{person.first} {person.last}", person.born, person.mobile
    texted = len(assistant.texts_to(mobile, 0, timeout=0))
    web = WebChannel(assistant)
    try:
        web.send("show my appointments")
        web.send(name)
        mistyped = web.send(f"{dob.replace(year=dob.year - 1):%m/%d/%Y}")
        assert "If those details match our records" in mistyped.text
        again = web.send("sorry, i typed my birthday wrong")
        assert "date of birth" in again.text and "didn't work" not in again.text
        web.send(f"{dob:%m/%d/%Y}")
        codes = assistant.texts_to(mobile, texted + 1)[texted:]
        assert len(codes) == 1  # the mistyped birth date matched nobody: only the corrected one was texted a code
        code = re.search(r"\b(\d{6})\b", codes[0])
        assert code is not None
        verified = web.send(code[1])
        assert "you're verified" in verified.text and "paused" not in verified.text
    finally:
        web.close()
