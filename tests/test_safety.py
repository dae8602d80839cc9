"""The deterministic emergency layer: every clear case caught, idioms left alone."""

import pytest

from bot import safety

EMERGENCIES = {
    "i have chest pain": "chest_pain",
    "my dad is slurring and can't stay awake, he's diabetic and sweaty": "stroke",
    # Found by the third round of simulated patients: the parking FAQ answered the first, a note the second.
    "I'm sitting in my car in the closed garage with the engine running": "overdose",
    "my wife is gray and sweaty and says her jaw and left arm hurt": "chest_pain",
    # Found by a simulated patient playing in unusual words (2026-12-07); each was missed or only "suspected".
    "i cant feel the left side of my face and my words are coming out wrong": "stroke",
    "i have a plan to end things tonight and ive written letters to my kids": "self_harm",
    "I don't see a reason to keep going. I've been giving my things away.": "self_harm",
    "thinking about jumping off the bridge near my house tonight": "self_harm",
    "wheezing so bad i can only get a couple words out at a time": "breathing",
    "my baby is floppy and wont feed and is really hard to wake": "unresponsive",
    "cut my hand with a saw, the blood is soaking through three towels": "bleeding",
    "mi esposo no puede respirar, ayuda": "breathing",
    # Still missed after that: a method, means made ready, a time set, a farewell, a drug named by name.
    "I'm going to hang myself when everyone's asleep": "self_harm",
    "im going to hang myself tonight": "self_harm",
    "got a rope ready in the garage. nobody will miss me": "self_harm",
    "I won't be here tomorrow, thanks for everything": "self_harm",
    "been saving my oxys all month, tonight's the night": "overdose",
    "i took two weeks worth of my seroquel at once": "overdose",
    "no I didn't take it. I want to take all of them and not wake up": "self_harm",
    "life isn't worth it anymore and I have a gun at home": "self_harm",
    "i just want to go to sleep forever. ive got all my pills lined up": "self_harm",
    "cut my wrists pretty deep and it won't stop": "self_harm",
    "mom took like 20 of her tylenol on purpose": "overdose",
    # Found by round-4 testers: in reply to a dose reminder each was "noted as taken", with no crisis reply.
    "I think I took too many, I took like 10 of them": "overdose",
    "I took like 10 of them by mistake": "overdose",
    "i took too much, i feel really weird": "overdose",
    "took them all at once": "overdose",
    # ... and these got only the soft note and the fallback.
    "I have very big pain in heart now and left arm": "chest_pain",
    "whats the point of living anymore": "self_harm",
    "i took all my sleeping pills": "overdose",
    "took a lot of my anxiety meds": "overdose",
    "Crushing pressure in my chest!!": "chest_pain",
    "my husband is having a heart attack": "chest_pain",
    "i cant breathe": "breathing",
    "cant breath": "breathing",
    "I can't breathe properly": "breathing",
    "trouble breathing since this morning": "breathing",
    "my moms face is drooping and her speech is slurred": "stroke",
    "i think im having a stroke": "stroke",
    "bleeding wont stop": "bleeding",
    "severe bleeding from a cut": "bleeding",
    "i took too many pills": "overdose",
    "my son swallowed bleach": "poisoning",
    "i think i overdosed": "overdose",
    "i want to kill myself": "self_harm",
    "i've been having suicidal thoughts": "self_harm",
    "I want to end my life": "self_harm",
    "i dont want to live anymore": "self_harm",
    "my throat is closing": "allergic_reaction",
    "lips swelling after peanuts, used my epipen": "allergic_reaction",
    "severe allergic reaction": "allergic_reaction",
    "my dad is unresponsive": "unresponsive",
    "i took the whole bottle": "overdose",
    "everyone would be better off without me": "self_harm",
    "need an ambulance": "ambulance",
    "call 911": "ambulance",
    "mi esposo no respira": "breathing",
    "tengo dolor de pecho": "chest_pain",
    # Held-out phrasings the classifier alone had missed or misread.
    "i swallowed all my pills": "overdose",
    "my daughter swallowed something from under the sink": "poisoning",
    "my toddler ate some of my pills": "poisoning",
    "i took all my pills at once": "overdose",
    "i cant catch my breath": "breathing",
    "my lips are turning blue": "breathing",
    "worst headache of my life came on suddenly": "stroke",
    "my mom cant lift her arm and her smile is crooked": "stroke",
    "i am throwing up blood": "bleeding",
    "thinking of ending it": "self_harm",
    "ive been cutting myself and its deep": "self_harm",
    "no reason to keep living": "self_harm",
    "my throat feels like its closing up": "allergic_reaction",
    "he fell and hit his head and isnt moving": "unresponsive",
    "my baby is limp and wont respond": "unresponsive",
    "help im having an emergency": "ambulance",
    "i think im dying": "ambulance",
    "she swallowed a whole bottle of my sleeping pills": "overdose",
    "my chest feels like an elephant is sitting on it": "chest_pain",
}

