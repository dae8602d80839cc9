"""The conversation rules no classifier may overrule (bot/dialogue): numbered replies read against the offer
they follow, yes/no to the bot's own offers, answers that fit the open question, "stop", "I can't make it"."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.answers import fits, is_stop, taken_back, yes_or_no
from bot.dialogue.offers import (
    REMINDER_CHOICES,
    RESOLVED_KEY,
    Choice,
    Kind,
    about_missing_a_visit,
    last_offer,
    number_in,
    resolve,
    yes_no,
)
from bot.dialogue.policy import ConversationRulesPolicy

NOW = datetime(2026, 12, 2, 10)
HANDOFF = [{"title": "Have someone contact me", "payload": "/human_handoff"}]


def test_a_number_is_the_whole_reply_or_no_number() -> None:
    assert [number_in(t) for t in ("2", " 3. ", "#1", "option 2", "two", "the second one", "no. 3")] == [
        2,
        3,
        1,
        2,
        2,
        2,
        3,
    ]
    assert [number_in(t) for t in ("1 thx", "2 pls", "two, please")] == [1, 2, 2]
    assert [number_in(t) for t in ("2pm", "at 3", "10", "1 and 2", "book 2 visits", "", "1 more thing")] == [None] * 7


def test_the_offer_is_the_bot_turn_just_before_the_reply() -> None:
    events = [
        {"event": "user", "text": "should i double my dose"},
        {"event": "bot", "text": "I can't give medical advice", "data": {"buttons": HANDOFF}, "timestamp": 10.0},
        {"event": "user", "text": "1"},
    ]
    assert last_offer(events) == ((Choice("Have someone contact me", "/human_handoff"),), 10.0)
    # A later turn without buttons closes the offer: a digit after it answers nothing.
    later = events[:2] + [
        {"event": "user", "text": "ok"},
        {"event": "bot", "text": "Anything else?", "timestamp": 11.0},
        {"event": "user", "text": "1"},
    ]
    assert last_offer(later) == ((), 11.0)


def test_a_digit_answers_the_newer_of_the_offer_and_the_reminder_and_is_asked_about_otherwise() -> None:
    offer = (Choice("Have someone contact me", "/human_handoff"),)
    assert resolve(1, offer, 10.0, 5.0).chosen == offer[0]  # the offer came after the reminder
    after_reminder = resolve(2, offer, 10.0, 20.0)
    assert after_reminder.reminder and after_reminder.chosen == REMINDER_CHOICES[1]
    assert resolve(2, (), None, None).kind is Kind.NO_OFFER
    assert resolve(2, offer, 10.0, None).kind is Kind.OUT_OF_RANGE
    assert resolve(4, (), None, 3.0).kind is Kind.OUT_OF_RANGE


def test_yes_no_offers_and_answers() -> None:
    pair = yes_no([Choice("Yes, book another time", "/book_appointment"), Choice("No thanks", "/deny")])
    assert pair is not None and pair[0].payload == "/book_appointment"
    assert yes_no([Choice("Move it", "/reschedule_appointment"), Choice("Cancel it", "/cancel_appointment")]) is None
    assert [yes_or_no(t) for t in ("no, keep it", "Yes please", "keep it", "yesterday", "maybe")] == [
        False,
        True,
        False,
        None,
        None,
    ]


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        ("verify_name", "Sim Parker", True),
        ("verify_name", "do you take new patients?", False),
        ("verify_dob", "3/14/1980", True),
        ("verify_dob", "march 14", False),
        ("when", "none of those work, do you have thursday instead?", True),
        ("when", "what insurance do you take", False),
        # Whether the clinic opens on a day is its hours, answered before the form asks again (Saturday was booked).
        ("when", "are you open on saturdays?", False),
        ("when", "hold on, do you have appointments on weekends?", False),
        ("when", "saturday then", True),
        ("when", "the 31st of february", True),  # no such day, but an answer: the form says so
        ("when", "i need to cancel my appointment", False),
        ("slot_choice", "2", True),
        ("slot_choice", "the second one", True),
        ("visit", "dr chen", True),
        ("visit", "a checkup", True),
        ("visit", "can i just talk to someone", False),
        # An appointment described by its kind or provider answers "which appointment?", not a new booking.
        ("appointment_choice", "the dermatology one", True),
        ("appointment_choice", "the one with dr kim", True),
        ("appointment_choice", "what are your hours", False),
        ("reminder_times", "8am and 8pm", True),
        # An interval or a count is an answer the form asks more about, not a new request.
        ("reminder_times", "every 6 hours", True),
        ("reminder_times", "twice a day", True),
        ("reminder_until", "no end date", True),
        ("cancel_confirmed", "no, keep it", True),
        ("reminder_medication", "metformin", False),
    ],
)
def test_an_answer_fits_the_open_question(slot: str, text: str, expected: bool) -> None:
    assert fits(slot, text, NOW, 90) is expected


def test_stop_and_not_making_it() -> None:
    assert is_stop("stop") and is_stop("Never mind.") and not is_stop("stop my metformin reminders")
    # Keeping the appointment as it is ends a move (it was read as a day and time not caught, again and again).
    assert is_stop("never mind, keep it as it is") and is_stop("no, leave my appointment as is thanks")
    assert is_stop("dont change it") and not is_stop("keep it on tuesday but later")
    assert about_missing_a_visit("I won't be able to make it") and about_missing_a_visit("sorry can't come that day")
    assert about_missing_a_visit("I won't be able to make that one unfortunately")
    assert not about_missing_a_visit("I can't find your address") and not about_missing_a_visit("see you then")


@pytest.mark.parametrize(
    "text, missing",
    [
        # A tester's late patient was asked "Sorry you can't make it ... move it or cancel it?".
        ("I will arrive late maybe 20 minutes, the bus is not coming", False),
        ("running 15 min late, can't find parking near the appointment", False),
        ("my ride didn't show, I'll be a bit late to my appointment", False),
        ("the bus is not coming so I can't make it to my appointment", True),
        ("running late, I won't make it to my appointment after all", True),
        ("I'm not coming to my appointment", True),
        # A patient who cannot come at all was filed as running late.
        ("I can't get there at all today", True),
        ("I can't get there on time, maybe 15 minutes late", False),
    ],
)
def test_late_is_not_missing_the_visit_unless_said(text: str, missing: bool) -> None:
    assert about_missing_a_visit(text) is missing


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load("domain.yml")


def decide(domain: Domain, events: list[Any]) -> str | None:
    policy = ConversationRulesPolicy({"priority": 5}, None, None, SimpleNamespace(is_finetuning=False))
    tracker = DialogueStateTracker.from_events("+15550100001", events, slots=domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return domain.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


def said(text: str, intent: str, confidence: float = 0.95, **extra: Any) -> list[Any]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent, "confidence": confidence}, parse_data=extra),
    ]


def test_the_policy_sends_numbers_outside_forms_to_the_offer_they_follow(domain: Domain) -> None:
    assert decide(domain, said("2", "cancel_appointment")) == "action_numbered_reply"
    assert decide(domain, said("i need to cancel", "cancel_appointment")) is None  # the rules decide
    # The request the numbered reply put back in the conversation is left to the rules.
    assert decide(domain, said("1", "human_handoff", 1.0, **{RESOLVED_KEY: "/human_handoff"})) is None
    # After it only asked, the bot listens.
    assert (
        decide(domain, said("7", "inform") + [ActionExecuted("action_numbered_reply"), BotUttered("Which?")])
        == "action_listen"
    )
    assert decide(domain, said("I won't be able to make it", "confirm_appointment")) == "action_switch_request"
    # Read as a skipped dose or as running late, a patient who cannot come at all is asked: move or cancel.
    for intent in ("medication_skipped", "running_late", "nlu_fallback"):
        assert decide(domain, said("I can't get there at all today", intent, 0.25)) == "action_switch_request"
    # Late is the running-late rule's: the front desk is told, nothing is asked about moving or cancelling.
    assert decide(domain, said("I will arrive late maybe 20 minutes, the bus is not coming", "running_late")) is None
    # No offer open: the action looks for an appointment reminder the yes answers, else asks what else.
    assert decide(domain, said("yes", "affirm")) == "action_numbered_reply"
    assert decide(domain, said("no", "deny")) is None
    # ... but words that put something off may answer a dose reminder (the action looks; else "anything else?").
    assert decide(domain, said("not right now", "deny")) == "action_numbered_reply"
    offer = [
        BotUttered(
            "Book another?",
            data={
                "buttons": [
                    {"title": "Yes, book another time", "payload": "/book_appointment"},
                    {"title": "No thanks", "payload": "/deny"},
                ]
            },
        )
    ]
    assert (
        decide(domain, said("cancel it", "cancel_appointment") + offer + said("yes", "affirm"))
        == "action_numbered_reply"
    )
    assert decide(domain, said("i cant breathe", "emergency", 1.0)) is None


def test_the_policy_keeps_answers_and_stop_inside_the_form_and_switches_on_a_new_request(domain: Domain) -> None:
    in_form = [ActiveLoop("booking_form"), SlotSet("requested_slot", "when")]
    assert decide(domain, in_form + said("do you have thursday instead?", "faq")) == "booking_form"
    assert decide(domain, in_form + said("stop", "opt_out")) == "booking_form"
    assert (
        decide(domain, in_form + said("actually cancel my appointment instead", "cancel_appointment"))
        == "action_switch_request"
    )
    assert decide(domain, in_form + said("what are your hours", "faq")) is None  # answered, then resumed
    assert decide(domain, in_form + said("are you open on saturdays?", "faq")) is None
    naming = [ActiveLoop("medication_reminder_form"), SlotSet("requested_slot", "reminder_medication")]
    assert decide(domain, naming + said("metformin", "request_refill")) is None  # a drug's name, not a refill
    # A sure request switches even when some of its words would answer the question ("9am", "first")...
    remind = "oh also can you remind me to take vitamin d at 9am every day"
    assert decide(domain, in_form + said(remind, "set_medication_reminder", 0.99)) == "action_switch_request"
    refill = "wait first can i get a refill of my omeprazole"
    # A refill is filed beside the form by its own rule, then the form goes on (a "no" to switching lost it).
    assert decide(domain, in_form + said(refill, "request_refill", 0.97)) is None
    # ... but a less sure one that answers stays an answer, and a described choice answers its question.
    assert decide(domain, in_form + said("tomorrow at 9am", "set_medication_reminder", 0.7)) == "booking_form"
    choosing = [ActiveLoop("cancel_form"), SlotSet("requested_slot", "appointment_choice")]
    assert decide(domain, choosing + said("the dermatology one", "book_appointment", 0.95)) == "cancel_form"


def test_a_switch_the_bot_asked_about_is_answered_by_yes_or_no_and_nothing_else(domain: Domain) -> None:
    asking = [ActiveLoop("booking_form"), SlotSet("requested_slot", "when"), SlotSet("visit", "1:")]
    asked = asking + said("i need to cancel my appointment", "cancel_appointment") + [
        ActionExecuted("action_switch_request"), SlotSet("switch_to", "cancel_appointment"), BotUttered("Shall I?")]
    # Having asked, the bot listens (it does not ask the form's question on top).
    assert decide(domain, asked[:-1]) == "action_listen"
    assert decide(domain, asked + said("yes", "affirm")) == "action_switch_request"
    assert decide(domain, asked + said("no, keep going", "deny")) == "action_switch_request"
    assert decide(domain, asked + said("stop", "opt_out")) == "booking_form"  # stop still ends the form
    assert decide(domain, asked + said("friday morning", "inform")) == "booking_form"  # an answer to the form


def test_after_a_fallback_the_bot_listens_instead_of_saying_it_again(domain: Domain) -> None:
    # Without this, RulePolicy's core fallback was predicted again after itself: ten "Sorry, I didn't
    # understand" to one message no rule covers.
    missed = said("10/10/1960", "inform") + [ActionExecuted("action_fallback"), BotUttered("Sorry")]
    assert decide(domain, missed) == "action_listen"


def test_after_any_action_no_rule_follows_the_bot_listens_rather_than_falling_back(domain: Domain) -> None:
    # "You have no medication reminders to stop." used to be followed by "Sorry, I didn't understand".
    done = said("stop my lisinopril reminders", "stop_medication_reminder") + [
        ActionExecuted("action_stop_medication_reminder"), BotUttered("You have no medication reminders to stop.")]
    assert decide(domain, done) == "action_listen"
    # Before any action the policy leaves the message to the rules (and to the fallback when none applies).
    assert decide(domain, said("blorp", "out_of_scope")) is None


def test_a_yes_taken_back_in_the_same_breath_is_no_yes() -> None:
    taken = ["yes wait no keep it", "ok actually no", "yes... hold on, don't", "yeah never mind"]
    kept = ["yes please", "yes, no problem", "yes no worries", "sure, cancel it"]
    assert [taken_back(t) for t in taken] == [True] * 4 and [yes_or_no(t) for t in taken] == [None] * 4
    assert [taken_back(t) for t in kept] == [False] * 4 and [yes_or_no(t) for t in kept] == [True] * 4


def test_after_a_proposal_to_confirm_words_describing_an_appointment_go_back_to_confirming(domain: Domain) -> None:
    # "no" to "Your office visit with Dr. Alvarez... Shall I confirm it?", then "the bennett one" fell back.
    proposed = said("confirm my appointment", "confirm_appointment") + [
        ActionExecuted("action_confirm_appointment"), SlotSet("confirm_target", 7), BotUttered("Shall I confirm it?"),
    ] + said("no", "deny") + [ActionExecuted("action_numbered_reply"), BotUttered("Anything else?")]
    assert decide(domain, proposed + said("the bennett one", "inform")) == "action_confirm_appointment"
    assert decide(domain, proposed + said("the one with dr bennett", "inform")) == "action_confirm_appointment"
    assert decide(domain, proposed + said("what are your hours", "faq")) is None
    # With nothing proposed, the same words are left to the rules.
    assert decide(domain, said("the bennett one", "inform")) is None


def test_a_bare_answer_naming_a_clinician_outside_a_form_is_a_request_to_see_one(domain: Domain) -> None:
    # The classifier reads "cardiology" as the answer it is; nobody asked, so the switch books with it.
    assert decide(domain, said("cardiology", "inform")) == "action_switch_request"
    assert decide(domain, said("my pcp please", "inform")) == "action_switch_request"
    # Inside the booking form it answers the form's question; an answer naming no clinician is left alone.
    in_form = [ActiveLoop("booking_form"), SlotSet("requested_slot", "visit")]
    assert decide(domain, in_form + said("cardiology", "inform")) == "booking_form"
    assert decide(domain, said("friday morning", "inform")) is None
    assert decide(domain, said("the front desk", "inform")) is None
    # A kind of visit with when is one too; one the patient has, or a topic with a day, is left alone.
    assert decide(domain, said("physical w/ alvarez thu 2pm", "inform")) == "action_switch_request"
    assert decide(domain, said("flu shot tmrw 9am", "inform")) == "action_switch_request"
    assert decide(domain, said("the thursday checkup", "inform")) is None
    assert decide(domain, said("cold since monday", "inform")) is None


def test_a_new_time_right_after_a_saved_reminder_corrects_it_and_never_moves_an_appointment(domain: Domain) -> None:
    """Found by simulated patients: "actually make it 9 instead" after "Saved: metformin at 8:00 AM" looked for an
    appointment to move ("change that to 7:30" offered to stop and move one)."""
    saved = said("yes", "affirm") + [ActionExecuted("action_save_medication_reminder"), SlotSet("saved_plan", 7),
                                     BotUttered("Saved: metformin at 8:00 AM every day.")]
    for text, intent in (("actually make it 9 instead", "reschedule_appointment"), ("oops i meant 9pm", "inform"),
                         ("change that to 7:30", "reschedule_appointment"),
                         ("make it one hour later", "reschedule_appointment")):
        assert decide(domain, saved + said(text, intent)) == "action_correct_saved_reminder", text
    # Other words, or a turn later, are what the classifier read.
    assert decide(domain, saved + said("thanks", "thank")) is None
    assert decide(domain, saved + said("move my appointment to 9", "reschedule_appointment")) is None
    later = saved + said("what are your hours", "faq") + [ActionExecuted("action_answer_faq")]
    assert decide(domain, later + said("actually make it 9 instead", "reschedule_appointment")) is None
    # A save that did not happen names no plan.
    unsaved = said("no", "deny") + [ActionExecuted("action_save_medication_reminder"), SlotSet("saved_plan", None)]
    assert decide(domain, unsaved + said("actually make it 9 instead", "reschedule_appointment")) is None
    assert decide(domain, saved + said("actually make it 9 instead, i cant breathe", "emergency", 1.0)) is None


def test_a_reminder_for_someone_else_is_declined_before_any_identity_check(domain: Domain) -> None:
    assert decide(domain, said("my mom takes lisinopril at 8, remind her", "set_medication_reminder")) == (
        "action_someone_elses_reminder"
    )
    assert decide(domain, said("add a reminder for my son's inhaler", "set_medication_reminder")) == (
        "action_someone_elses_reminder"
    )
    # The patient's own reminder to give a child a medicine is theirs: the rules start it as usual.
    assert decide(domain, said("remind me to give my son his inhaler", "set_medication_reminder")) is None
    # "set one for my wife too" reads as nothing on its own; right after a saved reminder it means one of those.
    saved = said("yes", "affirm") + [ActionExecuted("action_save_medication_reminder"), SlotSet("saved_plan", 7)]
    assert decide(domain, saved + said("can you set one for my wife too", "out_of_scope")) == (
        "action_someone_elses_reminder"
    )
    assert decide(domain, said("can you set one for my wife too", "out_of_scope")) is None
    assert decide(domain, saved + said("can you book an appointment for my son", "book_appointment")) is None
    # Put back by a switch out of a form, or as the second request of a text: still someone else's.
    put_back = said("remind my dad to take his pills at 9", "set_medication_reminder", 1.0,
                    **{RESOLVED_KEY: "switch:/set_medication_reminder"})
    assert decide(domain, put_back) == "action_someone_elses_reminder"


def test_a_choice_by_number_with_a_question_after_it_is_still_the_choice(domain: Domain) -> None:
    """ "1 - also where do I park?" after "Reply 1 to confirm" answered the parking question and confirmed nothing."""
    from bot.dialogue.offers import choice_number

    assert decide(domain, said("1 - also where do I park?", "faq")) == "action_numbered_reply"
    assert decide(domain, said("1, and can I bring my daughter along?", "faq")) == "action_numbered_reply"
    assert choice_number("2. btw do you take aetna") == 2
    # A time or a count said first is no choice.
    assert choice_number("2 pm works for me") is None
    assert decide(domain, said("10 minutes late, sorry", "running_late")) is None


def test_the_answer_to_which_medicine_the_refill_is_for_goes_back_to_the_refill(domain: Domain) -> None:
    # Found by round-5 testers: "lisinopril", "both please", "the one for blood pressure" to "Which medicine is
    # the refill for: metformin or lisinopril?" got "Sorry, I didn't understand".
    asked = said("refill please", "request_refill") + [
        ActionExecuted("action_request_refill"), SlotSet("refill_choices", ["metformin", "lisinopril"]),
        BotUttered("Which medicine is the refill for: metformin or lisinopril?")]
    for text in ("lisinopril", "both please", "the one for blood pressure", "the metformin one"):
        assert decide(domain, asked + said(text, "inform")) == "action_request_refill", text
    # Words that pick nothing, another request naming a drug, or a turn later: what the classifier read.
    assert decide(domain, asked + said("what are your hours", "faq")) is None
    remind = "remind me to take lisinopril at 8am"
    assert decide(domain, asked + said(remind, "set_medication_reminder")) is None
    later = asked + said("thanks", "thank") + [ActionExecuted("utter_you_are_welcome")]
    assert decide(domain, later + said("lisinopril", "inform")) is None
    named = said("refill my thyroid pill", "request_refill") + [
        ActionExecuted("action_request_refill"), SlotSet("refill_choices", []), BotUttered("Which thyroid medicine?")]
    assert decide(domain, named + said("levothyroxine", "inform")) == "action_request_refill"


def test_a_correction_right_after_a_booking_moves_that_booking(domain: Domain) -> None:
    """Found by simulated patients: "wait, I meant wednesday not tomorrow" just after "You're booked" started a
    second booking and kept the wrong one."""
    booked = said("1", "inform") + [SlotSet("slot_choice", "booked:12"), ActionExecuted("action_book_appointment"),
                                    SlotSet("slot_choice", None), BotUttered("You're booked: Sick visit ...")]
    for text in ("wait, I meant wednesday not tomorrow", "oops wrong day, it should be thursday at 9",
                 "actually can we make it friday instead"):
        assert decide(domain, booked + said(text, "book_appointment")) == "action_correct_booking", text
    for text in ("thanks!", "also book one for my son friday", "actually I'll be 10 min late tomorrow",
                 "wait, is it on wednesday?", "can I also get a checkup friday"):
        assert decide(domain, booked + said(text, "book_appointment")) != "action_correct_booking", text
    # A turn later, or after a booking that did not happen, the words are what the classifier read.
    later = booked + said("what are your hours", "faq") + [ActionExecuted("action_answer_faq")]
    assert decide(domain, later + said("wait, I meant wednesday", "book_appointment")) is None
    stopped = said("stop", "stop") + [ActionExecuted("action_book_appointment"), SlotSet("slot_choice", None)]
    assert decide(domain, stopped + said("wait, I meant wednesday", "book_appointment")) is None
