"""Errors a patient can act on: each carries the sentence the assistant says back."""

from __future__ import annotations

from collections.abc import Sequence

from bot.scheduling.slots import SlotOption


class SchedulingError(Exception):
    """A request the schedule cannot honour; `str(error)` is a patient-facing explanation."""


class TimeNotUnderstood(SchedulingError):
    pass


class PastTime(SchedulingError):
    pass


class BeyondHorizon(SchedulingError):
    pass


class OutsideOpeningHours(SchedulingError):
    pass


class UnknownVisit(SchedulingError):
    pass


class UnknownProvider(UnknownVisit):
    pass


class NoAppointment(SchedulingError):
    pass


class NothingUpcoming(NoAppointment):
    """No upcoming appointment at all: the sentence offers to book one, so a yes to it books."""


class SlotTaken(SchedulingError):
    """Someone else booked the time first; `alternatives` are fresh open times to offer instead."""

    def __init__(self, alternatives: Sequence[SlotOption]) -> None:
        super().__init__("Sorry, that time was just taken.")
        self.alternatives = list(alternatives)


class SomeoneElses(SchedulingError):
    """The request is about another person's appointment: not changed from this patient's conversation."""