NOT_EMERGENCIES = [
    # The insurer, not a colour of the lips: "is blue" once read as someone turning blue.
    "is Blue Cross accepted here",
    # Found by the second round of simulated patients: each got the full crisis reply.
    "I nearly passed out when I saw the bill lol, who do I talk to about it",
    "my jaw hurts when i chew, can i see someone",
    "the car is running rough, can i still make my 3pm",
    "lol i almost fainted at the price of my copay",
    "I think I overdosed on coffee today lol, anyway what time do you close",
    # Found by the same simulated patients: each got the full crisis reply and lost its request.
    "was at the ER last Tuesday with chest pains, they told me to set up a follow up with my regular doctor",
    "your last bill gave me a heart attack, can someone explain the charges",
    "the shortness of breath I had with covid is gone now, can I get a note saying I can go back to the gym",
    "hurt my shoulder working on my breast stroke at swim practice, can I be seen this week",
    "im going to die of boredom in your waiting room, how much longer",
    "my cardiologist wants me seen 2 weeks after my heart attack, can I book that with Dr Alvarez",
    "since my stroke I can't drive, can my visits be by video?",
    "I volunteer on a suicide hotline and need a TB test for it, do you do those?",
    "are blue shield plans in network",
    # A service, an instruction for later, a habit in sleep, a chronic problem: each asks for a visit.
    "I need a referral to the chest pain clinic my cardiologist mentioned",
    "I was told to come in if the chest pain came back. It hasn't, so can I cancel?",
    "my husband snores and stops breathing for a few seconds at night, can he get a sleep study",
    "my periods have had really heavy bleeding for months, I'd like an appointment",
    "I won't be here tomorrow, can we move my visit",
    "I took 20 mg lisinopril this morning",
    "took all my morning pills, thx for the reminder",
    "yep swallowed it w breakfast",
    # A small extra dose by mistake is for the nurse line or a pharmacist, not 911 (bot.reminders.reply_words).
    "took 2 by accident",
    "i think i took it twice",
    "I took too much time off work, can I get a doctors note",
    "whats the point of the patient portal if nobody answers",
    "I need a heart checkup",
    "pain in my arm since the flu shot",
    "I could shoot myself for forgetting my appointment",
    "I'm dying to know my lab results",
    "kill the reminder",
    "please kill all my reminders",
    "this wait is killing me",
    "what are your hours",
    "book me with dr patel",
    "a stroke of luck, i found a slot",
    "i need a refill of my heart medication",
    "yes i took all my pills this morning",
    "my son ate some pizza and wants a checkup",
    "my daughter got into college, can she keep her pediatrician",
    "the line isn't moving, how long is the wait",
    "is it an emergency if my rash is itchy",
    "can i end my reminders",
    # Negations, past events, topics and form answers (the crisis reply used to end these requests).
    "no chest pain, just a bad cough",
    "I had chest pain last year, the doctor said to schedule a follow up",
    "I was in the ER last week for chest pain and they told me to book a follow up",
    "what's the number for the suicide prevention training class you host",
    "no end date",
    "I ended my prescription",
    "my grandfather had a stroke in 2020, can he get a physical therapy referral",
    "what are the signs of a heart attack",
    "this is not an emergency, my ear hurts",
    "that bill almost gave me a heart attack",
]

STILL_EMERGENCIES = {
    "the chest pain went away but now its back": "chest_pain",
    "my chest pain is not gone": "chest_pain",
    "had chest pain last year and now it's back": "chest_pain",
    "no, i can't breathe": "breathing",
    "I had a stroke in 2019. Now my face is drooping": "stroke",
    "my chest is killing me": "chest_pain",
    "he isn't breathing": "breathing",
    "she is bleeding heavily and it won't stop": "bleeding",
    "my period is so heavy, bleeding heavily and it won't stop": "bleeding",
    "the chest pain came back and it's worse": "chest_pain",
    "my baby stopped breathing for a few seconds and turned blue": "breathing",
}


@pytest.mark.parametrize("text,category", EMERGENCIES.items())
def test_clear_emergencies_are_caught(text: str, category: str) -> None:
    assert safety.detect(text) == category


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_alarming_words_alone_are_not_emergencies(text: str) -> None:
    assert safety.detect(text) is None


@pytest.mark.parametrize("text,category", STILL_EMERGENCIES.items())
def test_a_past_or_denied_episode_does_not_hide_a_present_one(text: str, category: str) -> None:
    assert safety.detect(text) == category


@pytest.mark.parametrize(
    "text",
    [
        # Found by simulated patients: the crisis reply for frustration with the clinic's phones, said after a
        # comma (the clause before it was read alone).
        "i cant do this anymore, the wait on the phone line is too long",
        "I can't take this anymore, 3 calls and nobody picks up",
        "im done with this, been on hold 40 min",
        "this is killing me, nobody answers the phone",
        "the phone line is so slow i cant do this anymore",
        "cant do this anymore, nobody ever calls back, can i just book online",
        "what's the point anymore, you never have openings",
    ],
)
def test_frustration_with_the_clinics_service_is_no_emergency(text: str) -> None:
    assert safety.detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "i cant do this anymore",
        "i cant do this anymore, i want to end it",
        "i can't go on, nobody would miss me",
        "my wife left, i cant do this anymore",
        # The service named, but a crisis said beside it.
        "i cant do this anymore, nobody answers the phone, i want to die",
        "whats the point anymore",
    ],
)
def test_despair_not_aimed_at_the_service_is_still_an_emergency(text: str) -> None:
    assert safety.detect(text) == "self_harm"


