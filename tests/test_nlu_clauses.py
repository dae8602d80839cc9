"""Several requests in one text: the clauses, and which second request is kept beside the first."""

from __future__ import annotations

from bot.nlu.clauses import ALSO_FAQ_KEY, ALSO_REQUEST_KEY, Clause, clauses, named_again, second_requests


def test_a_text_splits_where_a_second_request_starts_and_nowhere_else() -> None:
    assert clauses("what's the parking like and can I book a flu shot for saturday") == [
        "what's the parking like", "can I book a flu shot for saturday"]
    assert clauses("Hi. I need to book a checkup. Also do you take aetna?") == [
        "Hi. I need to book a checkup.", "Also do you take aetna?"]
    # One request with an "and" inside it stays whole.
    assert clauses("remind me to take it at 8am and 8pm") == []
    assert clauses("book me with dr park and dr chen is fine too") == []
    assert clauses("thanks") == []
    # Found by round-5 testers: the refill after the cancel was one request with it, and never filed.
    assert clauses("cancel my appt next monday and also send in a refill for my atorvastatin") == [
        "cancel my appt next monday", "send in a refill for my atorvastatin"]


def test_only_a_confident_request_of_another_kind_is_kept() -> None:
    parking = Clause("what's the parking like", "faq/parking", 0.91)
    booking = Clause("can I book a flu shot for saturday", "book_appointment", 0.83)
    assert second_requests("book_appointment", [parking, booking]) == {ALSO_FAQ_KEY: parking}
    assert second_requests("faq/hours", [parking, booking]) == {ALSO_REQUEST_KEY: booking, ALSO_FAQ_KEY: parking}
    hours = Clause("and when are you open", "faq/hours", 0.88)
    assert second_requests("faq/parking", [parking, hours]) == {ALSO_FAQ_KEY: hours}  # two questions, two answers
    unsure = Clause("what's the parking like", "faq/parking", 0.4)
    assert second_requests("book_appointment", [unsure, booking]) == {}
    # Two requests and a question: the question is answered first, the second request waits for the first.
    remind = Clause("remind me to take metformin at 8am", "set_medication_reminder", 0.8)
    assert second_requests("book_appointment", [booking, remind]) == {ALSO_REQUEST_KEY: remind}
    assert second_requests("book_appointment", [booking, remind, parking]) == {
        ALSO_FAQ_KEY: parking, ALSO_REQUEST_KEY: remind}
    cancel = Clause("cancel my thursday appt", "cancel_appointment", 0.8)
    insurance = Clause("do you take medicaid", "faq/insurance", 0.9)
    assert second_requests("book_appointment", [cancel, booking, insurance]) == {
        ALSO_FAQ_KEY: insurance, ALSO_REQUEST_KEY: cancel}
    assert second_requests("greet", [parking, booking]) == {}  # neither side is a request to carry on
    # A request done in one step (a refill) is followed by the other request of the text.
    remind = Clause("can you remind me to use it twice a day", "set_medication_reminder", 0.7)
    assert second_requests("request_refill", [Clause("i need a refill", "request_refill", 0.9), remind]) == {
        ALSO_REQUEST_KEY: remind}


def test_a_confirmation_beside_another_request_is_kept() -> None:
    """ "yes I'll be there, but can I also move my other appointment ..." moved it and dropped the confirmation."""
    confirm = Clause("yes I'll be there", "confirm_appointment", 0.8)
    move = Clause("can I also move my other appointment with dr bennett to friday", "reschedule_appointment", 0.9)
    assert second_requests("reschedule_appointment", [confirm, move]) == {ALSO_REQUEST_KEY: confirm}


def test_a_confirmation_however_short_is_a_clause_of_its_own() -> None:
    from bot.nlu.clauses import clauses

    # "Confirmed, but what should I bring?" answered the question and dropped the confirmation.
    assert clauses("Confirmed, but what should I bring?") == ["Confirmed", "what should I bring?"]
    assert clauses("Hi. can I book a checkup friday") == []


def test_a_medical_reading_that_asks_nothing_stays_with_the_request() -> None:
    from bot.nlu.clauses import ALSO_REQUEST_KEY, Clause, second_requests

    # "I take my atorvastatin at bedtime" beside a reminder request is its details, not a medical question.
    detail = Clause("I take my atorvastatin at bedtime, around 10 o'clock at night.", "medical_advice", 0.7)
    assert second_requests("set_medication_reminder", [detail]) == {}
    question = Clause("is it ok to take it with grapefruit?", "medical_advice", 0.7)
    assert second_requests("request_refill", [question]) == {ALSO_REQUEST_KEY: question}


