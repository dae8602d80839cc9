"""Patients whose words a first round of playing patients showed were lost: a specialty asked for, the end
of a working day, a woman doctor, a well check, a reply with a courtesy word, an appointment named by its
kind. All held out: their words are in no training example. Weekdays: Monday 0 ... Saturday 5.
"""

from __future__ import annotations

from tests.simulated.patient import Scenario
from tests.simulated.scenarios_scheduling import TWO, A
from tests.simulated.world import (
    Booking,
    Plan,
    Slot,
    adherence,
    booked,
    cancelled,
    confirmed,
    handed_off,
    moved,
    plan_retimed,
    plan_set,
    plan_stopped,
    refill,
    told,
)

PEDIATRICIANS = ("Okafor", "Novak")  # they see children only (bot.scheduling.audience)
# The tester's patient: an office visit with Dr. Alvarez on a Monday, a skin check with Dr. Bennett on a Wednesday.
OFFICE_AND_SKIN = (Booking("a", "Alvarez", days=1, weekday=0), Booking("b", "Bennett", "skin_check", days=1, weekday=2))

WORDS = [
    Scenario(
        "book-counselor-only",
        "web",
        "non-native",
        "Hello, I want to book with counselor please. Morning time is better for me, on Thursday.",
        lambda u: [booked(u, "Moreau", slot=Slot(weekday=3, before=12))],
        facts={"visit": "counselor", "when": "thursday morning"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    Scenario(
        "book-after-work",
        "sms",
        "hurried",
        "need a regular office visit w dr chen, after 5pm next wed? i work til 4:30",
        lambda u: [booked(u, "Chen", slot=Slot(weekday=2, after=17))],
        facts={"visit": "office visit", "when": "wednesday after 5pm"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    Scenario(
        "book-woman-doctor",
        "sms",
        "elderly",
        "Good morning. I would prefer a woman doctor for my annual exam, an afternoon on a weekday if you please.",
        lambda u: [booked(u, "Weiss", "annual_physical", Slot(after=12))],
        facts={"visit": "annual exam with a woman doctor", "when": "weekday afternoon"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    Scenario(
        "book-well-check",
        "sms",
        "typos",
        "can i get my 2 yr old in for a well check, any mornign next week",
        lambda u: [booked(u, type_code="well_child", slot=Slot(before=12))],
        facts={"visit": "well check", "when": "next week in the morning"},
        upfront=("visit",),
        held_out=True,
    ),
    Scenario(
        "confirm-reminder-1-thx", "sms", "hurried", "1 thx", lambda u: [confirmed("a")], bookings=A, reminded="a"
    ),
    Scenario(
        "cancel-the-skin-one",
        "sms",
        "plain",
        "I have to call off one of my visits, sorry",
        lambda u: [cancelled("b")],
        facts={"appointment": "the skin one"},
        bookings=TWO,
        held_out=True,
    ),
    Scenario(
        "multi-book-then-reminder",
        "web",
        "multi-request",
        "I need a checkup with Dr. Alvarez on Friday afternoon, and can you remind me to take my metformin "
        "every evening at 7pm",
        lambda u: [booked(u, "Alvarez", "annual_physical", Slot(weekday=4, after=12)), plan_set("metformin", "19:00")],
        facts={"visit": "checkup", "when": "friday afternoon", "medication": "metformin", "times": "7pm"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    Scenario(
        "running-late",
        "sms",
        "hurried",
        "ugh traffic, i'll be like 15 min late to my appt",
        lambda u: [handed_off(u), told("front desk")],
        bookings=A,
        held_out=True,
    ),
    Scenario(
        "cancel-the-dermatology-one",
        "web",
        "elderly",
        "Good afternoon. I am afraid I shall have to cancel one of my two appointments.",
        lambda u: [cancelled("b")],
        facts={"appointment": "the dermatology one"},
        bookings=TWO,
        held_out=True,
    ),
    # A yes taken back in the same breath cancels nothing; the question is asked again.
    Scenario(
        "cancel-yes-taken-back",
        "sms",
        "correction",
        "need to cancel my appt",
        lambda u: [told("stays as it is")],
        bookings=A,
        facts={"cancel": ("yes wait no keep it", "no")},
        held_out=True,
    ),
    # One medication's texts, not every text: only that plan stops, and consent is untouched.
    Scenario(
        "meds-no-more-texts-for-one",
        "sms",
        "plain",
        "i dont need the atorvastatin texts anymore, my doctor took me off it",
        lambda u: [plan_stopped("atorvastatin")],
        plans=(Plan("atorvastatin", ("22:00",)), Plan("metformin")),
        held_out=True,
    ),
    # A sure new request inside a form switches, though a word of it ("first") would also answer.
    Scenario(
        "refill-inside-booking",
        "sms",
        "digression",
        "book a checkup",
        lambda u: [refill("omeprazole"), booked(u)],
        facts={"when": ("wait first can i get a refill of my omeprazole", "tomorrow morning")},
    ),
    # A patient correcting themselves: the words after "no sorry", "no wait" replace the detail before them.
    Scenario(
        "reminder-time-corrected",
        "sms",
        "correction",
        "can you set up a reminder for my metformin",
        lambda u: [plan_set("metformin", "09:00")],
        facts={"times": "8am, no sorry 9am"},
        upfront=("medication",),
        held_out=True,
    ),
    Scenario(
        "book-day-corrected",
        "sms",
        "correction",
        "book a checkup on monday, no wait, tuesday afternoon",
        lambda u: [booked(u, type_code="annual_physical", slot=Slot(weekday=1, after=12), avoid=PEDIATRICIANS)],
        facts={"visit": "checkup", "when": "tuesday afternoon"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    # "every morning at 8" is 8:00 AM: nothing left to ask about the time.
    Scenario(
        "reminder-morning-at-8",
        "web",
        "plain",
        "remind me to take lisinopril 10mg every morning at 8 for 30 days",
        lambda u: [plan_set("lisinopril", "08:00", "FREQ=DAILY", ends=True)],
        upfront=("medication", "times", "days", "until"),
        held_out=True,
    ),
    # The simulated patients are adults: a pediatrician is neither offered nor booked for them.
    Scenario(
        "adult-asks-for-a-pediatrician",
        "sms",
        "elderly",
        "Good day. I am 85 and would like to see Dr. Okafor for a checkup next week, please.",
        lambda u: [told("children only")],
        held_out=True,
    ),
    Scenario(
        "book-anyone-but-chen",
        "sms",
        "hurried",
        "checkup next tuesday, any doctor except dr chen",
        lambda u: [booked(u, type_code="annual_physical", slot=Slot(weekday=1), avoid=("Chen", *PEDIATRICIANS))],
        facts={"visit": "checkup", "when": "next tuesday"},
        upfront=("visit", "when"),
        held_out=True,
    ),
    # An appointment described in the request is the one moved, cancelled or confirmed; a move keeps its kind.
    Scenario(
        "move-my-skin-check-to-friday",
        "sms",
        "plain",
        "can I reschedule my skin check to friday",
        lambda u: [moved("b", u, Slot(weekday=4), provider="Bennett")],
        bookings=OFFICE_AND_SKIN,
        upfront=("appointment", "when"),
        held_out=True,
    ),
    Scenario(
        "push-the-skin-doctor-appt",
        "sms",
        "hurried",
        "can we push the skin doctor appt to next friday afternoon",
        lambda u: [moved("b", u, Slot(weekday=4, after=12), provider="Bennett")],
        bookings=OFFICE_AND_SKIN,
        upfront=("appointment", "when"),
        held_out=True,
    ),
    Scenario(
        "move-my-wednesday-appointment",
        "web",
        "plain",
        "I need to move my wednesday appointment to friday please",
        lambda u: [moved("b", u, Slot(weekday=4))],
        bookings=OFFICE_AND_SKIN,
        upfront=("appointment", "when"),
        held_out=True,
    ),
    Scenario(
        "cancel-my-wednesday-appointment",
        "sms",
        "elderly",
        "I am sorry but I must cancel my Wednesday appointment.",
        lambda u: [cancelled("b")],
        bookings=OFFICE_AND_SKIN,
        upfront=("appointment",),
        held_out=True,
    ),
    Scenario(
        "confirm-with-dr-bennett",
        "sms",
        "plain",
        "I want to confirm my appointment with Dr Bennett",
        lambda u: [confirmed("b")],
        bookings=OFFICE_AND_SKIN,
        held_out=True,
    ),
    Scenario(
        "confirm-no-then-the-bennett-one",
        "sms",
        "ambiguous",
        "can you confirm my appt",
        lambda u: [confirmed("b")],
        facts={"confirm": ("no", "yes")},
        script=("the bennett one",),
        bookings=OFFICE_AND_SKIN,
        held_out=True,
    ),
    # A pause for later dates cannot be scheduled: nothing is paused early, the patient is told how.
    Scenario(
        "meds-pause-for-a-trip-later",
        "sms",
        "elderly",
        "Could you please hold my pill reminders while I am visiting my sister next week?",
        lambda u: [told("Nothing was changed")],
        plans=(Plan("metformin"), Plan("lisinopril", ("09:00",))),
        held_out=True,
    ),
    # A yes in words to an appointment reminder confirms the appointment it named.
    Scenario(
        "reminder-yes-in-words",
        "sms",
        "plain",
        "yes sounds good, I'll be there",
        lambda u: [confirmed("a")],
        bookings=A,
        reminded="a",
        held_out=True,
    ),
    # "Would you like to book one?" takes a yes.
    Scenario(
        "list-none-then-book",
        "sms",
        "elderly",
        "Could you tell me when my next appointment is, please?",
        lambda u: [booked(u)],
        facts={"visit": "office visit", "when": "next tuesday morning", "book_another": "yes"},
        held_out=True,
    ),
    # "Forgot, taking it now" is a dose taken.
    Scenario(
        "meds-forgot-taking-now",
        "sms",
        "hurried",
        "oops forgot, taking it now",
        lambda u: [adherence("taken")],
        plans=(Plan("metformin"),),
        medication_reminded=True,
        held_out=True,
    ),
    # A second request after a cancellation is taken up, not lost behind "book another time?".
    Scenario(
        "cancel-then-reminder",
        "sms",
        "multi-request",
        "please cancel my appointment, and also remind me to take my metformin at 7am every day",
        lambda u: [cancelled("a"), plan_set("metformin", "07:00")],
        bookings=A,
        facts={"until": "no end date"},
        held_out=True,
    ),
    # The clinic's staff speak Spanish: a Spanish text goes to them, with a word in Spanish, not a guess.
    Scenario(
        "spanish-asks-for-a-visit",
        "sms",
        "non-native",
        "Hola, necesito una cita para mi hija el martes por la tarde, por favor",
        lambda u: [handed_off(u), told("habla español")],
        held_out=True,
    ),
    # Schedules the tester's patients said (probe 4): how often, from when, two drugs, an end in words.
    Scenario(
        "reminder-twice-a-day-8-and-8", "sms", "hurried",
        "can you remind me to give my son his amoxicillin twice a day for 7 days",
        lambda u: [plan_set("amoxicillin", "08:00,20:00", "FREQ=DAILY", ends=True)],
        facts={"times": "8 and 8"}, upfront=("medication", "days", "until"), held_out=True,
    ),
    Scenario(
        "reminder-every-6-hours", "web", "plain", "remind me to take my tramadol every 6 hours for 5 days",
        lambda u: [plan_set("tramadol", "00:00,06:00,12:00,18:00", "FREQ=DAILY", ends=True)],
        facts={"times": "6am, noon, 6pm and midnight"}, upfront=("medication", "until"), held_out=True,
    ),
    Scenario(
        "reminder-starting-monday", "sms", "plain",
        "starting monday, remind me to take doxycycline at 9am and 9pm for 14 days",
        lambda u: [plan_set("doxycycline", "09:00,21:00", "FREQ=DAILY", ends=True)],
        upfront=("medication", "times", "days", "until"), held_out=True,
    ),
    Scenario(
        "reminder-two-medications", "sms", "multi-request",
        "remind me to take metformin at 8am and 8pm and my lisinopril at 9am",
        lambda u: [plan_set("metformin", "08:00,20:00"), plan_set("lisinopril", "09:00")],
        held_out=True, max_turns=14,
    ),
    Scenario(
        "reminder-until-my-physician-says", "web", "elderly", "Please remind me to take my losartan at 8am daily.",
        lambda u: [plan_set("losartan", "08:00", "FREQ=DAILY", ends=False)],
        facts={"until": "Until my physician tells me otherwise."}, upfront=("medication", "times", "days"),
        held_out=True,
    ),
    # A medical question beside a refill is answered too (the nurse line), not dropped.
    Scenario(
        "refill-and-a-side-effect",
        "sms",
        "multi-request",
        "refill my metformin please, and is it normal that it upsets my stomach?",
        lambda u: [refill("metformin"), told("nurse line")],
        plans=(Plan("metformin"),),
        held_out=True,
    ),
    # Three things in one text: the question answered, the booking made, and the cancellation not lost.
    Scenario(
        "cancel-book-instead-and-ask",
        "sms",
        "multi-request",
        "cancel my appointment, book me a flu shot next tuesday instead, and do you take medicaid",
        lambda u: [cancelled("a"), booked(u, type_code="vaccination"), told("Medicaid")],
        bookings=A,
        facts={"appointment": "the office visit"},
        held_out=True,
    ),
    # Someone else's appointment is not changed, and the texter's own is not offered in its place.
    Scenario(
        "cancel-my-sons-appointment",
        "sms",
        "plain",
        "hi, I need to cancel my son's appointment for next week",
        lambda u: [told("only change your own appointments")],
        bookings=A,
        held_out=True,
    ),
    # Not coming, said of a day with no appointment: the next appointment is named and asked about (move or
    # cancel?), never a list of what to confirm.
    Scenario(
        "not-coming-with-two",
        "sms",
        "hurried",
        "sick with the flu, not coming in tmrw sorry",
        lambda u: [cancelled("a")],
        bookings=TWO,
        facts={"move_or_cancel": "cancel it", "appointment": "the office visit"},
        held_out=True,
    ),
    # A reminder change beside a cancellation: both are done.
    Scenario(
        "pause-and-cancel",
        "sms",
        "multi-request",
        "please pause my metformin reminders, and cancel my appointment too",
        lambda u: [plan_stopped("metformin"), cancelled("a")],
        bookings=A,
        plans=(Plan("metformin"), Plan("lisinopril", ("09:00",))),
        held_out=True,
    ),
    # One time of a twice-daily plan (probe 5): only that time moves or stops; the other dose stays.
    Scenario(
        "reminder-move-just-the-evening-one", "sms", "plain",
        "can you move just my evening metformin reminder to 9pm",
        lambda u: [plan_retimed("metformin", "08:00,21:00")],
        plans=(Plan("metformin", ("08:00", "20:00")),), held_out=True,
    ),
    Scenario(
        "reminder-stop-the-evening-one", "web", "plain",
        "stop the evening metformin reminder, i only take it in the morning now",
        lambda u: [plan_retimed("metformin", "08:00")],
        plans=(Plan("metformin", ("08:00", "20:00")),), held_out=True,
    ),
    # A question about refills is answered; nothing is filed for "policy".
    Scenario(
        "refill-policy-question", "sms", "digression",
        "lol this pharmacy line is killing me, anyway whats the refill policy",
        lambda u: [told("one business day")],
        held_out=True,
    ),
    Scenario(
        "refill-not-come-through", "sms", "plain",
        "my refill for lisinopril didnt come through yet, any update?",
        lambda u: [handed_off(u), told("check on your refill")],
        plans=(Plan("lisinopril", ("09:00",)),), held_out=True,
    ),
]
