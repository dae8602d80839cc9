"""What the emergency layer (bot.safety) looks for: the words of each kind of emergency, and the figures of
speech that use those words without one. Kept apart from the rules that discount a match (negated, past,
talked about) so the two can grow without either module outgrowing a read."""

from __future__ import annotations

from bot.safety_poisoning import POISONING

# Someone other than the writer, as patients text about a child, a parent or a partner.
SOMEONE = (
    r"(he|she|they|baby|toddler|child|kid|son|daughter|dad|father|mom|mum|mother|husband|wife|partner|"
    r"grandma|grandpa|friend|[0-9]+ ?(year|yr|month)s? old)"
)

# Despair said plainly ("i cant do this anymore"): an emergency alone, but frustration with the clinic when the
# same or a neighbouring clause complains of its service ("..., the wait on the phone line is too long"). Clauses
# split at commas, so bot.safety reads the service beside it (SERVICE) rather than this pattern looking ahead.
# Only the clinic's own service counts: "i cant do this anymore, lost my job" stays an emergency.
EXASPERATION = r"(can'?t|cant|cannot) do (this|it) any ?more\b|\b(what|wat)(s|'s| is)? (even )?the point any ?more\b"
SERVICE = (
    r"\b(wait|waiting|waited|on hold|hold|queue|phone|phones|line|voicemail|app|bot|website|chat|receptionist"
    r"|front desk|(\d+|two|three|four|five|ten) calls|(nobody|no one|noone) (answers|picks up|calls back|replies)"
    r"|(picks?|picked) up|call(s|ed|ing)? back|openings|slots|availability)\b"
)

# Five or more doses, roughly counted ("like 10", "about twelve"); the caller closes the group, adding its own words.
_MANY = (
    r"(like |about |around |over |maybe |almost |nearly |at least )?([5-9]|[1-9][0-9]+|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty"
)

