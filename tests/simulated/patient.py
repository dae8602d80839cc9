"""A goal-driven simulated patient: an opening text, the facts it gives when asked, and a goal judged on
the database.

It recognises what the assistant asked (a date of birth, which time, yes/no ...) from the words of the
last reply and answers with its facts. Asked for something it already said up front, it says it again
(a repeat); given a reply it cannot place, it rephrases its request if it has another wording, else it
is stuck. It stops when the goal is met, or after a change nobody asked for (harm).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tests.harness import RunningAssistant
from tests.simulated.channels import Channel, Reply, SmsChannel, WebChannel
from tests.simulated.world import Booking, Change, Goal, Person, Plan, changes, create_person, snapshot

# What the assistant asks, recognised in its own words; the last match in a reply is the open question.
QUESTIONS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("name", r"first and last name"),
    ("dob", r"date of birth"),
    ("code", r"6-digit code"),
    ("visit", r"what kind of visit|catch the kind of visit"),
    ("when", r"when would you like to come in|which other day or time|catch a day or time|which other day works"
             r"|what time would work|which day would you like|another time or day work|which day did you mean"),
    ("slot", r"open times|nearest times|choose \d|another time was just taken"),
    ("appointment", r"which appointment"),
    ("cancel", r"want to cancel (it|both|them)|yes to cancel"),
    ("confirm", r"(shall|should) i (mark it )?confirm|confirm (it|this|that one)\?|want me to confirm|like to confirm"),
    ("move_or_cancel", r"(cancel|move|reschedule) it or (cancel|move|reschedule)|cancel or (move|reschedule)"),
    ("medication", r"which medication"),
    ("refill_which", r"which (\w+ )?medicine is the refill for"),
    ("times", r"what time or times|catch the times"),
    ("days", r"which days"),
    ("until", r"until when"),
    ("show_name", r"name the medication"),
    ("save", r"shall i save it"),
    ("book_another", r"book another time|would you like to book one"),
    ("person", r"would you like a person|have someone contact"),
    ("which_number", r"which (option|choice|number)|what does .* refer|not sure what .* means"),
    ("switch", r"shall i stop that and"),
    ("book_offer", r"would you like to book a (first|video|sick) visit"),
    ("dose", r"did you take it\?"),
]]
FALLBACK = re.compile(r"didn't understand|didn't get that|didn't catch", re.I)
NUMBERED = re.compile(r"^\s*(\d)\)\s*(.+)$", re.M)


@dataclass
class Scenario:
    id: str
    channel: str  # "sms" or "web"
    voice: str  # elderly, hurried, non-native, typos, multi-request, correction, digression, ambiguous, plain
    opening: str
    goals: Callable[[str], list[Goal]]  # given the database URL
    # Answers by question; a tuple gives its answers in turn (a correction, a digression, then the fact).
    facts: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    # What the patient says next when the reply asks nothing it recognises ("help", then "3").
    script: tuple[str, ...] = ()
    upfront: tuple[str, ...] = ()  # questions the opening already answered: asked again, it is a repeat
    rephrases: tuple[str, ...] = ()
    bookings: tuple[Booking, ...] = ()
    plans: tuple[Plan, ...] = ()
    reminded: str | None = None  # the booking ref an appointment reminder was just texted about
    medication_reminded: bool = False
    held_out: bool = False  # its words appear nowhere in the training data (tests/simulated/held_out.txt)
    max_turns: int = 10


@dataclass
class Outcome:
    scenario: Scenario
    success: bool = False
    harm: list[Change] = field(default_factory=list)
    turns: int = 0
    rephrased: int = 0
    repeated: int = 0
    stuck: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def first_try(self) -> bool:
        return self.success and not self.rephrased and not self.repeated

    def story(self) -> str:
        return "\n".join(f"  patient: {said!r}\n  bot: {heard!r}" for said, heard in self.transcript)


class Patient:
    def __init__(self, scenario: Scenario, person: Person, channel: Channel, assistant: RunningAssistant) -> None:
        self.scenario, self.person, self.channel, self.assistant = scenario, person, channel, assistant
        self.rephrases = list(scenario.rephrases)
        self.script = list(scenario.script)
        self.asked: dict[str, int] = {}

    def fact(self, kind: str) -> str | None:
        value = self.scenario.facts.get(kind)
        if isinstance(value, tuple):
            return value[min(self.asked.get(kind, 1), len(value)) - 1]
        return value

    def answer(self, kind: str, reply: Reply) -> str | None:
        facts, person = self.scenario.facts, self.person
        if kind == "name":
            return f"{person.first} {person.last}"
        if kind == "dob":
            return person.born.strftime(facts.get("dob_format", "%m/%d/%Y"))
        if kind == "code":
            sent = [m["Body"] for m in self.assistant.twilio.sent if m["To"] == person.mobile]
            codes = re.findall(r"\b(\d{6})\b", sent[-1]) if sent else []
            return codes[-1] if codes else None
        if kind in ("slot", "appointment") and kind in facts:
            return self._choose(self.fact(kind) or "", reply)
        if kind == "slot":
            return self._choose("1", reply)
        defaults = {"cancel": "yes", "confirm": "yes", "save": "yes", "show_name": "no", "days": "every day",
                    "until": "no end date", "book_another": "no", "switch": "yes",
                    "book_offer": "yes"}
        return self.fact(kind) if kind in facts else defaults.get(kind)

    def _choose(self, wanted: str, reply: Reply) -> str:
        """A digit or words; a web patient clicks the button a digit or a label names (its payload is sent)."""
        options = ([(b["title"], b["payload"]) for b in reply.buttons] if reply.buttons
                   else [(label, number) for number, label in NUMBERED.findall(reply.text)])
        if not wanted.isdigit():
            named = [i for i, (label, _) in enumerate(options) if wanted.lower() in label.lower()]
            if not named:
                return wanted  # words of its own ("the thursday one")
            index = named[0]
        else:
            index = int(wanted) - 1
        if reply.buttons and index < len(options):
            return options[index][1]
        return str(index + 1)

    def question(self, reply: Reply) -> str | None:
        for text in reversed(reply.texts):
            found = [(m.start(), kind) for kind, pattern in QUESTIONS for m in pattern.finditer(text)]
            if found:
                return max(found)[1]
        return None


def run(scenario: Scenario, assistant: RunningAssistant, index: int) -> Outcome:
    url = assistant.database_url
    letters = "".join(chr(ord("a") + int(d)) for d in f"{index:03d}")  # names are letters only
    person = Person("Sim", f"Patient{letters}", date(1950 + index % 50, 1 + index % 12, 1 + index % 27),
                    f"+1555077{index:04d}")
    create_person(url, person, scenario.bookings, scenario.plans, scenario.reminded, scenario.medication_reminded)
    channel: Channel = SmsChannel(assistant, person.mobile) if scenario.channel == "sms" else WebChannel(assistant)
    person.conversations.append(channel.conversation_id)
    patient = Patient(scenario, person, channel, assistant)
    outcome, goals, heard = Outcome(scenario), scenario.goals(url), ""
    before, asked = snapshot(url), patient.asked
    said = scenario.opening
    try:
        while outcome.turns < scenario.max_turns:
            reply = channel.send(said)
            outcome.turns += 1
            outcome.transcript.append((said, reply.text))
            heard += "\n" + reply.text
            found = changes(before, snapshot(url))
            claimed: list[Change] = []
            met = [goal(person, found, heard) for goal in goals]
            for hit in met:
                claimed += hit or []
            outcome.harm = [c for c in found if c not in claimed]
            if outcome.harm:
                outcome.stuck = "changed something nobody asked for"
                return outcome
            if all(hit is not None for hit in met):
                outcome.success = True
                return outcome
            kind = patient.question(reply)
            if kind is not None and kind in scenario.upfront:
                outcome.repeated += 1
            asked[kind] = asked.get(kind, 0) + 1
            answer = patient.answer(kind, reply) if kind else None
            if answer is None and patient.script:
                answer = patient.script.pop(0)
            elif answer is None or asked[kind] > 3:
                if not patient.rephrases:
                    outcome.stuck = f"no answer to {kind or 'an unplaced reply'}"
                    return outcome
                answer = patient.rephrases.pop(0)
                outcome.rephrased += 1
            said = answer
        outcome.stuck = "out of turns"
        return outcome
    finally:
        channel.close()
