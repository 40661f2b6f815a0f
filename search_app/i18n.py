"""Interface languages: choosing one per request, and facet values in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import request
from flask_babel import LazyString, get_locale

from indexer.vocabulary import FACET, FACETS, LANGUAGES
from indexer.vocabulary import SORT_LABELS as VOCABULARY_SORT_LABELS

UI_LANGUAGES = LANGUAGES
UI_COOKIE = "ui"


class _Label(LazyString):
    """A label of indexer.vocabulary, resolved in the interface language when it is shown."""

    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__(lambda: labels.get(ui_language()) or labels["en"])


# The labels are declared once, in four languages, in indexer.vocabulary; these are their lazy views.
FACET_LABELS = {facet.name: _Label(facet.labels) for facet in FACETS}
SORT_LABELS = {name: _Label(labels) for name, labels in VOCABULARY_SORT_LABELS.items()}


def select_locale() -> str:
    """``?ui=de``, else the ``ui`` cookie, else the best of Accept-Language, else English."""
    chosen = request.args.get(UI_COOKIE)
    if chosen in UI_LANGUAGES:
        return chosen
    remembered = request.cookies.get(UI_COOKIE)
    if remembered in UI_LANGUAGES:
        return remembered
    return request.accept_languages.best_match(UI_LANGUAGES) or "en"


def ui_language() -> str:
    """The interface language of the current request."""
    return str(get_locale() or "en")


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def language_name(code: str, ui: str | None = None) -> str:
    """``de`` → "German" / "Deutsch" / "alemán" / "allemand", capitalised as a list entry."""
    name = _locale(ui or ui_language()).languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def own_language_name(code: str) -> str:
    """A language's name in itself, for the language switcher: "Deutsch", "Español"."""
    return language_name(code, code)


@lru_cache(maxsize=1)
def _gazetteer():
    """The core's gazetteer (GeoNames and pycountry names, built once per process); None if it cannot load."""
    try:
        from indexer.lexicon.gazetteer import Gazetteer  # noqa: PLC0415 - loaded on the first country shown
    except ImportError:
        return None
    return Gazetteer.load()


def gazetteer():
    """The core's gazetteer, or None when it cannot load (names are then shown as stored)."""
    return _gazetteer()


def country_name(code: str, ui: str | None = None) -> str:
    """An ISO 3166 country code as the reader calls the country: ``DE`` → "Germany" / "Deutschland"."""
    ui = ui or ui_language()
    gazetteer = _gazetteer()
    name = gazetteer.country_name(code, ui) if gazetteer is not None else code
    if name and name != code:
        return name
    return _locale(ui).territories.get((code or "").upper(), code)  # Babel's CLDR names as a fallback


def city_name(name: str, ui: str | None = None) -> str:
    """A city facet value as the reader writes it: ``Munich`` → "München" / "Múnich" / "Munich"."""
    gazetteer = _gazetteer()
    return gazetteer.city_name(name, ui or ui_language()) if gazetteer is not None else name


def facet_value_label(name: str, value: object, ui: str | None = None) -> str:
    """A facet value as the reader should see it, in the interface language."""
    if name == "lang":
        return language_name(str(value), ui)
    if name == "country":
        return country_name(str(value), ui)
    if name == "city":
        return city_name(str(value), ui)
    if name in FACET:
        return FACET[name].value_label(value, ui or ui_language())
    return str(value)