PATTERNS: dict[str, tuple[str, ...]] = {
    # Before overdose: a child into the pills is a poisoning, and the reply names Poison Control.
    "poisoning": POISONING,
    "chest_pain": (
        r"chest (pain|pains|pressure|tightness|hurts?|(is|feels|getting) (so |really |very )?(tight|crushing|heavy))",
        r"chest is killing (me|him|her)",
        r"(clutching|grabbing|holding) (his|her|my|their) chest",
        r"(elephant|weight) (is )?(sitting|standing|on) (on )?(my|his|her) chest",
        r"chest feels like (an elephant|a weight|something heavy)",
        r"heart attack",
        # A heart attack in lay words: grey and sweaty, the jaw and the left arm hurting together.
        r"(gr[ae]y|ashen|pale|clammy) and (sweaty|sweating|clammy|cold)",
        r"\bjaw\b.{0,20}\b(left )?arm\b.{0,15}\b(hurt|hurts|hurting|pain|aches?|aching)|\bleft arm\b.{0,20}\bjaw\b"
        r".{0,15}\b(hurt|hurts|hurting|pain|aches?|aching)",
        # Pain in the chest or, as patients whose first language is not English say it, the heart ("very big pain in
        # heart now and left arm", "my heart is very pain"); a heart that hurts only with the arm or jaw, or now ("my
        # heart hurts for her" is grief).
        r"(pain|pains|(?<!blood )pressure|tightness) (in|on|at|around) (my |the |his |her )?(chest|heart)\b"
        r"|\b(big|strong|bad|very|severe|sharp) pains? (chest|heart)\b",
        r"\bheart (pain|pains)\b",
        r"\b(chest|heart) (is |are )?((very|so|too|much|big|really) )*(pain|painful)\b",
        r"\bheart (is )?(hurts?|hurting|aches?|aching)\b.{0,40}\b(arm|jaw|now(?! that))\b",
        # Chest or heart with the arm or jaw, either first: "pain in my left arm and chest", "chest and left arm hurt".
        r"\b(chest|heart|(left )?arm|jaw) (and|&) (my |the )?(chest|heart|(left )?arm|jaw)\b.{0,15}"
        r"\b(hurt|hurts|hurting|pain|aches?|aching|tight|numb)\b"
        r"|\b(pain|pains|hurts?|hurting|aches?|aching|numbness) (in |on )?(my |the )?(left )?(arm|jaw) (and|&) "
        r"(my |the )?(chest|heart)\b",
        r"dolor (fuerte )?(en el|de) pecho|me duele (mucho )?el pecho",  # Spanish: chest pain
    ),
    "breathing": (
        r"(can ?not|can'?t|cant|unable to|hard to|struggling to|trouble|difficulty|barely) (breathe?|breathing)",
        r"(can'?t|cant|cannot) get (any )?(air|a breath)",
        r"(can ?not|can'?t|cant|couldn'?t) catch (my|his|her|their) breath",
        r"gasping for (air|breath)",
        r"(not|isn'?t|wasn'?t|stopped|stops) breathing",
        r"(short|shortness) of breath",
        r"choking",
        # ... but not the insurer: "is Blue Cross accepted", "are blue shield plans ok".
        r"(turning|going|is|are) blue\b(?! (cross|shield|care|choice|plan|plans|card)\b)",
        r"breathing (really |very )?(weird|strange|funny)|gurgling",
        r"no (puedo |puede |podemos |pueden )?respir",  # Spanish: "no puedo respirar", "no puede respirar"
        r"(can|could) only (get|say|speak) (out )?(a )?(couple|few|one|two) words",
        r"wheezing (so|really|very) (bad|hard)",
    ),
    "stroke": (
        r"\bstroke\b",
        r"\bslurring\b",
        r"face (is )?(drooping|droopy)",
        r"(smile|face) is (crooked|lopsided|uneven)|crooked smile",
        r"slurr(ed|ing) (speech|words)",
        r"(words|speech|talking) (are |is )?(all )?(jumbled|garbled|slurred|slurring)",
        r"suddenly can'?t (talk|speak|see)",
        r"can'?t (lift|raise|move) (his|her|my|their) (arm|leg)",
        r"worst headache of (my|his|her|their) life",
        r"(one side|half) (of )?(my|his|her|their) (body|face)",
        r"(numb|weak|can'?t move) (on )?(one|my (left|right)) side",
        r"(can'?t|cant|cannot) feel (the )?(left|right|one) side",
        r"words (are |keep )?(coming out|come out) (wrong|weird|funny|garbled)",
    ),
    "bleeding": (
        r"bleeding (heavily|badly|a lot|won'?t stop|that won'?t stop|everywhere)",
        r"(severe|heavy|uncontrolled) bleeding",
        r"(won'?t|wont|can'?t|cant) stop (the )?bleeding",
        r"blood (is )?(gushing|pouring|spurting)|blood everywhere",
        r"(throwing up|vomiting|coughing up) blood",
        r"lost a lot of blood",
        r"(blood|bleeding) (is )?(soaking|soaked|soaks) (through|thru)",
    ),
    "overdose": (
        r"overdos(e|ed|ing)",
        # ... with a kind named ("took all my sleeping pills"), but not a time of day's ("all my morning pills").
        r"(took|swallowed|ate|downed|popped|taken) (way )?(too many|too much|a bunch of|a lot of|all (of )?my) "
        r"(my |his |her |their )?((?!(morning|evening|night|nighttime|bedtime|daily|am|pm)\b)[a-z]+ )?"
        r"(pills|tablets|meds|medication|medicine)",
        r"(took|swallowed|ate|downed|popped|taken) way more",
        # Too many with nothing named, as said to a dose reminder ("I think I took too many", "took way too much
        # again"), but not "took too much time off" or "too many sick days".
        r"(took|swallowed|downed|popped|taken) (way |far )?too (many|much)(?= *$| (of|again|today|tonight|just now"
        r"|by (mistake|accident)|accidentally|i think)\b)",
        # Many doses counted back to the one reminded of: "I took like 10 of them", "swallowed a handful of them";
        # not a count over days ("took 5 of them over the weekend", "... this week for my back").
        rf"(took|swallowed|downed|popped|taken) {_MANY}|a dozen|dozens|a handful|a bunch|a lot|lots|loads) of (them"
        r"|those|these|em)\b(?!.{0,30}\b((over|in|during|this|last|per|a|each|every"
        r"|all) (the |a )?(day|days|week|weeks|weekend|month|months|year|years)|as (prescribed|directed|told))\b)",
        # ... or with nothing counted at all, said as a mistake or in one go: "took 10 by mistake", "took like 12 at
        # once" (a bare "took 10" may be insulin units).
        rf"(took|swallowed|downed|popped|taken) {_MANY}) (pills |tablets )?(by (mistake|accident)|on accident"
        r"|accidentally|at once|in one go|instead of (1|one|2|two)\b(?! ?(mg|mcg|ml|units?)\b))\b",
        # ... or all in one go, but not a morning's pills together: "took them all at once with breakfast".
        r"(took|swallowed|downed|popped|taken) (them|those|these|em|all of (them|those|these|em)) (all )?"
        r"(at once|in one go)(?! (with|like|as|every|in the)\b)",
        # A count of doses, not a strength: "took like 20 of her tylenol" (drug names read as pills, see
        # bot.safety), but not "took 20 mg pills".
        r"(took|swallowed|downed|popped|taken) (like |about |around |over |maybe )?[1-9][0-9]+ "
        r"(?!(mg|mcg|ml|units?|iu)\b)(of )?(my |his |her |the )?\w* ?(pills|tablets|meds|capsules)",
        # Days of doses in one go: "took two weeks worth of my seroquel at once".
        r"(took|swallowed|downed|popped|taken) (a |an |one |two |three |four |[0-9]+ |several |a few )?"
        r"(whole |full |entire )?"
        r"(days?|weeks?|months?)'?s? worth (of )?(my |his |her |the )?\w* ?(pills|tablets|meds|capsules)",
        r"(took|swallowed|drank|downed|ate) (the|a|my|his|her) (whole|entire) (bottle|pack|box)",
        SOMEONE + r"\b.{0,25}\b(swallowed|ate|drank|got into)\b.{0,25}"
        r"\b(pills?|meds|medicine|medication|tablets|something|batter(y|ies)|magnets?|chemicals?|cleaner|detergent|pods?)\b",
        r"(pills|meds|medications?) .{0,20}on purpose",
        # Intent, not only the deed: "going to take all my pills at once tonight", "saved up my pills".
        r"(take|swallow|down) (all|every one|the rest) (of )?(my|his|her|the|these) (pills|meds|medications?|tablets)"
        r" (at once|together|in one go|tonight)",
        # ... unless it is about when to take them ("all my meds in the morning instead of splitting them").
        r"(thinking|thought|think|planning|plan) (of|about|on|to) (taking|take|swallowing|swallow|downing) (all|a whole"
        r" bottle|the whole bottle|every one|the rest)( of)? (my|his|her|the|these)\b(?!.*\b(in the morning|at night|"
        r"at bedtime|with (breakfast|lunch|dinner|food|meals?)|instead of|once a day|every day|daily"
        r"|at the same time)\b)",
        r"(take|swallow|down|drink) (the|a|my) (whole|entire) (bottle|pack|box)",
        r"(pills|meds|tablets) saved( up)?\b|(saved|saving|stockpil(ed|ing)|hoard(ed|ing)) (up )?"
        r"(my |all my |all of my )?(pills|meds|tablets)",
        # Means made ready: "ive got all my pills lined up".
        r"all (of )?(my|his|her|the) (pills|meds|tablets) (lined up|counted out)(?! (in|for) )",
        # "i have a bottle of oxy and im going to use all of it tonight"
        r"(bottle|pack|box|stash) of \w+.{0,40}\b(use|take|swallow|down|finish) (all|the whole|every)\b",
        # Exhaust fumes on purpose: "sitting in my car in the closed garage with the engine running".
        r"(engine|car|motor) (is )?running.{0,40}\b(closed|shut|locked) garage|(closed|shut|locked) garage.{0,50}"
        r"(engine|car|motor) (is )?running"
        r"|(breath(e|ing)|inhal(e|ing)|hose (from|on|to)) (in )?(the )?(exhaust|fumes|tailpipe)",
    ),
    "self_harm": (
        r"\bkill(ing)? my ?self\b",
        r"\bsuicid(e|al)\b",
        r"\bend(ing)? (it all|my life)\b(?! (insurance|policy|coverage)\b)",
        r"(thinking (of|about)|want to|wanna|going to|gonna) end(ing)? it\b",
        r"\b(want|wanna|going) to die\b",
        # Said as texted: "i wanna die", "just want die" (but "gonna die my hair", "wanna die laughing").
        r"\b(want|wanna|gonna) die\b(?! (my|his|her|their|the) hair\b| laughing\b)",
        # ... but not a service named after life: "done with my life coaching program".
        r"\b(done|finished) with (my |this )?(life|living)\b(?! (insurance|policy|coverage|coach(ing|es)?|skills"
        r"|story|lessons?|class(es)?|drawing|support|alert)\b)"
        r"|\bdone living\b(?= *$| (anymore|any more|now)\b)",
        r"(don'?t|do not|dont) want to (live|be alive|wake up|be here)",
        r"can'?t go on (anymore|any more|like this)",
        r"want (it|everything) to (be over|end)",
        r"\b(hurt(ing)?|harm(ing)?|cut(ting)?) my ?self\b",
        r"\bself[- ]?harm",
        r"disappear forever",
        r"better off without me",
        r"no (reason|point) (to|in) (keep )?(live|living|go on|going on)",
        # Hopelessness asked as a question: "whats the point of living anymore", "why do i even bother living", but
        # not "what's the point of living close by if...", "what's the point of going on the waitlist".
        r"\b(what|wat)(s|'s| is)? (even )?(the )?(point|use) (of|in) (living|life|going on|being alive|staying alive"
        r"|carrying on|waking up|keep(ing)? going|existing)(?= *$| (anymore|any more|now|at all|like this|honestly"
        r"|tbh|i)\b)",
        r"\b(nothing|no one|nobody) (left )?to live for\b"
        r"|\bno (reason|point) (living|going on)(?= *$| (anymore|any more|like this|now)\b)"
        r"|\bwhy (do i |should i )?(even )?(bother|keep) (living|going on|waking up)\b",
        r"(don'?t|dont|do not|can'?t|cant) see (the|a|any) point (anymore|any more|in (living|life|going on|being"
        r" alive|waking up))",
        r"\b(to|gonna|going to|will|i'?ll|i will) end it (tonight|today|now|all|for good)\b",
        r"(nobody|no one|noone) (would|will) (care|notice|miss me) if i (was|were|am|died|disappeared)",
        r"tired of (living|life|being alive)|(can'?t|cant|cannot) do life any ?more\b",
        EXASPERATION,
        r"(goodbye|suicide) (letters?|notes?)",
        r"(don'?t|dont|do not|can'?t|cant) see (a|any|the) (reason|point) (to|in) "
        r"(keep(ing)? going|go(ing)? on|liv(e|ing))",
        r"giving (away )?(all )?(my|of my) (things|stuff|belongings|possessions)( away)?",
        r"(have|got|made) a plan to end (it|things|everything|my life)",
        r"\bend(ing)? (things|everything) (tonight|today|for good|now)\b",
        r"jump(ing)? (off|from) (a|the|my|that) (bridge|roof|building|balcony|cliff|overpass|parking garage)",
        r"(step|jump|walk)(ping|ing)? in front of (a|the) (train|bus|truck|car)",
        r"\b(kms|kys)\b|kill myslef|unalive (my ?self|me)",
        r"(go to sleep|fall asleep) and (never|not) wake up",
        # A method said of oneself: "going to hang myself when everyone's asleep", "cut my wrists".
        r"\b(hang(ing|ed)?|shoot(ing)?|drown(ing)?|gas(sing)?|suffocat(e|ing)|strangl(e|ing)) "
        r"(my|him|her|them) ?sel(f|ves)\b(?! in the foot)",
        r"\b(cut|cutting|slash(ed|ing)?) (my|his|her|their) wrists\b|\bslit(ting)? (my|his|her|their) wrists?\b",
        r"(gun|pistol|rifle) (to|in|against) (my|his|her) (head|mouth|temple)",
        # Means acquired: "got a rope ready in the garage", "tied a noose".
        r"\bnoose\b|\b(got|have|bought|tied|found|hung) (a |the |my )?rope\b.{0,30}\b(ready|tied|up|for me|set)\b",
        # Hopelessness: "life isn't worth it anymore", "no reason to keep going", "sleep forever".
        r"\b(life|living)( is|'s)? (not|isn'?t|ain'?t) worth (it|living)\b(?! without)|\bnot worth living\b",
        r"(nobody|no one|noone) (would|will|is going to|gonna) miss me\b(?! (at|in|during|on|for) )",
        r"\b(want|wanna|going|ready) to (go to )?sleep forever\b",
        r"\b(want|wanna|going|gonna|plan|planning) to\b.{0,50}\b(and|to) (never|not) wake (back )?up\b",
        r"(quiero|voy a) (morir|matarme|suicidarme)|me quiero morir|no quiero vivir",
    ),
    "allergic_reaction": (
        r"anaphyla",
        r"(severe|bad) allergic reaction",
        r"throat (is |feels )?(like (it'?s |its )?)?(closing|swelling|swollen)",
        r"throat .{0,20}\bclosing",
        r"(tongue|lips|face) (is |are )?(swelling|swollen)",
        r"used my epi ?pen",
    ),
    "ambulance": (
        r"\b(call|calling|need|get|send) (an? )?(911|ambulance)\b",
        r"\b(this is|i'?m having|im having|having|it'?s|its) an emergency\b",
        r"\b(i think )?(i'?m|im|i am) dying\b",
    ),
    "unresponsive": (
        r"(unconscious|unresponsive|won'?t wake up|not waking up)",
        SOMEONE + r"('?s| is)? (not|isn'?t|won'?t) (responding|respond|moving|move)",
        r"(is|went|gone) limp\b",
        r"hit (his|her|their|my) head.{0,30}(isn'?t|not|won'?t) (moving|responding|waking)",
        r"\b(passed out|fainted|collapsed)\b",
        r"(having|had) a seizure",
        r"(is|so|really|very) floppy\b|(really |very )?hard to wake( up)?|(can'?t|cant|cannot) wake (him|her|them) up",
        r"(about|going|gonna) to pass out\b",
        SOMEONE + r"\b.{0,30}\b(can'?t|cannot|won'?t) stay awake",
    ),
}

