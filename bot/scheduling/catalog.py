"""Which visit a patient asks for: a visit type, a specialty or a provider named in their own words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AppointmentType, Provider, appointment_type_specialties
from bot.scheduling.errors import UnknownProvider, UnknownVisit
from bot.scheduling.settling import settled_visit
from bot.scheduling.vocabulary import ELSEWHERE, PRIMARY_CARE, SPECIALTY_WORDS, STOP_NAMES, TOPIC_WORDS, TYPE_WORDS

# A provider or specialty without a visit type books this general visit.
GENERAL_TYPE = "office_visit"
# "Dr. X" or "doctor X" names someone; "my doctor wants", "the doctor said" do not ("doctor" is then a noun).
_DOCTOR = re.compile(
    r"\bdr\.?\s+([a-z][a-z'\-]+)|(?<!\bmy )(?<!\bthe )(?<!\ba )(?<!\byour )(?<!\bour )(?<!\bhis )(?<!\bher )"
    r"(?<!\btheir )(?<!\bnew )\b(?:doctor|doc)\s+([a-z][a-z'\-]+)"
)
# "any doctor except dr chen", "anyone but chen", "not with dr chen": a provider the patient does not want.
_NOT_WITH = re.compile(
    r"\b(?:except(?: for)?|not|anyone but|anybody but|other than|but not|besides|apart from|rather than|instead of"
    r"|(?:don't|dont|do not) want|no(?= (?:dr|doctor|doc)\b))\s+(?:(?:with|seeing|see)\s+)?(?:(?:dr|doctor|doc)\s+)?"
    r"([a-z][a-z'\-]+)"
)


@dataclass(frozen=True)
class Visit:
    """What to book: a type (its duration) with the specialties that offer it, optionally one provider."""

    type_id: int
    type_name: str
    duration_minutes: int
    specialties: tuple[str, ...]
    provider_id: int | None = None
    provider_name: str | None = None
    # "anyone but Dr. Chen": kept in the key as "-<id>" in the provider's place (there is then no provider).
    excluded_provider_id: int | None = None

    asked_specialty: str | None = None  # "a counselor": the one specialty the patient narrowed the type to

    @property
    def key(self) -> str:
        """"type:provider" and, when the patient asked for one, ":specialty", as the conversation keeps it."""
        narrowed = f":{self.asked_specialty}" if self.asked_specialty and self.provider_id is None else ""
        who = self.provider_id or (f"-{self.excluded_provider_id}" if self.excluded_provider_id else "")
        return f"{self.type_id}:{who}{narrowed}"

    def describe(self) -> str:
        return f"{self.type_name.lower()} with {self.provider_name}" if self.provider_name else self.type_name.lower()

    def with_article(self) -> str:
        """"an annual physical", "a sick visit"."""
        described = self.describe()
        return f"{'an' if described[:1] in 'aeiou' else 'a'} {described}"


def visit_from_key(session: Session, key: str, moving: bool = False) -> Visit | None:
    """The visit a key names; None for a retired type unless `moving` an appointment already booked with it."""
    type_part, _, rest = key.partition(":")
    provider_part, _, specialty = rest.partition(":")
    if not type_part.isdigit():
        return None
    appointment_type = session.get(AppointmentType, int(type_part))
    if appointment_type is None or not (appointment_type.active or moving):
        return None
    provider = session.get(Provider, int(provider_part)) if provider_part.isdigit() else None
    excluded = int(provider_part[1:]) if provider_part[:1] == "-" and provider_part[1:].isdigit() else None
    if specialty not in _specialties_of(session, appointment_type):
        specialty = ""  # staff have since taken the specialty off this type: any of its specialties will do
    return _visit(session, appointment_type, provider, specialty or None, excluded)


def resolve_visit(session: Session, text: str, keep_type: int | None = None) -> Visit | None:
    """The visit named in `text`, None when it names none; UnknownProvider for a doctor we do not have.
    `keep_type`: the visit type asked for earlier, kept when the words change only the provider or specialty
    ("I'd rather see Dr. Alvarez" keeps the follow-up) and that one offers it."""
    providers = session.execute(select(Provider).where(Provider.active.is_(True))).scalars().all()
    offered = select(AppointmentType).where(AppointmentType.active.is_(True))
    types = {t.code: t for t in session.execute(offered).scalars()}
    # "a follow up with dr chen, or actually dr patel": the visit taken back is not read.
    said = settled_visit(text, [_last_name(p) for p in providers] + [t.name for t in types.values()])
    words = " " + re.sub(r"[^a-z0-9'\- ]", " ", said) + " "
    unwanted = next((p for m in _NOT_WITH.finditer(words) if (p := _match_provider(f" {m[1]} ", providers))), None)
    if unwanted is not None:  # the provider not wanted is neither asked for nor a doctor we lack
        words = _NOT_WITH.sub(lambda m: " " if _match_provider(f" {m[1]} ", providers) else m[0], words)
    provider = _match_provider(words, providers)
    # A specialist we do not have is read first, so the words in its name are not read as ours.
    elsewhere_word = next((word for word in ELSEWHERE if f" {word} " in words), None)
    ours = words.replace(f" {elsewhere_word} ", " ") if elsewhere_word else words
    appointment_type = _match_type(ours, types)
    specialty = match_phrase(ours, SPECIALTY_WORDS)
    if specialty is not None and appointment_type is not None and specialty not in _specialties_of(
        session, appointment_type
    ):
        appointment_type = None  # "my daughter has a rash": Pediatrics' general visit, not a skin check elsewhere
    # "an allergist for my hay fever": a specialist we lack, named outright, is said even when a topic word
    # ("fever") suggests a visit; a kind of visit named outright ("my dentist says i need a checkup") is booked.
    if provider is None and specialty is None and _match_type(ours, types, topics=False) is None:
        elsewhere = ELSEWHERE.get(elsewhere_word or "")
        if elsewhere:
            specialties = sorted({p.specialty.lower() for p in providers})
            raise UnknownVisit(
                f"Sorry, we don't have {elsewhere} here. We have {', '.join(specialties)}. "
                "Would one of those help, or what kind of visit would you like?"
            )
    if provider is None:
        asked_for = _DOCTOR.search(words)
        name = (asked_for.group(1) or asked_for.group(2)) if asked_for else None
        if name and name not in STOP_NAMES:
            names = ", ".join(p.name for p in providers)
            raise UnknownProvider(
                f"We don't have a Dr. {name.capitalize()} at the clinic. Our providers are {names}. "
                "Who would you like to see, or what kind of visit is it?"
            )
    kept = session.get(AppointmentType, keep_type) if keep_type is not None and appointment_type is None else None
    wanted = provider.specialty if provider is not None else specialty
    if kept is not None and kept.active and wanted is not None and wanted in _specialties_of(session, kept):
        appointment_type = kept
    if unwanted is not None and provider is None and appointment_type is None:
        # "anyone but Dr. Chen" alone changes only who: the visit asked for earlier, else a general one.
        appointment_type = kept if kept is not None and kept.active else types.get(GENERAL_TYPE)
    if provider is not None:
        offered = _specialties_of(session, appointment_type) if appointment_type else ()
        if appointment_type is None or provider.specialty not in offered:
            appointment_type = types.get(GENERAL_TYPE)
    elif specialty is not None and appointment_type is None:
        appointment_type = types.get(GENERAL_TYPE)
    if appointment_type is None:
        return None
    return _visit(session, appointment_type, provider, specialty, unwanted.id if unwanted and not provider else None)


def _visit(
    session: Session, appointment_type: AppointmentType, provider: Provider | None, specialty: str | None,
    excluded: int | None = None,
) -> Visit:
    specialties = _specialties_of(session, appointment_type)
    if provider is not None:
        specialties = (provider.specialty,)
    elif specialty is not None:
        if specialty not in specialties:
            raise UnknownVisit(
                f"Our {specialty} team doesn't offer a {appointment_type.name.lower()}. "
                "What kind of visit would you like?"
            )
        specialties = (specialty,)
    else:
        specialties = _primary_care(session, specialties)
    return Visit(
        type_id=appointment_type.id,
        type_name=appointment_type.name,
        duration_minutes=appointment_type.duration_minutes,
        specialties=specialties,
        provider_id=provider.id if provider else None,
        provider_name=provider.name if provider else None,
        excluded_provider_id=excluded,
        asked_specialty=specialty if provider is None else None,
    )


def _primary_care(session: Session, specialties: tuple[str, ...]) -> tuple[str, ...]:
    """The primary-care specialties among `specialties` that have someone to see, else all of them (a skin
    check stays with Dermatology)."""
    primary = tuple(s for s in specialties if s in PRIMARY_CARE)
    if not primary:
        return specialties
    staffed = select(Provider.id).where(Provider.active.is_(True), Provider.specialty.in_(primary)).limit(1)
    return primary if session.execute(staffed).first() else specialties


def _specialties_of(session: Session, appointment_type: AppointmentType) -> tuple[str, ...]:
    rows = session.execute(
        select(appointment_type_specialties.c.specialty)
        .where(appointment_type_specialties.c.appointment_type_id == appointment_type.id)
        .order_by(appointment_type_specialties.c.specialty)
    )
    return tuple(rows.scalars())


# "the nurse practitioner", "the np": the clinic's nurse practitioner, when it has one.
_NP = re.compile(r"\bnurse practitioner\b|\b(?:the|an|with|see|w) np\b")


def _match_provider(words: str, providers: list[Provider]) -> Provider | None:
    practitioners = [p for p in providers if p.name.rstrip().endswith(", NP")]
    if _NP.search(words) and len(practitioners) == 1:
        return practitioners[0]
    tokens = words.split()
    by_last_name = {_last_name(p): p for p in providers}
    for token in tokens:
        close = get_close_matches(token, by_last_name, n=1, cutoff=0.85) if len(token) > 3 else []
        if token in by_last_name or close:
            return by_last_name[token if token in by_last_name else close[0]]
    return None


def _last_name(provider: Provider) -> str:
    name = provider.name.split(",")[0].replace("Dr.", "").strip()
    return name.split()[-1].lower()


def _match_type(words: str, types: dict[str, AppointmentType], topics: bool = True) -> AppointmentType | None:
    """The type the words name: a kind of visit said outright before one a topic word suggests (`topics`:
    whether a topic word alone names one)."""
    phrases = {code: TYPE_WORDS.get(code, ()) + (t.name.lower(),) for code, t in types.items()}
    kinds = {code: tuple(p for p in said if p not in TOPIC_WORDS) for code, said in phrases.items()}
    code = match_phrase(words, kinds) or (match_phrase(words, phrases) if topics else None)
    return types.get(code) if code else None


def match_phrase(words: str, phrases: dict[str, tuple[str, ...]]) -> str | None:
    """The key whose longest phrase occurs in `words` (tolerating a typo in single long words)."""
    best: tuple[int, str] | None = None
    tokens = [token for token in words.split() if token not in _NOT_TYPOS]
    single = _single_letters(words)
    for key, options in phrases.items():
        for phrase in options:
            hit = f" {phrase} " in words or f" {_single_letters(phrase)} " in single or (
                " " not in phrase
                and (
                    (len(phrase) > 5 and get_close_matches(phrase, tokens, n=1, cutoff=0.85))
                    or (len(phrase) > 3 and any(_swapped(phrase, token) for token in tokens))
                )
            )
            if hit and (best is None or len(phrase) > best[0]):
                best = (len(phrase), key)
    return best[1] if best else None


# Everyday words a letter away from a visit word, which are no typo of it: "as early as possible" is not "yearly".
_NOT_TYPOS = frozenset({"early"})


def _single_letters(words: str) -> str:
    """`words` with each letter doubled by a slip said once: "flu shott" is "flu shot" (as "flu" alone, it was
    booked as a sick visit), "checkupp" a checkup."""
    return re.sub(r"([a-z])\1+", r"\1", words)


def _swapped(phrase: str, token: str) -> bool:
    """True when `token` is `phrase` with two neighbouring letters swapped: "vidoe", "thearpy"."""
    if len(token) != len(phrase) or token == phrase:
        return False
    differ = [i for i, (a, b) in enumerate(zip(phrase, token, strict=True)) if a != b]
    return len(differ) == 2 and differ[1] == differ[0] + 1 and phrase[differ[0]] == token[differ[1]] and (
        phrase[differ[1]] == token[differ[0]]
    )


def visit_menu(session: Session) -> list[str]:
    """Visit type names to suggest when a patient has not said what kind of visit (retired ones are not)."""
    offered = select(AppointmentType.name).where(AppointmentType.active.is_(True)).order_by(AppointmentType.id)
    return list(session.execute(offered).scalars())
