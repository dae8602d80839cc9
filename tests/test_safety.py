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
    "my chest feels like an elephant is sitting on it": "chest_pain",
}

NOT_EMERGENCIES = [
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
]


@pytest.mark.parametrize("text,category", EMERGENCIES.items())
def test_clear_emergencies_are_caught(text: str, category: str) -> None:
    assert safety.detect(text) == category


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_alarming_words_alone_are_not_emergencies(text: str) -> None:
    assert safety.detect(text) is None


def test_crisis_reply_names_911_and_988() -> None:
    assert "911" in safety.CRISIS_REPLY and "988" in safety.CRISIS_REPLY
