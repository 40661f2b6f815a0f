"""Interface languages: choosing one per request, and facet values in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import request
from flask_babel import get_locale, lazy_gettext

UI_LANGUAGES = ("en", "de", "es", "fr")
UI_COOKIE = "ui"

FACET_LABELS = {
    "city": lazy_gettext("City"),
    "country": lazy_gettext("Country"),
    "year": lazy_gettext("Year"),
    "theme": lazy_gettext("Theme"),
    "lang": lazy_gettext("Language"),
    "doc_type": lazy_gettext("Type of document"),
}
THEME_LABELS = {
    "Live": lazy_gettext("Live"),
    "Work": lazy_gettext("Work"),
    "Learn": lazy_gettext("Learn"),
    "Connect": lazy_gettext("Connect"),
    "Plan": lazy_gettext("Plan"),
}
DOC_TYPE_LABELS = {
    "profile": lazy_gettext("Good Idea profile"),
    "report": lazy_gettext("Report"),
    "essay": lazy_gettext("Essay"),
    "blog": lazy_gettext("Blog post"),
}
SORT_LABELS = {
    "relevance": lazy_gettext("Relevance"),
    "year": lazy_gettext("Year, newest first"),
    "year_asc": lazy_gettext("Year, oldest first"),
    "title": lazy_gettext("Title"),
    "newest": lazy_gettext("Recently added"),
}


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


def country_name(code: str, ui: str | None = None) -> str:
    """An ISO 3166 country code as the reader calls the country: ``DE`` → "Germany" / "Deutschland"."""
    ui = ui or ui_language()
    gazetteer = _gazetteer()
    name = gazetteer.country_name(code, ui) if gazetteer is not None else code
    if name and name != code:
        return name
    return _locale(ui).territories.get((code or "").upper(), code)  # Babel's CLDR names as a fallback


def facet_value_label(name: str, value: object, ui: str | None = None) -> str:
    """A facet value as the reader should see it, in the interface language."""
    if name == "lang":
        return language_name(str(value), ui)
    if name == "country":
        return country_name(str(value), ui)
    if name == "theme":
        return str(THEME_LABELS.get(str(value), value))
    if name == "doc_type":
        return str(DOC_TYPE_LABELS.get(str(value), value))
    return str(value)
