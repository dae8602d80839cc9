"""What a medicine is for, said in place of its name: "my blood pressure medicine", "my cholesterol pill".

A condition is never a drug: "refill my blood pressure medicine" filed a refill for "blood". The patient's plan
for that condition is found by the drug's class (the stems generic names are built from, and common brands);
a drug known to be for something else is not it, and one this list does not know may be.
"""

from __future__ import annotations

import re

from bot.reminders.drugs import is_drug

# The condition as the patient may say it, and the medicines for it: names, and endings of generic names.
_CONDITIONS: dict[str, tuple[str, str]] = {
    # "my heart pills" was filed as a refill for "heart". Before blood pressure: "heart" is no "high blood".
    "heart": (
        r"heart|cardiac|a-?fib|atrial fibrillation|angina|irregular heartbeat|heart rhythm",
        r"\w+(olol|xaban|gatran)|carvedilol|digoxin|amiodarone|dofetilide|flecainide|sotalol|nitroglycerin"
        r"|isosorbide|ranolazine|clopidogrel|plavix|ticagrelor|brilinta|warfarin|coumadin|eliquis|xarelto"
        r"|entresto|diltiazem|verapamil|lanoxin",
    ),
    "blood pressure": (
        r"(?:high )?blood pressure|high blood|bp|hypertension|water pills?",
        r"\w+(pril|sartan|olol|dipine|thiazide|semide|zosin)|clonidine|hydralazine|spironolactone|triamterene"
        r"|diltiazem|verapamil|lasix|bumetanide|entresto|chlorthalidone|norvasc|zestril|cozaar|diovan",
    ),
    "cholesterol": (
        r"cholesterol|statins?|lipids?",
        r"\w+statin|ezetimibe|zetia|fenofibrate|crestor|lipitor|zocor|pravachol|niacin",
    ),
    "diabetes": (
        r"diabet\w*|blood sugar|sugar|glucose",
        r"\w+(formin|gliflozin|gliptin|glutide|glitazone)|glipizide|glimepiride|glyburide|insulin|lantus|humalog"
        r"|novolog|levemir|januvia|jardiance|farxiga|invokana|ozempic|trulicity|mounjaro|victoza|glucophage",
    ),
    "thyroid": (
        r"thyroid",
        r"levothyroxine|synthroid|levoxyl|unithroid|liothyronine|cytomel|armour|methimazole",
    ),
    "acid reflux": (
        r"acid reflux|reflux|heartburn|stomach acid",
        r"\w+(prazole|tidine)|nexium|prilosec|protonix|pepcid",
    ),
    "depression": (
        r"depression|antidepressants?",
        r"\w+(oxetine|aline|pram)|bupropion|wellbutrin|lexapro|zoloft|prozac|venlafaxine|mirtazapine|trazodone",
    ),
    "anxiety": (
        r"anxiety|panic",
        r"\w+(azepam|azolam|oxetine|aline|pram)|buspirone|hydroxyzine|xanax|klonopin|lexapro|zoloft",
    ),
    # Before "pain", which its words also say: "my nerve pain pills" was filed as a refill for "nerve".
    "nerve pain": (
        r"nerve pain|neuropathy|neuropathic pain|nerve",
        r"gabapentin|neurontin|pregabalin|lyrica|duloxetine|cymbalta|amitriptyline|nortriptyline",
    ),
    "pain": (
        r"pain|arthritis",
        r"\w+profen|naproxen|acetaminophen|tylenol|motrin|meloxicam|tramadol|oxycodone|hydrocodone|norco|gabapentin"
        r"|diclofenac|celecoxib|celebrex|pregabalin|lyrica",
    ),
    "allergy": (
        r"allerg\w*|hay fever",
        r"cetirizine|loratadine|zyrtec|claritin|fexofenadine|allegra|montelukast|singulair|flonase|fluticasone"
        r"|benadryl|diphenhydramine",
    ),
    "asthma": (
        r"asthma|breathing|copd",
        r"albuterol|ventolin|proair|advair|symbicort|spiriva|montelukast|singulair|budesonide|fluticasone",
    ),
    "sleep": (
        r"sleep\w*|insomnia",
        r"zolpidem|ambien|trazodone|eszopiclone|lunesta|temazepam|melatonin",
    ),
}
_SAID = {name: re.compile(rf"\b({said})\b", re.I) for name, (said, _) in _CONDITIONS.items()}
_FOR = {name: re.compile(rf"\b({drugs})\b", re.I) for name, (_, drugs) in _CONDITIONS.items()}


def condition_of(text: str) -> str | None:
    """The condition the words name a medicine by ("refill my blood pressure medicine" -> "blood pressure")."""
    return next((name for name, said in _SAID.items() if said.search(text or "")), None)


def conditions_of(text: str) -> list[str]:
    """Each condition the words name a medicine by: "refill my thyroid pill and my water pill" is two refills
    (only the first was filed). Words one condition took are not read again ("nerve pain" is not also "pain")."""
    found: list[tuple[int, str]] = []  # where each is first said, so they are filed in the patient's order
    taken: list[tuple[int, int]] = []
    for name, said in _SAID.items():
        spans = [m.span() for m in said.finditer(text or "")]
        free = [a for a, b in spans if not any(a < end and start < b for start, end in taken)]
        if free:
            found.append((free[0], name))
        taken += spans
    return [name for _, name in sorted(found)]


def treats(medication: str, condition: str) -> bool | None:
    """Whether a plan's medication is for the condition: True, False (a drug known to be for something else),
    or None (a name this list does not know)."""
    if _FOR[condition].search(medication):
        return True
    return False if any(is_drug(word) for word in re.findall(r"[a-z][a-z\-]+", medication.lower())) else None


def without_conditions(text: str) -> str:
    """The words with each condition said taken out, so that no word of one is read as a drug's name."""
    for said in _SAID.values():
        text = said.sub(" ", text or "")
    return text
