"""What the emergency layer (bot.safety) reads as a poisoning: something swallowed that poisons, whoever swallowed
it, and a young child into medicine that is not their own. Its own category, so the crisis reply can add the
Poison Control line (actions.core)."""

from __future__ import annotations

# Household things that poison when swallowed (one word or two, as patients name them).
CHEMICAL = (
    r"(bleach|clorox|antifreeze|anti freeze|(drain|oven|toilet|toilet bowl|floor|glass|window) cleaner|cleaners"
    r"|cleaning (fluid|liquid|spray|product|products|solution|stuff)|chemicals?|detergent|lye|ammonia|drano|lysol"
    r"|(laundry|dishwasher|detergent|tide|dish|cleaning) pods?|pods|(button |lithium )?batter(y|ies)(?! of)|magnets?"
    r"|(rat |mouse )?poison|pesticide|insecticide|weed ?killer|roundup|lighter fluid|lamp oil|kerosene|gasoline"
    r"|paint thinner|nail polish remover|acetone|hand sanitizer|rubbing alcohol|(windshield )?washer fluid"
    r"|mothballs?|e ?liquid|vape (juice|liquid)|nicotine|essential oils?|fertili[sz]er|peroxide|mouthwash)\b"
)
# Swallowing it: "drank some bleach", "got into the dishwasher pods", "chewed on a button battery". At most three
# words between, none of them starting another clause ("ate lunch and then cleaned with bleach" is no poisoning).
_INGESTED = (
    r"\b(swallowed|drank|drunk|ate|eaten|ingested|chewed( on)?|bit (into|on)|licked|sipped|got into|into the"
    r"|took an? (sip|swig|gulp|drink|bite) (of|from)|had an? (sip|swig|gulp|mouthful|taste) of)"
    r"( (?!(and|then|with|after|before|but|so|while|because|or|to)\b)[a-z']+){0,3} "
)
# A young child, for whom any medicine not their own is a poisoning.
YOUNG = r"(baby|babies|toddler|infant|child|kid|kiddo|little one|[0-9]+ ?(year|yr|month)s? old)"
_NOT_THEIRS = r"(my|our|the|someone'?s|somebody'?s|(?!(his|hers|its|this|is|was|has|ones)\b)[a-z]+'?s)"
_MEDICINE = r"(pills?|meds|medicine|medication|medications|tablets|gummies|vitamins|drugs)\b"
# Many at once, whoever's they are: "a bunch of", "the whole bottle of", "some of".
_MANY_OF = (
    r"((some|a few|a couple|a bunch|a handful|several|all|one|two|[0-9]+|a lot|lots|half) of (the )?|all the"
    r"|(a|the) (whole |full )?bottle of )"
)

POISONING = (
    _INGESTED + CHEMICAL,
    r"(swallowed|drank|ate|got into) .{0,30}under the sink",
    r"\bpoison(ed|ing)\b",
    # "my toddler got into grandma's pills", "my 2 year old ate some of my metformin" (drugs read as pills),
    # but not a child's own dose: "my 6 year old swallowed a pill for the first time", "took his meds".
    YOUNG + r"\b.{0,30}\b(ate|eaten|got into|chewed( on)?|found)\b.{0,30}\b(pills?|meds|medicine|medications?"
    r"|tablets|drugs)\b",
    YOUNG + r"\b.{0,30}\b(took|had|swallowed|drank|ate) (" + _MANY_OF + r"(" + _NOT_THEIRS + r" )?|" + _NOT_THEIRS
    + r" )([a-z]+ )?" + _MEDICINE,
    YOUNG + r"\b.{0,30}\b(swallowed|ate|drank|got into) something\b",
)
