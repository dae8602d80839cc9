"""Every sentence the actions send to patients about visits, consent and verification, in one place
(medication reminders: actions.wording_reminders).

Why one module: the tone is reviewed in one file rather than across the actions; what a message tells
about a patient's health (over SMS too) can be checked against the minimum it needs in one read; and every
time a patient reads is said by bot's `say_when` / `clock_text` ("8:30 AM"), never by a format of its own.
The actions decide what to say, these say it. Fixed replies with nothing from code in them stay in
domain.yml (utter_*).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from actions.wording_reminders import POISON_CONTROL
from bot.clinic import ClinicProfile
from bot.scheduling.booking import Booked
from bot.scheduling.catalog import Visit
from bot.scheduling.choices import Offer, reply_numbers
from bot.scheduling.policies import say_when
from bot.scheduling.slots import SlotOption

Buttons = list[dict[str, str]]


def named(appointment: Booked, zone: ZoneInfo) -> str:
    """An appointment as the domain's responses name it: "checkup with Dr. Lee on ..."."""
    return (
        f"{appointment.type_name.lower()} with {appointment.provider_name} on "
        f"{say_when(appointment.starts_at, zone)}"
    )


# With utter_ask_confirm and utter_cannot_make_it (domain.yml).
CONFIRM_OR_NOT: Buttons = [
    {"title": "Yes, confirm it", "payload": "/confirm_appointment"},
    {"title": "No", "payload": "/deny"},
]
MOVE_OR_CANCEL: Buttons = [
    {"title": "Move it", "payload": "/reschedule_appointment"},
    {"title": "Cancel it", "payload": "/cancel_appointment"},
]


# Cancelling and listing.

YES_OR_NO = "Sorry, was that a yes or a no?"
CANCEL_YES_OR_NO = "Please answer yes to cancel, or no to keep the appointment."
CANCEL_OR_KEEP: Buttons = [
    {"title": "Yes, cancel it", "payload": "/affirm"},
    {"title": "No, keep it", "payload": "/deny"},
]
KEPT = "Okay, your appointment stays as it is."
NOTHING_CANCELLED = "Okay, I've stopped. Nothing was cancelled."
NO_UPCOMING = "You have no upcoming appointments. Would you like to book one?"
BOOK_ONE: Buttons = [
    {"title": "Yes, book one", "payload": "/book_appointment"},
    {"title": "No thanks", "payload": "/deny"},
]
BOOK_ANOTHER: Buttons = [
    {"title": "Yes, book another time", "payload": "/book_appointment"},
    {"title": "No thanks", "payload": "/deny"},
]


def ask_to_cancel(appointment: Booked, clinic: ClinicProfile) -> str:
    """The appointment and the clinic's cancellation policy, before the yes that cancels it."""
    return (
        f"Your {appointment.type_name.lower()} with {appointment.provider_name} is on "
        f"{say_when(appointment.starts_at, clinic.zone)}. {clinic.cancellation_policy} "
        "Do you want to cancel it? (yes/no)"
    )


def ask_to_cancel_all(appointments: Sequence[Booked], clinic: ClinicProfile) -> str:
    """Every appointment a "cancel both" means, named, before the one yes that cancels them all."""
    listed = "\n".join(f"- {named(a, clinic.zone)}" for a in appointments)
    count = "both" if len(appointments) == 2 else f"all {len(appointments)}"
    return f"Your appointments:\n{listed}\n{clinic.cancellation_policy} Do you want to cancel {count}? (yes/no)"


CANCEL_ALL_OR_KEEP: Buttons = [
    {"title": "Yes, cancel them", "payload": "/affirm"},
    {"title": "No, keep them", "payload": "/deny"},
]
KEPT_ALL = "Okay, your appointments stay as they are."
CANCEL_ALL_YES_OR_NO = "Please answer yes to cancel them, or no to keep them."


def cancelled_all(appointments: Sequence[Booked], zone: ZoneInfo) -> str:
    listed = "\n".join(f"- {named(a, zone)}" for a in appointments)
    return f"Done: these appointments are cancelled:\n{listed}\nWould you like to book another time?"


def cancelled(appointment: Booked, zone: ZoneInfo, ask_another: bool = True) -> str:
    done = f"Done: your {named(appointment, zone)} is cancelled."
    return f"{done} Would you like to book another time?" if ask_another else done