def test_a_dose_reply_however_short_is_a_clause_of_its_own() -> None:
    """ "took it, but I'm running low, can you request a refill?" noted the dose and filed no refill."""
    assert clauses("took it, but I'm running low, can you request a refill?") == [
        "took it", "I'm running low, can you request a refill?"]
    assert clauses("taken. also need a refill please") == ["taken.", "also need a refill please"]
    assert clauses("skip today and cancel my appointment next week") == [
        "skip today", "cancel my appointment next week"]


def test_a_dose_reply_said_first_is_done_first_and_the_request_beside_it_follows() -> None:
    from bot.nlu.clauses import dose_reply_first

    taken = Clause("taken.", "medication_taken", 0.95)
    refill = Clause("also need a refill please", "request_refill", 0.98)
    assert dose_reply_first([taken, refill]) == (taken, refill)
    skip = Clause("skip today", "medication_skipped", 0.99)
    cancel = Clause("cancel my appointment next week", "cancel_appointment", 0.99)
    assert dose_reply_first([skip, cancel]) == (skip, cancel)
    # Said after the request, or unsure, or beside no request: the text's own reading stands.
    assert dose_reply_first([refill, taken]) is None
    assert dose_reply_first([Clause("taken.", "medication_taken", 0.4), refill]) is None
    assert dose_reply_first([taken, Clause("thanks so much", "thank", 0.9)]) is None
    # The request said second still follows a dose reply read from the whole text.
    assert second_requests("medication_taken", [taken, refill]) == {ALSO_REQUEST_KEY: refill}


def test_a_dose_reply_taken_back_in_the_same_text_is_the_last_one_said() -> None:
    """ "skipped... oh wait no, I did take it" recorded the dose as both skipped and taken."""
    from bot.nlu.clauses import corrected_dose_reply

    assert clauses("skipped... oh wait no, I did take it") == ["skipped...", "oh wait no, I did take it"]
    skipped = Clause("skipped...", "medication_skipped", 0.97)
    took = Clause("oh wait no, I did take it", "medication_taken", 0.77)
    assert corrected_dose_reply([skipped, took]) == (took, None)
    assert corrected_dose_reply([took, skipped]) == (skipped, None)
    refill = Clause("also need a refill please", "request_refill", 0.98)
    assert corrected_dose_reply([skipped, took, refill]) == (took, refill)
    # One kind of reply, or an unsure second one: nothing corrected.
    assert corrected_dose_reply([took, refill]) is None
    assert corrected_dose_reply([skipped, Clause("i did take it", "medication_taken", 0.4)]) is None


def test_a_choice_by_number_with_more_said_after_it_keeps_both() -> None:
    from bot.nlu.clauses import after_a_number

    assert after_a_number("1, and can I bring my daughter along?") == ("1", "can I bring my daughter along?")
    assert after_a_number("1 - also where do I park?") == ("1", "where do I park?")
    assert after_a_number("#2. btw do you take aetna") == ("2", "do you take aetna")
    assert after_a_number("3 but can it be next week instead") == ("3", "can it be next week instead")
    # A bare number, a number with thanks, a time or a count is no choice followed by a request.
    for words in ("1", "1 thx", "2 pm works", "10 minutes late", "2 pills this morning", "1, ok"):
        assert after_a_number(words) is None, words


def test_a_refill_beside_a_stop_and_a_new_drug_after_a_stop_are_requests_of_their_own() -> None:
    # Found by the round-5 testers: the whole text went to the stop, which stopped both plans named.
    assert clauses("please refill my metformin and stop the lisinopril reminder") == [
        "please refill my metformin", "stop the lisinopril reminder"]
    assert clauses("refill metformin + stop the lisinopril texts") == ["refill metformin", "stop the lisinopril texts"]
    # The new reminder keeps the words that name its drug; the stop keeps only the old one.
    assert clauses("stop the metformin reminders, I'm switching to jardiance - remind me for that at 8am daily") == [
        "stop the metformin reminders", "I'm switching to jardiance - remind me for that at 8am daily"]
    assert clauses("stop my metformin and lisinopril reminders") == []  # one stop of two plans
    assert clauses("remind me at 8am + 8pm") == []


def test_it_in_a_second_request_is_the_drug_the_first_named() -> None:
    assert named_again("remind me to take it at 9pm", "pls refill my escitalopram") == (
        "remind me to take escitalopram at 9pm"
    )
    # A drug of its own, nothing named before, or no pronoun: the words as said.
    assert named_again("remind me to take my metformin", "refill my lisinopril") == "remind me to take my metformin"
    assert named_again("can you cancel it", "my appointment with dr kim") == "can you cancel it"
    assert named_again("remind me at 9pm", "refill my lisinopril") == "remind me at 9pm"
