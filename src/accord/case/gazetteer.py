"""An offline gazetteer of states and international organisations, for proposing a case's actors.

Countries come from ISO 3166 as :mod:`pycountry` ships it, with the English short names that analyses
actually use ("Russia", not "Russian Federation"; "Turkey" beside "Türkiye"), a customary short id where
the built-in cases use one (``usa``, ``uk``), the capital as an alias for the states most often named by
it, and Kosovo (not in ISO 3166). Organisations are a short hand-kept list of the bodies that recur in
conflict analysis. Adjective forms ("Armenian", "Azerbaijani") are not listed: :func:`adjective_forms`
proposes candidates by the regular English rules and the scaffold keeps those the corpus uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["REGIONS", "Entry", "adjective_forms", "ambiguous", "entries", "slug"]


@dataclass(frozen=True)
class Entry:
    """One actor the gazetteer knows: its id, display name, kind, the forms that name it, and a code."""

    id: str
    name: str
    kind: str
    forms: tuple[str, ...]
    code: str | None = None


def slug(text: str) -> str:
    """An actor id as in the built-in cases: lower-case words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "actor"


# Short English names where ISO's differ from common usage, keyed by alpha-2, with extra forms.
_CUSTOMARY: dict[str, tuple[str, ...]] = {
    "RU": ("Russia", "Russian Federation"),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "US": ("United States", "United States of America", "USA", "U.S.", "US", "America"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "CD": ("DR Congo", "Democratic Republic of the Congo", "DRC"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "PS": ("Palestine", "State of Palestine"),
    "CZ": ("Czech Republic", "Czechia"),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea", "DPRK"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "MM": ("Myanmar", "Burma"),
    "MK": ("North Macedonia",),
    "VA": ("Holy See", "Vatican"),
}
_SHORT_IDS = {"US": "usa", "GB": "uk", "CD": "dr-congo"}
_CAPITALS = {
    "RU": "Moscow",
    "AM": "Yerevan",
    "AZ": "Baku",
    "TR": "Ankara",
    "IR": "Tehran",
    "GE": "Tbilisi",
    "US": "Washington",
    "FR": "Paris",
    "DE": "Berlin",
    "GB": "London",
    "CN": "Beijing",
    "UA": "Kyiv",
    "BY": "Minsk",
    "RS": "Belgrade",
    "XK": "Pristina",
    "IL": "Jerusalem",
    "SY": "Damascus",
    "IQ": "Baghdad",
    "EG": "Cairo",
    "SA": "Riyadh",
    "QA": "Doha",
    "AE": "Abu Dhabi",
    "IN": "New Delhi",
    "PK": "Islamabad",
    "AF": "Kabul",
    "JP": "Tokyo",
    "KP": "Pyongyang",
    "KR": "Seoul",
    "TW": "Taipei",
    "ET": "Addis Ababa",
    "SD": "Khartoum",
    "LY": "Tripoli",
    "YE": "Sanaa",
    "LB": "Beirut",
    "JO": "Amman",
    "MD": "Chisinau",
    "KZ": "Astana",
    "PL": "Warsaw",
    "IT": "Rome",
    "GR": "Athens",
    "CY": "Nicosia",
}
# Seats of government that analyses use for the state itself.
_SEATS = {
    "RU": ("Kremlin", "the Kremlin"),
    "US": ("White House", "Pentagon", "State Department"),
    "GB": ("Downing Street", "Whitehall"),
    "FR": ("Élysée", "Elysee"),
    "CN": ("Zhongnanhai",),
}
# Places that analyses name often but that are regions, not actors.
REGIONS = {
    "Caucasus",
    "South Caucasus",
    "North Caucasus",
    "Transcaucasia",
    "Middle East",
    "Near East",
    "Europe",
    "Asia",
    "Eurasia",
    "Africa",
    "Balkans",
    "Western Balkans",
    "Black Sea",
    "Caspian",
    "Caspian Sea",
    "Mediterranean",
    "Central Asia",
    "Gulf",
    "Persian Gulf",
    "Sahel",
    "Horn of Africa",
    "Latin America",
    "Arctic",
    "Baltic",
    "Levant",
    "West",
    "East",
    "North",
    "South",
    "European",
    "Asian",
    "African",
    "Soviet",
    "Western",
    "Eastern",
    "Caucasian",
    "Balkan",
    "Arab",
}
# Forms too ambiguous to count on their own (a US state, a common word, a first name).
_AMBIGUOUS = {"Jordan", "Chad", "Minsk", "Guinea"}

# id, name, kind, forms: the international bodies that recur in analyses of conflicts.
_ORGANISATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("un", "United Nations", "organisation", ("United Nations", "UN", "U.N.")),
    (
        "unsc",
        "UN Security Council",
        "organisation",
        ("UN Security Council", "United Nations Security Council", "Security Council", "UNSC"),
    ),
    ("unga", "UN General Assembly", "organisation", ("UN General Assembly", "General Assembly", "UNGA")),
    (
        "osce",
        "OSCE",
        "organisation",
        (
            "OSCE",
            "Organization for Security and Co-operation in Europe",
            "Organisation for Security and Co-operation in Europe",
        ),
    ),
    ("osce-minsk-group", "OSCE Minsk Group", "organisation", ("OSCE Minsk Group", "Minsk Group")),
    ("eu", "European Union", "organisation", ("European Union", "EU", "E.U.", "Brussels")),
    ("european-commission", "European Commission", "organisation", ("European Commission",)),
    ("european-parliament", "European Parliament", "organisation", ("European Parliament",)),
    ("council-of-europe", "Council of Europe", "organisation", ("Council of Europe",)),
    ("nato", "NATO", "alliance", ("NATO", "North Atlantic Treaty Organization", "Atlantic Alliance")),
    (
        "csto",
        "CSTO",
        "alliance",
        ("CSTO", "Collective Security Treaty Organization", "Collective Security Treaty Organisation"),
    ),
    ("eaeu", "Eurasian Economic Union", "organisation", ("Eurasian Economic Union", "EEU", "EAEU")),
    (
        "cis",
        "Commonwealth of Independent States",
        "organisation",
        ("Commonwealth of Independent States", "CIS"),
    ),
    (
        "sco",
        "Shanghai Cooperation Organisation",
        "organisation",
        ("Shanghai Cooperation Organisation", "Shanghai Cooperation Organization", "SCO"),
    ),
    ("african-union", "African Union", "organisation", ("African Union", "AU")),
    ("ecowas", "ECOWAS", "organisation", ("ECOWAS", "Economic Community of West African States")),
    ("arab-league", "Arab League", "organisation", ("Arab League", "League of Arab States")),
    ("gcc", "Gulf Cooperation Council", "organisation", ("Gulf Cooperation Council", "GCC")),
    (
        "oic",
        "Organisation of Islamic Cooperation",
        "organisation",
        ("Organisation of Islamic Cooperation", "Organization of Islamic Cooperation", "OIC"),
    ),
    ("asean", "ASEAN", "organisation", ("ASEAN", "Association of Southeast Asian Nations")),
    ("icc", "International Criminal Court", "organisation", ("International Criminal Court", "ICC")),
    ("icj", "International Court of Justice", "organisation", ("International Court of Justice", "ICJ")),
    ("icrc", "Red Cross", "organisation", ("International Committee of the Red Cross", "ICRC", "Red Cross")),
    ("imf", "IMF", "organisation", ("International Monetary Fund", "IMF")),
    ("world-bank", "World Bank", "organisation", ("World Bank",)),
    ("wto", "WTO", "organisation", ("World Trade Organization", "WTO")),
    ("g7", "G7", "organisation", ("G7", "Group of Seven")),
    ("g20", "G20", "organisation", ("G20", "Group of Twenty")),
    ("kfor", "KFOR", "organisation", ("KFOR", "Kosovo Force")),
    ("eulex", "EULEX", "organisation", ("EULEX",)),
    ("opec", "OPEC", "organisation", ("OPEC",)),
)


def _short(name: str) -> str:
    """ISO's "Iran, Islamic Republic of" -> "Iran"."""
    return name.split(",")[0].strip()


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every state and organisation the gazetteer knows, with the forms that name it."""
    import pycountry

    found: list[Entry] = []
    for country in pycountry.countries:
        code = country.alpha_2
        names = list(_CUSTOMARY.get(code, ()))
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value and not value.startswith("the "):
                names.append(_short(value) if attr == "name" else value)
        if code in _CAPITALS:
            names.append(_CAPITALS[code])
        names += _SEATS.get(code, ())
        forms = tuple(dict.fromkeys(n for n in names if n))
        found.append(Entry(_SHORT_IDS.get(code, slug(forms[0])), forms[0], "state", forms, country.alpha_3))
    found.append(Entry("kosovo", "Kosovo", "state", ("Kosovo", "Republic of Kosovo", "Pristina"), "XKX"))
    found += [Entry(i, n, k, f) for i, n, k, f in _ORGANISATIONS]
    return tuple(found)


def ambiguous(form: str) -> bool:
    """Whether a form is too ambiguous to propose an actor by itself (it still counts once the actor is
    in)."""
    return form in _AMBIGUOUS


_IRREGULAR = {
    "France": ("French",),
    "Turkey": ("Turkish", "Turks"),
    "Netherlands": ("Dutch",),
    "Switzerland": ("Swiss",),
    "United Kingdom": ("British",),
    "United States": ("American", "Americans"),
    "China": ("Chinese",),
    "Japan": ("Japanese",),
    "Spain": ("Spanish",),
    "Poland": ("Polish", "Poles"),
    "Greece": ("Greek", "Greeks"),
    "Sweden": ("Swedish",),
    "Finland": ("Finnish",),
    "Denmark": ("Danish",),
    "Ireland": ("Irish",),
    "Iraq": ("Iraqi", "Iraqis"),
    "Israel": ("Israeli", "Israelis"),
    "Pakistan": ("Pakistani", "Pakistanis"),
    "Germany": ("German", "Germans"),
    "Ukraine": ("Ukrainian", "Ukrainians"),
    "Serbia": ("Serbian", "Serbs"),
    "Kosovo": ("Kosovar", "Kosovars", "Kosovan"),
    "Belarus": ("Belarusian", "Belarusians"),
}


def adjective_forms(name: str) -> tuple[str, ...]:
    """Candidate adjective and plural forms of a place name by the regular rules (keep the ones a text uses).

    Armenia -> Armenian(s); Azerbaijan -> Azerbaijani(s); Iran -> Iranian(s); Sudan -> Sudanese.
    """
    if " " in name or not name[:1].isupper():
        return _IRREGULAR.get(name, ())
    stems = [name + "n", name + "an", name + "ian", name + "i", name + "ese", name + "ish"]
    if name.endswith(("a", "e", "y")):
        stems += [name[:-1] + "an", name[:-1] + "ian", name[:-1] + "ish", name[:-1] + "ese", name[:-1] + "i"]
    forms = list(_IRREGULAR.get(name, ()))
    for stem in stems:
        forms += [stem, stem + "s"] if not stem.endswith(("ese", "ish", "i")) else [stem]
        if stem.endswith("i"):
            forms.append(stem + "s")
    return tuple(dict.fromkeys(forms))