def upcoming(appointments: Sequence[Booked], zone: ZoneInfo) -> str:
    lines = "\n".join(
        f"- {say_when(b.starts_at, zone)}: {b.type_name} with {b.provider_name}, {b.location}" for b in appointments
    )
    return f"Your upcoming appointments:\n{lines}"


# Booking and moving.

NO_LONGER_UPCOMING = "That appointment is no longer upcoming. Would you like me to list your appointments?"
VISIT_RETIRED = "Sorry, that kind of visit is no longer offered here. Let's pick another."
# The form's question follows it, with its examples: said here as well, they came twice in one reply.
TIME_NOT_CAUGHT = "Sorry, I didn't catch a day or time."
OTHER_TIME = "No problem. Which other day or time would suit you?"
DOSE_TAKEN_OR_NOT = "Did you take it?"
# Its choices: "yes" and "no" answer it as well as the numbers (bot.dialogue.offers.yes_no reads the titles).
DOSE_CHOICES = [
    {"title": "Yes, I took it", "payload": "/medication_taken"},
    {"title": "No, skipping this one", "payload": "/medication_skipped"},
    {"title": "Remind me later", "payload": "/snooze_reminder"},
]
TIME_TAKEN = "Sorry, that time was just taken. Here are the next open times."
APPOINTMENT_NOT_CAUGHT = "Sorry, I didn't catch which appointment you mean."
# The request described an appointment the patient does not have ("with Dr. Ross"): the list follows.
NO_SUCH_APPOINTMENT = "I don't see an upcoming appointment like that."
# ... when they have just one: saying none fits and then asking about it read as a contradiction ("move my
# checkup" with only an office visit booked); the question that follows names it.
ONLY_UPCOMING = "Your only upcoming appointment is this one:"


def not_described(only_one: bool) -> str:
    """Before the appointments a request described wrongly: the only one, or the list to choose from."""
    return ONLY_UPCOMING if only_one else NO_SUCH_APPOINTMENT


def which_to_confirm(appointments: Sequence[Booked], zone: ZoneInfo, several_fit: bool) -> str:
    """The appointments a request to confirm may mean, when its words fit several of them or none."""
    intro = "" if several_fit else f"{NO_SUCH_APPOINTMENT} "
    lines = "\n".join(f"- {say_when(b.starts_at, zone)}: {b.type_name} with {b.provider_name}" for b in appointments)
    example = appointments[0].provider_name if appointments else "Dr. Smith"
    return (
        f"{intro}Which appointment do you want confirmed?\n{lines}\n"
        f'You can say, for example, "the one with {example}".'
    )
OR_ANOTHER_TIME = ", or tell me another day or time"


def moving(appointment: Booked, zone: ZoneInfo) -> str:
    return (
        f"Let's find a new time for your {appointment.type_name.lower()} with {appointment.provider_name}, "
        f"now on {say_when(appointment.starts_at, zone)}."
    )


def visit_not_caught(menu: Sequence[str]) -> str:
    """`menu`: the visit types offered, as `bot.scheduling.catalog.visit_menu` lists them."""
    return f"Sorry, I didn't catch the kind of visit. We offer: {', '.join(menu).lower()}."


def choose_again(offered: int) -> str:
    """An answer that picked none of the `offered` times (none offered: another day is the only way on)."""
    return f"Please choose {reply_numbers(offered) or 'another day'}, or tell me another day or time."


def slot_label(option: SlotOption, zone: ZoneInfo) -> str:
    return f"{say_when(option.starts_at, zone)} with {option.provider_name}"


def _visit(visit: Visit | None) -> str:
    return visit.with_article() if visit else "a visit"


def no_open_times(visit: Visit | None) -> str:
    return f"I couldn't find any open times for {_visit(visit)} around then. Which other day or time would suit you?"


def open_times(visit: Visit | None, exact: bool) -> str:
    """The line above the times offered; not `exact`: nothing fit the request, these are the nearest."""
    if exact:
        return f"Here are the open times for {_visit(visit)}:"
    return f"Nothing is open for {_visit(visit)} exactly then. The nearest times are:"


