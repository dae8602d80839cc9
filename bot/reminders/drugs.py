"""Recognising a drug's name in a patient's words, wherever it sits in the sentence.

Patients name their medicine in every position ("rx refill: escitalopram thx", "no refills left on
atorvastatin", "I need more of medicine gabapentin"), so a pattern around a verb misses many. A word is a
drug when it is one of the commonly prescribed and over-the-counter medicines below, or when it ends the way
generic names are built (the WHO's International Nonproprietary Name stems: -pril, -sartan, -statin, -olol ...).
"""

from __future__ import annotations

import re

# Commonly prescribed generics and brands, inhalers, insulins and over-the-counter medicines (lower case).
_KNOWN = frozenset("""
acetaminophen adderall advair albuterol allopurinol alprazolam amitriptyline amlodipine amoxicillin
anastrozole apixaban aripiprazole aspirin atenolol atomoxetine atorvastatin augmentin azithromycin baclofen
benadryl benzonatate bisoprolol brilinta budesonide bumetanide bupropion buspirone carbamazepine carbidopa
carvedilol cefdinir celebrex celecoxib cephalexin cetirizine cialis ciprofloxacin citalopram claritin clonazepam
clonidine clopidogrel colchicine concerta coumadin crestor cyclobenzaprine dapagliflozin depakote dexamethasone
diazepam diclofenac dicyclomine digoxin diltiazem diphenhydramine divalproex donepezil doxazosin doxycycline
dulaglutide duloxetine eliquis empagliflozin enalapril entresto epipen epinephrine escitalopram esomeprazole
estradiol eszopiclone ezetimibe famotidine farxiga fenofibrate finasteride flomax flonase fluconazole
fluoxetine fluticasone folic furosemide gabapentin glimepiride glipizide glyburide humalog hydralazine
hydrochlorothiazide hydrocodone hydroxychloroquine hydroxyzine ibuprofen insulin invokana jardiance januvia
keppra ketorolac klonopin lamictal lamotrigine lantus lasix letrozole levemir levetiracetam levothyroxine
lexapro linzess liraglutide lisinopril lithium loratadine lorazepam losartan lovastatin lyrica meclizine
meloxicam memantine metformin methadone methimazole methocarbamol methotrexate methylphenidate
methylprednisolone metoclopramide metoprolol metronidazole mirtazapine montelukast morphine motrin mounjaro
naloxone naproxen narcan nexium nifedipine nitrofurantoin nitroglycerin norco nortriptyline novolog nystatin
olanzapine olmesartan omeprazole ondansetron oxybutynin oxycodone ozempic pantoprazole paroxetine penicillin
pioglitazone plavix pravastatin prednisolone prednisone pregabalin premarin prilosec primidone probiotic
prochlorperazine promethazine propranolol prozac quetiapine ramipril ranitidine rosuvastatin seroquel
sertraline sildenafil simvastatin singulair sitagliptin spiriva spironolactone sumatriptan symbicort synthroid
tadalafil tamoxifen tamsulosin telmisartan temazepam terbinafine tizanidine topiramate tramadol trazodone
triamcinolone triamterene trulicity tylenol valacyclovir valsartan venlafaxine ventolin verapamil viagra
vitamin warfarin wegovy wellbutrin xanax xarelto zetia zithromax zofran zoloft zolpidem zyrtec
""".split())
# Stems of generic names: ACE inhibitors, ARBs, statins, beta blockers, calcium channel blockers, proton pump
# inhibitors, SSRIs and their kin, benzodiazepines, antibiotics, gliflozins, gliptins, gabapentinoids ...
_STEM = re.compile(
    r"[a-z]{3,}(?:pril|sartan|statin|olol|dipine|prazole|tidine|oxetine|aline|pram|azepam|azolam|cillin|mycin"
    r"|cycline|floxacin|gliflozin|gliptin|glutide|pentin|gabalin|triptan|sone|olone|thiazide|semide|tinib|mab"
    r"|vudine|navir|conazole|afil|setron|lukast|tadine|zosin|osin|dronate|parin|xaban|gatran|formin|glinide"
    r"|glitazone|caine|profen|oxacin|azole|idine|amine|ipine|apine|idone|prost)$"
)
# Supplements named in more than one word, whole: "vitamin d" was saved as "vitamin", "fish oil" not read at all.
# Not "vitamin a": "a" is as likely the article ("my vitamin a day late").
_SUPPLEMENT = re.compile(
    r"\b(?:(?:multi)?vitamin\s+(?:b[\s-]?(?:1|2|3|5|6|7|9|12)|b[\s-]?complex|d[\s-]?[23]|k[\s-]?[12]|[cdek])"
    r"|b[\s-]?12|(?:fish|krill|cod liver|flaxseed) oil|omega[\s-]?3s?|folic acid|iron|calcium|magnesium|zinc"
    r"|potassium|biotin|melatonin|coq10|glucosamine)\b"
)
_WORD = re.compile(r"[a-z][a-z\-]+")
# Everyday words that happen to end like a drug ("someone", "cardiologist" do not; these do).
_NOT_DRUGS = frozenset({
    "examine", "determine", "routine", "machine",
    "engine", "online", "deadline", "headline", "guideline", "hotline", "airline", "pipeline", "timeline",
    "discipline", "medicine", "vaccine", "famine", "feminine", "masculine", "genuine", "marine", "doctrine",
    "trampoline", "gasoline", "vaseline", "saline", "baseline", "outline", "decline", "incline", "underline",
    "refine", "combine", "define", "episode", "phone", "someone", "anyone", "everyone", "alone", "done",
    "gone", "none", "stone", "tone", "zone", "ozone", "person", "reason", "season", "lesson",
    "grandson", "program", "diagram", "instagram", "telegram", "kilogram", "amine", "bromine", "iodine",
    "residine", "sardine", "bloodline", "canine", "figurine", "tangerine", "nectarine", "submarine", "cuisine",
})


