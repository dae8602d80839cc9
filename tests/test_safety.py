"""The deterministic emergency layer: every clear case caught, idioms left alone."""

import pytest

from bot import safety

EMERGENCIES = {
    "i have chest pain": "chest_pain",
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
    "my son swallowed bleach": "overdose",
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
    "my daughter swallowed something from under the sink": "overdose",
    "my toddler ate some of my pills": "overdose",
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
    "are blue shield plans in network",
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
    "had chest pain last year and now it's back": "chest_pain",
    "no, i can't breathe": "breathing",
    "I had a stroke in 2019. Now my face is drooping": "stroke",
    "my chest is killing me": "chest_pain",
    "he isn't breathing": "breathing",
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
