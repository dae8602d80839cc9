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
    r"|glitazone|caine|profen|oxacin|azole|idine|amine|ipine|apine|idone)$"
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
    """The first word of `text` that names a medicine ("rx refill: escitalopram thx" -> "escitalopram")."""
    return next((w for w in _WORD.findall((text or "").lower()) if is_drug(w)), None)


def drugs_in(text: str) -> list[str]:
    """Every medicine `text` names, in order, each once ("need refills on metoprolol and also my atorvastatin")."""
    found = [w for w in _WORD.findall((text or "").lower()) if is_drug(w)]
    return list(dict.fromkeys(found))