def is_drug(word: str) -> bool:
    """Whether `word` names a medicine (a known one, or one built like a generic name)."""
    word = word.lower()
    if word in _NOT_DRUGS:
        return False
    return word in _KNOWN or bool(_STEM.fullmatch(word))


def first_drug(text: str) -> str | None:
    """The first medicine `text` names ("rx refill: escitalopram thx" -> "escitalopram", "vitamin d reminder"
    -> "vitamin d")."""
    found = drugs_in(text)
    return found[0] if found else None


def drugs_in(text: str) -> list[str]:
    """Every medicine `text` names, in order, each once ("need refills on metoprolol and also my atorvastatin");
    a supplement of several words whole ("vitamin d3", "fish oil")."""
    lowered = (text or "").lower()
    phrases = [(m.start(), m.end(), m.group(0)) for m in _SUPPLEMENT.finditer(lowered)]
    words = [
        (m.start(), m.end(), m.group(0)) for m in _WORD.finditer(lowered)
        if is_drug(m.group(0)) and not any(start <= m.start() < end for start, end, _ in phrases)
    ]
    return list(dict.fromkeys(name for _, _, name in sorted(phrases + words)))


# Misspelt names ("refll my atorvastatn pls" filed a refill with no drug): a word this close to exactly one known
# name, or one of the patient's own, is it. Kept strict: long words only, the first letter right, one slip in
# a short name and two in a long one; a word that reads as an English ending (-ed, -ing, -ly) is never a drug.
_SHORTEST_MISSPELT = 6
_ENGLISH_ENDING = re.compile(r"(?:ed|ing|ly)$")


def spelled_drug(word: str, own: tuple[str, ...] = ()) -> str | None:
    """The known medicine (or one of `own`, the patient's plans) `word` misspells, else None."""
    word = word.lower()
    if len(word) < _SHORTEST_MISSPELT or word in _NOT_DRUGS or _ENGLISH_ENDING.search(word) or is_drug(word):
        return None
    allowed = 1 if len(word) < 9 else 2
    names = {name.lower() for name in own} | _KNOWN
    close = [(_distance(word, name), name) for name in names
             if name[0] == word[0] and abs(len(name) - len(word)) <= allowed]
    best = sorted(found for found in close if found[0] <= allowed)
    if not best or (len(best) > 1 and best[1][0] == best[0][0]):
        return None  # none close, or two as close: not guessed
    return best[0][1]


def misspelt_drugs(text: str, own: tuple[str, ...] = ()) -> list[str]:
    """The medicines `text` misspells, in order, each once, as they are spelt."""
    found = (spelled_drug(w, own) for w in _WORD.findall((text or "").lower()))
    return list(dict.fromkeys(name for name in found if name))


def _distance(a: str, b: str) -> int:
    """Edits from `a` to `b` (a swap of two neighbouring letters is one: "metfromin")."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