def which_appointment(moving: bool, later: int, phone: str) -> str:
    """Above the next few appointments; `later`: how many more are beyond the list (only a call reaches them)."""
    intro = f"Which appointment would you like to {'move' if moving else 'cancel'}?"
    if later:
        intro += f" For a later one, please call us at {phone}."
    return intro


def numbered_choices(intro: str, offers: Sequence[Offer], otherwise: str = "") -> str:
    """Offers as a numbered list, for SMS where there are no buttons."""
    lines = "\n".join(f"{i + 1}) {o['label']}" for i, o in enumerate(offers))
    return f"{intro}\n{lines}\nReply {reply_numbers(len(offers))}{otherwise}."


def button_choices(intro: str, offers: Sequence[Offer], otherwise: str = "") -> tuple[str, Buttons]:
    """Offers as buttons on the web; each sends back its number, as an SMS reply would."""
    return f"{intro} Pick one{otherwise}.", [{"title": o["label"], "payload": str(i + 1)} for i, o in enumerate(offers)]


def stopped(rescheduling: bool) -> str:
    return "Okay, I've stopped. Nothing was changed." if rescheduling else "Okay, I've stopped. Nothing was booked."


def booked(appointment: Booked, clinic: ClinicProfile, moved: bool) -> str:
    """The confirmation: the day and time, provider and address, and what to bring (for a video visit, how
    to be ready instead: nobody comes in)."""
    said = (
        f"You're {'moved' if moved else 'booked'}: {appointment.type_name} with {appointment.provider_name} on "
        f"{say_when(appointment.starts_at, clinic.zone)}"
    )
    if appointment.by_video:
        return (
            f"{said}. It's a video visit, so there's no need to come in: please be ready on your phone or "
            f"computer a few minutes early. Call {clinic.phone} if you need help joining."
        )
    return f"{said}, at {appointment.location}. {clinic.what_to_bring}"


# Switching from one request to another inside a form (utter_ask_switch, utter_switch_declined).

DOING = {"booking_form": "booking an appointment", "medication_reminder_form": "setting up a medication reminder"}
MOVING_APPOINTMENT = "moving your appointment"


def someone_elses(phone: str) -> str:
    return (
        "I can only change your own appointments here. For someone else's, they can text us from their own "
        f"phone, or call us at {phone}. Nothing was changed."
    )


def handoff_in_spanish(phone: str) -> str:
    return (
        "Una persona de nuestro equipo que habla español le responderá pronto. Si es urgente, llame al "
        f"{phone}. Si es una emergencia, llame al 911."
    )


# Before the hand-off when someone writes that a person has died (their texts are for staff to stop).
CONDOLENCES = "I'm so sorry for your loss."

# After the fixed crisis reply to a poisoning (bleach, a battery, a child into someone's pills): the line that
# advises on exactly this, any hour. 911 stays first, in the crisis reply itself.
POISONING_NOTE = (
    f"For something swallowed that shouldn't have been, Poison Control can also help right now: {POISON_CONTROL} "
    "(free, any time)."
)


def handoff_stopped(doing: str) -> str:
    return f"I've stopped {doing} for now, so nothing was changed. Tell me any time if you'd like to start again."
WHERE_WE_WERE = "where we were"
# The requests a form with the patient's details in it asks about before dropping them.
INSTEAD = {
    "book_appointment": "book a new appointment", "reschedule_appointment": "move an appointment",
    "cancel_appointment": "cancel an appointment", "confirm_appointment": "see to your appointment",
    "set_medication_reminder": "set a medication reminder",
    "list_medication_reminders": "show your medication reminders",
    "stop_medication_reminder": "stop a medication reminder", "request_refill": "ask for a refill",
}


def next_request(intent: str) -> str | None:
    """Before the second request of a text starts ("... and remind me to take my metformin")."""
    return f"Now, as you asked, let's {INSTEAD[intent]}." if intent in INSTEAD else None


YES_NO_BUTTONS: Buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


# Consent and verification.

FULL_NAME = "Please type your first and last name."
BIRTH_DATE_WITH_YEAR = "Please give your date of birth with the year, for example 03/14/1980."


def how_to_stop_texts(clinic: ClinicProfile) -> str:
    """For a conversation with no number to record the choice against."""
    return (
        "To stop our texts, reply STOP to any of them; reply START to get them again. "
        f"You can also call us at {clinic.phone}."
    )