def test_crisis_reply_names_911_and_988() -> None:
    assert "911" in safety.CRISIS_REPLY and "988" in safety.CRISIS_REPLY


def test_a_suspected_emergency_gets_the_note_and_a_confirmed_one_never_both() -> None:
    from bot.safety import SUSPECTED_EMERGENCY_NOTE, suspected_emergency_note

    assert (
        suspected_emergency_note({"intent": {"name": "book_appointment"}, "emergency_suspected": 0.6})
        == SUSPECTED_EMERGENCY_NOTE
    )
    assert suspected_emergency_note({"intent": {"name": "emergency"}, "emergency_suspected": 0.6}) is None
    assert suspected_emergency_note({"intent": {"name": "book_appointment"}}) is None


@pytest.mark.parametrize(
    "text",
    [
        # Round-5 testers: a crisis word a slip away from its spelling was not read.
        "i wanna end my lfe tonite",
        "i want to end my lif",
        "gonna kil myslf",
        "thinking about suicde again",
        "i keep thinking about sucide",
        "i dont want to liv anymore",
        "i wanna die",
        "wana die",
        "kms",
    ],
)
def test_crisis_words_are_read_through_typos(text: str) -> None:
    assert safety.detect(text) == "self_harm"


def test_an_overdose_is_read_through_a_typo() -> None:
    assert safety.detect("i think i overdozed") == "overdose"


@pytest.mark.parametrize(
    "text",
    [
        # English words one slip from a crisis word stay themselves.
        "i feel ill myself, can i book too",
        "i fill myself up on water before my weigh in",
        "i will myself to walk every morning, any tips for my knee",
        "i overdone it at the gym, my back hurts",
        "she overdoes it at work and gets headaches",
        "i want to end my lift membership",
        "my wife is sick, can i book for her",
        "life insurance form needs a signature, and i want to end my life insurance exam early",
        "just need to kill time before my appointment",
        "end of my lease is next month, new address coming",
        "gonna die my hair before my visit, is that ok",
    ],
)
def test_words_near_crisis_words_are_not_emergencies(text: str) -> None:
    assert safety.detect(text) is None


@pytest.mark.parametrize(
    "word,meant",
    [("lfe", "life"), ("lif", "life"), ("lfie", "life"), ("kil", "kill"), ("myslf", "myself"), ("myslef", "myself"),
     ("suicde", "suicide"), ("overdoze", "overdose"), ("tonite", "tonight"), ("wana", "wanna"),
     ("lift", "lift"), ("like", "like"), ("ill", "ill"), ("fill", "fill"), ("overdone", "overdone"), ("is", "is")],
)
def test_a_word_one_slip_from_a_crisis_word_is_read_as_it(word: str, meant: str) -> None:
    from bot.safety_spelling import crisis_word

    assert crisis_word(word) == meant


@pytest.mark.parametrize(
    "text",
    [
        "this is my last message, goodbye everyone, I'm done with life",
        "im done with life",
        "goodbye forever",
        "this is goodbye.",
        "I won't be around much longer",
        "this is my final text. goodbye and thank you for everything",
        "goodbye everyone. i love you all",
    ],
)
def test_a_farewell_said_as_an_ending_is_an_emergency(text: str) -> None:
    assert safety.detect(text) == "self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "goodbye, thanks for your help",
        "ok thats all, bye and thanks for everything",
        "we're moving to denver next month so this is goodbye, thanks for everything",
        "i'm switching to a clinic closer to home, goodbye everyone and thank you",
        "did you get my last message? ok bye",
        "I'm done with my antibiotics, do i need a follow up",
        "life is busy, can I reschedule",
        "I'm finished with my life coaching program so friday afternoons are free now",
    ],
)
def test_an_ordinary_goodbye_or_done_is_not_an_emergency(text: str) -> None:
    assert safety.detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my 2 year old drank some bleach",
        "my 3 yr old chewed on a button battery from the remote",
        "baby got into the dishwasher pods and bit one",
        "my son drank antifreeze out of the garage",
        "my toddler took some of my pills",
        "my 3 yr old took some of grandma's oxycodone",
        "my husband drank some of the weed killer by mistake",
    ],
)
def test_something_swallowed_that_poisons_is_a_poisoning(text: str) -> None:
    assert safety.detect(text) == "poisoning"


@pytest.mark.parametrize(
    "text",
    [
        "bleach stains on my scrubs",
        "i ate lunch and then cleaned the bathroom with bleach",
        "my kid took his adhd meds this morning",
        "my 10 year old took 2 tylenol for her headache",
        "my kid ate a crayon, should i worry",
        "can you change the battery in my hearing aid",
        "my son is allergic to laundry detergent",
        "my son drank antifreeze last year, he needs his follow up",
    ],
)
def test_household_words_without_a_poisoning_are_not_emergencies(text: str) -> None:
    assert safety.detect(text) is None
