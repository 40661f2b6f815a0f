"""Error messages in the reader's language.

The core words its errors for a librarian, in English, with the offending
value in them (the CLI prints them as they are). The web app shows them in the
interface language: each message of the core is matched here by its pattern,
and its values are put into the translated sentence. A message with no pattern
here is shown in English rather than not at all.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext

from indexer.vocabulary import FACETS
from search_app.i18n import ui_language

# (pattern of the core's English message, translatable sentence with the pattern's named groups)
CORE_MESSAGES = [
    (
        r"year must be a year or a range like 2010-2014, not (?P<value>.+)",
        lazy_gettext("The year must be a year or a range like 2010-2014, not %(value)s."),
    ),
    (
        r"a year has four digits, like 2012, not (?P<value>.+)",
        lazy_gettext("A year has four digits, like 2012, not %(value)s."),
    ),
    (
        r"(?P<name>\w+) must be a whole number, not (?P<value>.+)",
        lazy_gettext("%(name)s must be a whole number, not %(value)s."),
    ),
    (r"(?P<name>\w+) must be 1 or more, not (?P<value>.+)", lazy_gettext("%(name)s must be 1 or more, not %(value)s.")),
    (r"page and per_page must be positive numbers", lazy_gettext("page and per_page must be positive numbers.")),
    (
        r"unknown sort (?P<value>.+): use one of (?P<allowed>.+)",
        lazy_gettext("Unknown sort order %(value)s: use one of %(allowed)s."),
    ),
    (
        r"unknown city (?P<value>.+): the collection's closest cities are (?P<closest>.+)",
        lazy_gettext("Unknown city %(value)s: the collection's closest cities are %(closest)s."),
    ),
    (
        r"unknown country (?P<value>.+): use a country's name or its ISO code, like ES or Spain",
        lazy_gettext("Unknown country %(value)s: use a country's name or its ISO code, like ES or Spain."),
    ),
    (
        r"unknown (?P<name>[\w ]+?) (?P<value>'[^']*'|\"[^\"]*\"): did you mean (?P<meant>.+)\?",
        lazy_gettext("Unknown %(name)s %(value)s: did you mean %(meant)s?"),
    ),
    (
        r"unknown (?P<name>[\w ]+?) (?P<value>'[^']*'|\"[^\"]*\"): use one of (?P<allowed>.+)",
        lazy_gettext("Unknown %(name)s %(value)s: use one of %(allowed)s."),
    ),
    (
        r"the query is too long \((?P<length>\d+) characters; the limit is (?P<limit>\d+)\)",
        lazy_gettext("The query is too long (%(length)s characters; the limit is %(limit)s)."),
    ),
    (
        r'unbalanced quotation mark: close the phrase with a second "',
        lazy_gettext('A quotation mark is not closed: close the phrase with a second ".'),
    ),
    (r"unbalanced parentheses in the query", lazy_gettext("The parentheses in the query do not match.")),
    (r"the query could not be understood: .*", lazy_gettext("The query could not be understood.")),
    (r"no indexed document with id (?P<value>.+)", lazy_gettext("No indexed document has the id %(value)s.")),
    (r"document (?P<value>.+) has no file on record", lazy_gettext("Document %(value)s has no file on record.")),
    (
        r"the file of document (?P<value>.+) is no longer there",
        lazy_gettext("The file of document %(value)s is no longer there."),
    ),
    (
        r"the file of document (?P<value>.+) is outside the collection",
        lazy_gettext("The file of document %(value)s is outside the collection."),
    ),
    (r"no citymig index in .*", lazy_gettext("The collection has not been indexed yet. Please try again later.")),
]
_COMPILED = [(re.compile(pattern + r"\Z", re.DOTALL), sentence) for pattern, sentence in CORE_MESSAGES]

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


def translated(message: str) -> str:
    """A core error message in the interface language (unchanged in English, or when no pattern matches)."""
    if ui_language() == "en":
        return message  # the core's own wording, as the CLI prints it
    for pattern, sentence in _COMPILED:
        found = pattern.match(message.strip())
        if found:
            values = found.groupdict()
            if "name" in values:
                values["name"] = _facet_name(values["name"])
            return str(sentence) % values
    return message


def http_message(code: int | None, fallback: str) -> str:
    """The sentence for an HTTP error status, in the interface language."""
    sentence = HTTP_MESSAGES.get(code or 400)
    return str(sentence) if sentence is not None else fallback
