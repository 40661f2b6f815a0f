"""Error messages in the reader's language.

The core words its errors for a librarian, in English, as a template and its
values (``indexer.errors.CitymigError``; the CLI prints the English sentence).
The web app shows them in the interface language: the template is looked up
here and the same values go into the translated sentence. An error whose
template has no sentence here is shown in English rather than not at all.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from indexer.errors import CitymigError
from indexer.vocabulary import FACETS
from search_app.i18n import ui_language

# The core's message templates (indexer.errors.CitymigError) → the sentence a reader of another language gets,
# with the same named values.
CORE_MESSAGES = {
    "year must be a year or a range like 2010-2014, not %(value)s": lazy_gettext(
        "The year must be a year or a range like 2010-2014, not %(value)s."
    ),
    "a year has four digits, like 2012, not %(value)s": lazy_gettext(
        "A year has four digits, like 2012, not %(value)s."
    ),
    "%(name)s must be a whole number, not %(value)s": lazy_gettext("%(name)s must be a whole number, not %(value)s."),
    "%(name)s must be 1 or more, not %(value)s": lazy_gettext("%(name)s must be 1 or more, not %(value)s."),
    "page and per_page must be positive numbers": lazy_gettext("page and per_page must be positive numbers."),
    "unknown sort %(value)s: use one of %(allowed)s": lazy_gettext(
        "Unknown sort order %(value)s: use one of %(allowed)s."
    ),
    "unknown city %(value)s: the collection's closest cities are %(closest)s": lazy_gettext(
        "Unknown city %(value)s: the collection's closest cities are %(closest)s."
    ),
    "unknown country %(value)s: use a country's name or its ISO code, like ES or Spain": lazy_gettext(
        "Unknown country %(value)s: use a country's name or its ISO code, like ES or Spain."
    ),
    "unknown %(name)s %(value)s: did you mean %(meant)s?": lazy_gettext(
        "Unknown %(name)s %(value)s: did you mean %(meant)s?"
    ),
    "unknown %(name)s %(value)s: use one of %(allowed)s": lazy_gettext(
        "Unknown %(name)s %(value)s: use one of %(allowed)s."
    ),
    "the query is too long (%(length)s characters; the limit is %(limit)s)": lazy_gettext(
        "The query is too long (%(length)s characters; the limit is %(limit)s)."
    ),
    'unbalanced quotation mark: close the phrase with a second "': lazy_gettext(
        'A quotation mark is not closed: close the phrase with a second ".'
    ),
    "unbalanced parentheses in the query": lazy_gettext("The parentheses in the query do not match."),
    "the query could not be understood: %(reason)s": lazy_gettext("The query could not be understood."),
    "no indexed document with id %(value)s": lazy_gettext("No indexed document has the id %(value)s."),
    "no indexed document with id or path %(value)s (ids are shown by `citymig search`)": lazy_gettext(
        "No indexed document has the id %(value)s."
    ),
    "document %(value)s has no file on record": lazy_gettext("Document %(value)s has no file on record."),
    "the file of document %(value)s is no longer there": lazy_gettext(
        "The file of document %(value)s is no longer there."
    ),
    "the file of document %(value)s is outside the collection": lazy_gettext(
        "The file of document %(value)s is outside the collection."
    ),
    "no citymig index in %(path)s: run `citymig index` first": lazy_gettext(
        "The collection has not been indexed yet. Please try again later."
    ),
}

HTTP_MESSAGES = {
    400: lazy_gettext("The request could not be understood."),
    404: lazy_gettext("There is no page at this address. Check the link, or search the collection."),
    405: lazy_gettext("This address does not accept that kind of request."),
    413: lazy_gettext("The request is too large."),
    429: lazy_gettext("Too many requests: please wait a moment and try again."),
}
SERVER_ERROR = lazy_gettext("Something went wrong on the server. The error has been logged; please try again later.")


def _facet_name(name: str) -> str:
    """A facet as the core names it in English ("type of document", "type") in the interface language."""
    for facet in FACETS:
        if name in (facet.label("en").lower(), facet.param, facet.name):
            return facet.label(ui_language()).lower() if ui_language() != "de" else facet.label("de")
    return name


def translated(error: CitymigError) -> str:
    """A core error in the interface language: its template's sentence with its values (English as the core
    words it, and for an error whose template has no sentence here)."""
    sentence = CORE_MESSAGES.get(getattr(error, "template", None))
    if ui_language() == "en" or sentence is None:
        return str(error)
    values = {key: str(value) for key, value in getattr(error, "params", {}).items()}
    if "name" in values:
        values["name"] = _facet_name(values["name"])
    return str(sentence) % values


def http_message(code: int | None, fallback: str) -> str:
    """The sentence for an HTTP error status, in the interface language."""
    sentence = HTTP_MESSAGES.get(code or 400)
    return str(sentence) if sentence is not None else fallback