# Figures of speech that contain an alarming word but describe no emergency.
IDIOMS = (
    r"dying (to|for)",
    r"kill(ing)? (the|that|this|these|those|all|my) (reminders?|texts?|messages?|alerts?|notifications?|app)",
    r"(?<!chest )(is|are|it'?s) killing me",
    r"(almost|nearly|practically|about to) (gave|give|giving|had|have) (me |him |her )?an? (heart attack|stroke)",
    r"emergency of sorts|(not|isn'?t) an? emergency|\bno emergency|non ?emergency",
    r"to die for",
    # Something that did not happen, or was no drug: "i nearly passed out at the price", "overdosed on coffee".
    r"(almost|nearly|practically) (passed out|fainted|collapsed|died)",
    r"overdos(e|ed|ing) on (coffee|caffeine|sugar|chocolate|candy|cake|netflix|tv|work|sun|carbs|pizza|cookies)",
    # Hyperbole, not a method: "i could shoot myself for forgetting my appointment".
    r"could (just |have )?(shoot|shot|kick|kicked|strangle|strangled) (my|him|her|them) ?sel(f|ves)",
    r"die (of|from) (boredom|embarrassment|laughter|laughing|shame|curiosity|old age|hunger|thirst)",
    # A bill, a price or news does not stop a heart: "your last bill gave me a heart attack".
    r"(gave|give|gives|giving) (me|him|her|us) an? (heart attack|stroke)",
    r"(breast|back|side|swim(ming)?|heat of the) ?stroke",
    r"stroke of (luck|genius)",
    r"food poisoning",
    # Pauses in breathing in sleep, a habit for a sleep study: "snores and stops breathing for a few seconds at
    # night" ("he stopped breathing" and "isn't breathing" still count).
    r"\bstops breathing\b(?=.{0,40}\b(at night|in (his|her|my|their) sleep|while (he|she|i|they) (sleeps?|is sleeping)"
    r"|when (he|she|i|they) sleeps?)\b)",
    # Heavy periods, or heavy bleeding for months: a visit, not 911 ("bleeding heavily and won't stop" still is).
    r"\b(periods?|menstrual|menstruation)\b.{0,30}\b(heavy|severe) bleeding\b"
    r"|\b(heavy|severe) (menstrual |period )?bleeding\b(?=.{0,20}\b(for|over) (the (last|past) )?([a-z0-9]+ )?"
    r"(weeks|months|years)\b)",
    # A blocked nose, not an airway: "can't breathe through my nose, stuffy" (the throat is still read).
    r"(can ?not|can'?t|cant|hard to|trouble|difficulty) breath(e|ing) (out of|through) (my|his|her|their|one|the) "
    r"(nose|nostrils?)",
    # A reply to a medication reminder, not an overdose ("took all my pills at once" still counts).
    r"took all (of )?my (pills|meds|medication|medicine) (today|this morning|tonight|this evening|on time|already)",
)

