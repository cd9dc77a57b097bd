"""The English event vocabulary: nouns and verbs per event type, not phrases of any one text.

Each type of the case format (``war``, ``clashes``, ``ceasefire`` ...) has a list of cue patterns. A cue
is the sentence's own word for what happened ("truce", "skirmishes", "signed", "told reporters"); the
type follows that word. Two small classes refine the plain lists:

* **weak cues** (:data:`WEAK`): words that often accompany a happening without naming it ("killed",
  "responded"); a date prefers a named happening in its clause over them;
* **breakdown verbs** (:data:`BREAKDOWN`): "collapsed", "broke down", "fell apart" say what became of the
  noun before them: a truce that collapsed is a ceasefire breach, talks that collapsed are still talks.
"""

from __future__ import annotations

import re

__all__ = ["BREAKDOWN", "EVENT_CUES", "WEAK", "cue_pattern"]


def cue_pattern(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``patterns`` on word boundaries."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


_CEASEFIRE = r"(?:cease-?\s?fires?|truces?)"
_WEAPONS = (
    r"(?:arms|weapons|weaponry|missiles?|drones|systems|tanks|aircraft|jets|helicopters|artillery|"
    r"ammunition|munitions|rifles|equipment)"
)

# Order matters only for ties between cues of equal length: the longer cue wins an overlap.
EVENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "ceasefire_breach",
        cue_pattern(
            _CEASEFIRE
            + r"\s+(?:was|were|had\s+been|has\s+been)?\s*(?:broken|violated|breached|collapsed|broke\s+down|faltered)",
            r"cease-?\s?fire\s+violations?",
            r"violations?\s+of\s+the\s+(?:[\w-]+\s+)?" + _CEASEFIRE,
            r"(?:broke|violated|breached)\s+the\s+(?:[\w-]+\s+)?" + _CEASEFIRE,
        ),
    ),
    (
        "ceasefire",
        cue_pattern(
            r"cease-?\s?fires?(?:\s+agreements?)?",
            r"truces?",
            r"armistice",
            r"cessation\s+of\s+(?:hostilities|fighting|combat)",
            r"put\s+an\s+end\s+to\s+the\s+(?:[\w-]+\s+){0,2}war",
            r"halt\s+to\s+the\s+fighting",
        ),
    ),
    (
        "war",
        cue_pattern(
            r"(?<!cold\s)(?<!post-cold\s)wars?(?!\s+(?:rhetoric|games|crimes))",
            r"large-scale\s+military\s+action",
            r"invasion",
            r"invaded",
            r"military\s+intervention",
            r"outbreak\s+of\s+(?:the\s+)?hostilities",
            r"(?<!diplomatic\s)(?<!charm\s)(?:counter-)?offensives?",
            r"(?:captured|seized|recaptured|took\s+control\s+of)",
        ),
    ),
    (
        "clashes",
        cue_pattern(
            r"clash(?:es|ed)?",
            r"fighting",
            r"fought",
            r"hostilities",
            r"skirmish(?:es)?",
            r"flare-ups?",
            r"escalations?",
            r"violence",
            r"military\s+(?:operation|action)",
            r"shelling",
            r"shelled",
            r"opened\s+fire",
            r"shot\s+down",
            r"bomb(?:ed|ing|ings)",
            r"bombard(?:ed|ment)",
            r"exchanged\s+(?:[\w-]+\s+)?fire",
            r"exchanges?\s+of\s+fire",
            r"gunfire",
            r"firefights?",
            r"ambush(?:ed|es)?",
            r"(?:armed|border|military)\s+incidents?",
            r"incidents",
            r"attacks?",
            r"attacked",
            r"raids?",
            r"air\s?strikes?",
            r"battles?",
        ),
    ),
    (
        "arms_deal",
        cue_pattern(
            r"arms\s+(?:sales?|deals?|supplies|supplied|deliveries|transfers?|imports|exports|purchases?)",
            r"(?:weapons|military\s+equipment)\s+(?:sales?|deliveries|supplies)",
            r"(?:sold|supplied|delivered|purchased|bought|acquired)\s+(?:[\w-]+\s+){0,5}" + _WEAPONS,
        ),
    ),
    (
        "agreement",
        cue_pattern(
            r"agreements?",
            r"treaty",
            r"treaties",
            r"protocol",
            r"accords?",
            r"demarcat(?:ed|ion)",
            r"deals?(?!\s+with)",
            r"signed",
            r"memorandum",
            r"agreed\s+(?:to|on|upon)",
            r"pact",
            r"concluded",
            r"established\s+diplomatic\s+relations",
        ),
    ),
    ("summit", cue_pattern(r"summits?", r"(?:presidents|leaders|heads\s+of\s+state)\s+met")),
    (
        "talks",
        cue_pattern(
            r"talks",
            r"negotiations?",
            r"negotiating",
            r"negotiated",
            r"discussions",
            r"consultations?",
            r"consulted",
            r"consulting",
            r"meetings?",
            r"met\s+with",
            r"convened",
            r"mediation",
            r"mediated",
            r"visit(?:ed|s)?",
            r"trip",
            r"phone\s+calls?",
            r"(?:peace|negotiation)\s+process",
            r"conference",
            r"telephoned",
            r"spoke\s+by\s+(?:phone|telephone)",
            r"rounds?\s+of\s+talks",
            r"host(?:ed|s)?\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:talks|delegations|meeting|leaders|ministers|envoys)",
        ),
    ),
    (
        "plan",
        cue_pattern(
            r"plan",
            r"Principles",
            r"road\s?map",
            r"(?:peace\s+)?proposals?",
            r"initiatives?",
            r"put\s+forward",
        ),
    ),
    (
        "statement",
        cue_pattern(
            r"statements?",
            r"interviews?",
            r"speech",
            r"speaking",
            r"remarks?",
            r"called\s+(?:on|for|it|them|this|that)",
            r"criticised",
            r"criticized",
            r"condemned",
            r"declared(?!\s+(?:its|their|an?)\s+(?:[\w-]+\s+)?(?:exit|independence|secession))",
            r"announced",
            r"said",
            r"stated",
            r"claimed",
            r"accused",
            r"blamed",
            r"warned",
            r"urged",
            r"demanded",
            r"insisted",
            r"pledged",
            r"denied",
            r"rejected",
            r"refused",
            r"denounced",
            r"welcomed",
            r"praised",
            r"promised",
            r"vowed",
            r"offered\s+to",
            r"declarations?",
            r"dismissed",
            r"expressed",
            r"indicated",
            r"reiterated",
            r"stressed",
            r"threatened",
            r"appealed",
            r"told\s+(?:reporters|journalists|the\s+press|parliament|a\s+(?:press\s+)?conference)",
            r"(?<!military\s)reactions?",
            r"responded",
        ),
    ),
    (
        "decision",
        cue_pattern(
            r"decisions?",
            r"decided",
            r"extradition",
            r"extradited",
            r"pardon(?:ing|ed)?",
            r"declared\s+(?:its|their|an?)\s+(?:[\w-]+\s+)?(?:exit|independence|secession)",
            r"independence",
            r"became\s+independent",
            r"referendums?",
            r"(?:severed|broke\s+off|suspended|restored)\s+(?:diplomatic\s+)?(?:relations|ties)",
            r"expelled",
            r"recalled\s+(?:its|their)\s+ambassadors?",
            r"sanctions",
            r"martial\s+law",
            r"state\s+of\s+emergency",
            r"(?:re)?opened\s+(?:its|the|their)\s+(?:[\w-]+\s+)?(?:borders?|crossings?|crossing\s+points)",
            r"imposed",
            r"imposing",
            r"recogni[sz](?:ed|ing)",
            r"recognition",
            r"annex(?:ed|ation)",
            r"ratified",
            r"accepted",
            r"approved",
            r"endorsed",
            r"voted",
            r"(?:closed|kept|keeps)\s+(?:its|the|their)\s+borders?\s+(?:with\s+[\w-]+\s+)?closed",
            r"closed\s+(?:its|the|their)\s+borders?",
            r"closure\s+of\s+the\s+border",
            r"drew\s+(?:up\s+)?(?:the\s+)?(?:border|boundary)",
            r"granted",
            r"grant",
        ),
    ),
    (
        "movement",
        cue_pattern(
            r"protests?",
            r"demonstrations",
            r"rall(?:y|ies)",
            r"uprising",
            r"movement",
            r"mobilisation",
            r"mobilization",
            r"riots?",
            r"(?:dispute|quarrel|feud|rivalry)\s+(?:[\w-]+\s+){0,3}?(?:dates?\s+back|started|began|erupted|arose|revived|flared)",
        ),
    ),
    (
        "military_drill",
        cue_pattern(
            r"(?:military\s+)?drills",
            r"(?:military|joint)\s+exercises",
            r"war\s+games",
            r"manoeuvres",
            r"maneuvers",
        ),
    ),
    (
        "institution",
        cue_pattern(
            r"founded",
            r"founding\s+member",
            r"newly-created",
            r"became\s+(?:a\s+)?co-chair",
            r"was\s+(?:set\s+up|established|created)",
            r"(?:established|created|set\s+up|formed|launched)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:commission|group|council|union|organi[sz]ation|alliance|bloc|mission|committee|pact)",
            r"left\s+the\s+(?:[\w-]+\s+){0,3}(?:union|alliance|organi[sz]ation|pact|mission|group|bloc)",
            r"admitted\s+to",
            r"became\s+(?:an?\s+)?(?:[\w-]+\s+)?member",
            r"(?:a\s+)?member\s+of(?:\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:pact|alliance|union|group|organi[sz]ation|bloc|treaty|council))?",
            r"membership",
            r"joined",
            r"applied\s+(?:to\s+join|for\s+membership)",
            r"accession",
            r"withdrew\s+from",
        ),
    ),
    (
        "other",
        cue_pattern(
            r"(?:expanded|deepened|strengthened)\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:ties|cooperation|relations)",
            r"killed",
            r"murdered",
            r"assassinated",
            r"axed",
            r"coup",
            r"elections?",
            r"elected",
            r"arrested",
            r"deployed\s+(?:[\w-]+\s+){0,2}(?:troops|forces|peacekeepers|soldiers|units)",
            r"(?:troops|forces|peacekeepers)\s+(?:[\w-]+\s+){0,3}(?:were|was)\s+deployed",
            r"withdr(?:ew|awal\s+of)\s+(?:its\s+|their\s+|the\s+)?(?:[\w-]+\s+)?(?:troops|forces)",
            r"released",
            r"freed",
            r"prisoner\s+exchanges?",
        ),
    ),
]

# Words that accompany a happening rather than name it: a date takes a named happening of its clause first.
WEAK = re.compile(r"(?i)killed|responded|reactions?|released|freed|convened")

# What became of the noun before: merged into that noun's cue (a ceasefire that collapsed is a breach).
BREAKDOWN = cue_pattern(
    r"collapsed",
    r"(?:broke|breaking)\s+down",
    r"fell\s+apart",
    r"faltered",
    r"failed",
    r"(?:was|were|had\s+been)\s+(?:broken|violated|breached)",
)
