"""Whether a message is written in Spanish, which the clinic's staff speak (bot/clinic.yml `languages`).

The assistant understands English only; a Spanish text gets a person who speaks it rather than a guess.
Common Spanish words that are rare in English texts decide: two of them, and more of them than English ones.
"""

from __future__ import annotations

import re

_SPANISH = frozenset(
    "hola quisiera quiero necesito cita citas por favor gracias médico medico doctora mañana manana tarde "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo semana puedo usted ustedes hijo hija "
    "para una unos tengo dolor receta medicina pastillas buenos buenas días dias cuando dónde donde "
    "hablar español espanol ayuda señor senora".split()
)
_ENGLISH = frozenset("the and i you my to is are can please need appointment with for a an of".split())
_WORD = re.compile(r"[a-záéíóúñü]+")


def looks_spanish(text: str) -> bool:
    words = _WORD.findall((text or "").lower())
    spanish = sum(word in _SPANISH for word in words)
    english = sum(word in _ENGLISH for word in words)
    return spanish >= 2 and spanish > english