# Street and short names of pills, read as "pills" like any drug's name: "been saving my oxys all month".
PILL_SLANG = r"(oxys?|oxies|percs|percocets?|vicodins?|xans|xannies|benzos|opioids|opiates|painkillers)"

# A farewell: read over the whole message, since its halves often sit in separate sentences ("I won't be here
# tomorrow, thanks for everything"). Either half alone is ordinary ("i won't be here tomorrow, can we move my visit").
_GOODBYE = r"(thanks? (you )?for everything|good ?bye|bye|farewell|love you all|tell .{1,20} i love)"
_GONE_SOON = (
    r"(won'?t|wont|will not) be (here|around|alive) (tomorrow|much longer|for long|after tonight|by (the )?morning)"
)
# "this is my last message", not "did you get my last message".
_LAST_WORDS = r"(this is|this'?ll be|this will be|here'?s|these are) (my )?(last|final) (message|text|words)"
FAREWELLS = (
    rf"\b({_GONE_SOON}|{_LAST_WORDS})\b.{{0,60}}\b{_GOODBYE}\b",
    rf"\b{_GOODBYE}\b.{{0,60}}\b({_GONE_SOON}|{_LAST_WORDS})\b",
    # Alone: "I won't be around much longer", "goodbye forever", "goodbye cruel world".
    r"\b(won'?t|wont|will not) be alive (tomorrow|much longer|for long|after tonight|by (the )?morning)\b",
    r"\b(won'?t|wont|will not|not going to|not gonna) be (around|alive) (much|for much) longer\b",
    r"\bgood ?bye (forever|for ever|for good|cruel world|world)\b",
)
# A parting that ends a life, or a patient's time with the clinic: "goodbye everyone", "this is goodbye". A reason
# for leaving the clinic (REASON_TO_LEAVE) makes it ordinary: "we're moving to Denver, so this is goodbye".
PARTINGS = (
    r"\bthis is (my )?(final |last )?good ?bye\b",
    r"\bgood ?bye (to )?(everyone|everybody|all|y'?all|all of you)\b(?! (at|in) )",
)
REASON_TO_LEAVE = (
    r"\b(moving|moved|relocat(ing|ed)|retir(e|ing|ed|ement)|transferr?(ing|ed)|switch(ing|ed)?|graduat(ing|ed))\b"
    r"|\b(new|another|different|other) (doctor|dr|clinic|practice|provider|pcp|office|physician|job|state|city)\b"
    r"|\binsurance\b|\bleaving (the|your|this) (clinic|practice|area|office|state|country|town)\b"
)
