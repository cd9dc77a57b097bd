"""Proposing a case's actors from its texts: gazetteer names, their adjectives, office holders, other names.

The proposal is for a person to review, so it errs on the side of listing: each actor comes with the
forms the texts use (its aliases), how often and in how many documents it is named, and where the
proposal came from. Three passes over the texts:

1. **Office holders**: "<Country or adjective> <title> <Name>" ("the Ruritanian Foreign Minister Anna
   Vell") makes the name, and its last word, aliases of that state.
2. **Gazetteer**: every form of every state and organisation (:mod:`accord.case.gazetteer`), the
   adjective forms the texts use, and the office holders, longest first on word boundaries. A state or
   organisation named at least ``min_mentions`` times is proposed.
3. **Other names**: capitalised phrases left over (not at the start of a sentence only, not a stop word,
   month or title), named at least ``min_other`` times and, in a corpus of several texts, in two of them.
   A phrase that is part of a longer one ("Karabakh" in "Nagorno-Karabakh") becomes its alias. The kind is
   guessed from the words (Union, Council, Front ... -> organisation; two or three names -> leader).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.case.gazetteer import REGIONS, Entry, adjective_forms, ambiguous, entries, slug

__all__ = ["ProposedActor", "propose_actors"]

_TITLES = (
    r"President|Prime Minister|Foreign Minister|Defen[cs]e Minister|Interior Minister|Minister|Premier|"
    r"Chancellor|King|Queen|Emir|Crown Prince|leader|Vice President|Ambassador|envoy|Speaker|General|"
    r"Chief of Staff"
)
_NAME = r"[A-Z][\w’'.-]*[a-z][\w’'-]*(?:\s+[A-Z][\w’'-]*[a-z][\w’'-]*){0,3}"
_STOP = set(
    """a an and as at but by for from he her his how if in into is it its no nor not of on or our she so that
    the their them then there these they this those to was we were what when where which while who why will
    with yet however although after before during since until also both each either neither such than many
    most more some any all one two three first second last new old other another according despite following
    given including mr mrs ms dr sir president minister prime foreign defence defense secretary general
    chief head deputy monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december spring summer autumn winter read more image
    photo source sources share over under between against about among through towards toward within without
    across beyond northern southern eastern western central today yesterday tomorrow week month year update
    note editor comment comments subscribe advertisement related copyright""".split()
)
_ORG_WORDS = re.compile(
    r"\b(?:Union|Council|Group|Organi[sz]ation|Front|Army|Forces|Movement|Committee|Party|Assembly|Parliament|"
    r"Commission|Court|Bank|Fund|League|Alliance|Agency|Ministry|Office|Mission|Institute|Center|Centre|Board|Guild)\b"
)
# Names of things and places, not actors ("Kessa Dam", "Lachin Corridor").
_THING_WORDS = re.compile(
    r"\b(?:Dam|River|Valley|Lake|Sea|Mountains?|Bridge|Station|Corridor|Road|Street|Square|Pipeline|Canal|Port|Airport|"
    r"Plan|Principles|Agreement|Accords?|Treaty|Declaration|Statement|Summit|Talks|War|Crisis|Conflict|Region|Province)$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|\n\s*)[\"'‘“(]*$")


@dataclass
class ProposedActor:
    """An actor proposed for the scaffold, with the evidence of the proposal."""

    id: str
    name: str
    kind: str
    origin: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    docs: set[str] = field(default_factory=set)
    kind_guessed: bool = False


def _boundary(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])({body})(?![\w-])")


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) or r"(?!x)x"


def _form_table(texts: Mapping[str, str]) -> dict[str, Entry]:
    """Every gazetteer form, plus the adjective forms of states that occur in the texts."""
    table: dict[str, Entry] = {}
    for entry in entries():
        for form in entry.forms:
            table.setdefault(form, entry)
    joined = "\n".join(texts.values())
    words = set(re.findall(r"[A-Z][\w’'-]+", joined))
    for entry in entries():
        if entry.kind != "state":
            continue
        for form in adjective_forms(entry.name):
            if form not in words:
                continue
            owner = table.get(form)
            # "Nigerian" is Nigeria's, not Niger's: the longer name wins; real names are never displaced.
            if owner is None or (form not in owner.forms and len(entry.name) > len(owner.name)):
                table[form] = entry
    return table


def _office_holders(texts: Mapping[str, str], table: dict[str, Entry]) -> dict[str, Entry]:
    """Names that follow "<state form> <title>": each full name and its last word, for their state."""
    states = [f for f, e in table.items() if e.kind == "state"]
    pattern = re.compile(rf"(?<![\w-])({_alternation(states)})(?:[’']s)?\s+(?:{_TITLES})\s+({_NAME})")
    found: dict[str, Entry] = {}
    for text in texts.values():
        for m in pattern.finditer(text):
            name = m.group(2).rstrip(".")
            parts = name.split()
            if parts[0].lower() in _STOP:
                continue
            for alias in {name, parts[-1]}:
                if alias not in table and len(alias) > 2:
                    found.setdefault(alias, table[m.group(1)])
    return found


def _count_known(
    texts: Mapping[str, str], table: dict[str, Entry]
) -> tuple[dict[str, ProposedActor], dict[str, str]]:
    """Mentions per gazetteer entry; also each text with the matched spans blanked out."""
    pattern = _boundary(_alternation(list(table)))
    found: dict[str, ProposedActor] = {}
    used: dict[str, Counter] = defaultdict(Counter)
    solo: dict[str, int] = Counter()
    masked: dict[str, str] = {}
    for doc, text in texts.items():
        chars = list(text)
        for m in pattern.finditer(text):
            entry = table[m.group(1)]
            actor = found.setdefault(
                entry.id, ProposedActor(entry.id, entry.name, entry.kind, _origin(entry))
            )
            actor.mentions += 1
            actor.docs.add(doc)
            used[entry.id][m.group(1)] += 1
            solo[entry.id] += 0 if ambiguous(m.group(1)) else 1
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
        masked[doc] = "".join(chars)
    for actor_id, actor in found.items():
        actor.aliases = [f for f, _ in used[actor_id].most_common() if f != actor.name]
        if not solo[actor_id]:
            actor.mentions = 0  # named only by ambiguous forms ("Jordan"): not proposed on that alone
    return found, masked


def _origin(entry: Entry) -> str:
    if entry.code:
        return f"gazetteer (ISO 3166 {entry.code})"
    return "gazetteer (international organisations)"


def _phrases(doc: str, text: str) -> list[tuple[str, bool]]:
    """Capitalised phrases of a (masked) text, each with whether it starts a sentence."""
    out = []
    for m in re.finditer(rf"(?<![\w’'-])({_NAME}|[A-Z]{{2,6}})(?![\w-])", text):
        words = m.group(1).split()
        while words and words[0].lower() in _STOP:
            words = words[1:]
        while words and words[-1].lower() in _STOP:
            words = words[:-1]
        if not words:
            continue
        phrase = " ".join(words).removesuffix("’s").removesuffix("'s")
        if len(phrase) < 3 or phrase.lower() in _STOP:
            continue
        start = m.start() if words == m.group(1).split() else m.start() + m.group(1).find(words[0])
        out.append((phrase, bool(_SENTENCE_START.search(text, max(0, start - 4), start))))
    return out


def _other_names(masked: Mapping[str, str], min_other: int, known: set[str]) -> dict[str, ProposedActor]:
    counts: Counter = Counter()
    inner: Counter = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    for doc, text in masked.items():
        for phrase, initial in _phrases(doc, text):
            counts[phrase] += 1
            inner[phrase] += 0 if initial else 1
            docs[phrase].add(doc)
    need_docs = min(2, len(masked))
    kept = [
        p
        for p, n in counts.items()
        if n >= min_other and inner[p] and len(docs[p]) >= need_docs and not _not_an_actor(p, known)
    ]
    kept.sort(key=lambda p: (-counts[p], p))
    found: dict[str, ProposedActor] = {}
    for phrase in kept:
        parent = next((found[k] for k in found if _part_of(phrase, k) or _part_of(k, phrase)), None)
        if parent is not None:
            parent.aliases.append(phrase)
            parent.mentions += counts[phrase]
            parent.docs |= docs[phrase]
            continue
        kind = (
            "organisation"
            if _ORG_WORDS.search(phrase)
            else "leader"
            if _looks_like_person(phrase)
            else "de_facto_state"
        )
        found[phrase] = ProposedActor(
            slug(phrase),
            phrase,
            kind,
            "name found in the texts (kind guessed)",
            [],
            counts[phrase],
            set(docs[phrase]),
            True,
        )
    _merge_adjectives(found, counts, docs)
    return found


def _not_an_actor(phrase: str, known: set[str]) -> bool:
    """A region ("South Caucasus"), or a compound of names already known ("Armenian-Azerbaijani")."""
    parts = [p for p in re.split(r"[\s-]+", phrase) if p]
    return (
        phrase in REGIONS
        or bool(_THING_WORDS.search(phrase))
        or all(p in known or p in REGIONS for p in parts)
    )


def _part_of(short: str, long: str) -> bool:
    """Whether ``short`` is a word or hyphen part of ``long`` ("Karabakh" of "Nagorno-Karabakh")."""
    return short != long and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None


def _looks_like_person(phrase: str) -> bool:
    words = phrase.split()
    places = {
        "North",
        "South",
        "East",
        "West",
        "New",
        "Upper",
        "Lower",
        "Greater",
        "Little",
        "Saint",
        "San",
        "Santa",
    }
    return (
        2 <= len(words) <= 3
        and words[0] not in places
        and all(w[:1].isupper() and w[1:].islower() for w in words)
    )


def _merge_adjectives(found: dict[str, ProposedActor], counts: Counter, docs: dict[str, set[str]]) -> None:
    """ "Varnian" is Varnia's: adjective forms of a one-word name join it as aliases."""
    for phrase, actor in list(found.items()):
        if " " in phrase or phrase not in found:
            continue
        for form in adjective_forms(phrase):
            if form in counts and form != phrase:
                actor.aliases.append(form)
                actor.mentions += counts[form]
                actor.docs |= docs[form]
                found.pop(form, None)


def propose_actors(
    texts: Mapping[str, str], min_mentions: int = 1, min_other: int = 3
) -> list[ProposedActor]:
    """Actors named in ``texts`` (doc id -> text), most named first; see the module docstring."""
    table = _form_table(texts)
    table.update(_office_holders(texts, table))
    known, masked = _count_known(texts, table)
    proposed = [a for a in known.values() if a.mentions >= min_mentions]
    taken = {a.id for a in proposed}
    for actor in _other_names(masked, min_other, set(table)).values():
        if actor.id not in taken:
            proposed.append(actor)
            taken.add(actor.id)
    proposed.sort(key=lambda a: (-a.mentions, a.id))
    return proposed
