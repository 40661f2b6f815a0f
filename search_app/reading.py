"""A reading view for web documents: ``/doc/<id>/read`` shows an HTML page or a Markdown post as clean HTML.

The original file is served as sandboxed plain text (``files.py``); this view
is for reading. The document is sanitised with ``nh3`` (the Ammonia sanitiser):
only text-level and structural tags survive, with no attribute that can carry
script or style; scripts, styles, forms, frames and navigation are dropped with
their content, and so is every image (a remote image would tell another site who
reads what; the collection's own images are not served). Markdown is rendered
with ``markdown`` first, and its raw HTML goes through the same sanitiser. The
words of ``q`` are marked (``<mark>``) in the text, accents and case aside.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import nh3
from flask import Blueprint, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from indexer.documents import document_file, get_document
from indexer.errors import DocumentNotFound
from indexer.text import analyze, fold
from indexer.vocabulary import FORMATS
from search_app.views import _html, live

bp = Blueprint("reading", __name__)

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "article", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "time": {"datetime"}, "td": {"colspan", "rowspan"}}
SAFE_ATTRIBUTES |= {"th": {"colspan", "rowspan", "scope"}, "*": {"lang"}}
# Dropped with everything inside them, not just their tags.
DROPPED = {"script", "style", "title", "head", "noscript", "template", "nav", "iframe", "object", "embed", "form",
           "select", "textarea", "button", "svg", "math", "canvas", "audio", "video"}  # fmt: skip
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"(?<![&#\w])\w+")  # a word, never the inside of an entity (&amp;)
_OPERATORS = {"and", "or", "not", "to"}


def sanitise(markup: str) -> str:
    """HTML with only safe tags and attributes: no script, style, event handler, form, frame or image."""
    return nh3.clean(
        markup,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        clean_content_tags=DROPPED,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _body(markup: str) -> str:
    found = re.search(r"<body[^>]*>(.*)</body>", markup, re.DOTALL | re.IGNORECASE)
    return found.group(1) if found else markup


def render(path: Path, media_type: str) -> str:
    """A web document's file as sanitised HTML."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if media_type == "text/markdown":
        return sanitise(markdown.markdown(_FRONT_MATTER.sub("", text), extensions=["tables", "sane_lists"]))
    if media_type == "text/html":
        return sanitise(_body(text))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def query_words(q: str) -> set[str]:
    """The folded words of a query to mark, without search syntax (operators, field names, quotes)."""
    words = set()
    for token in re.split(r"\s+", q or ""):
        token = token.split(":", 1)[-1]
        for word in _WORD.findall(token):
            if word.casefold() not in _OPERATORS and len(word) > 1:
                words.add(fold(word))
    return words


def highlight(markup: str, q: str, lang: str = "en") -> tuple[str, int]:
    """``markup`` with the words of ``q`` in ``<mark>`` (text only, never inside a tag), and how many were marked.

    A word is marked when it is a query word (accents and case aside) or has the same stem in the
    document's language, as the index matches it (``welcoming`` for ``welcome``).
    """
    wanted = query_words(q)
    if not wanted:
        return markup, 0
    stems = set(analyze(" ".join(wanted), lang))
    known: dict[str, bool] = {}

    def _matches(word: str) -> bool:
        if word not in known:
            known[word] = fold(word) in wanted or bool(stems & set(analyze(word, lang)))
        return known[word]

    marked = 0
    parts = _TAG_OR_TEXT.split(markup)
    for i, part in enumerate(parts):
        if not part or part.startswith("<"):
            continue

        def mark(found: re.Match) -> str:
            nonlocal marked
            if not _matches(found.group(0)):
                return found.group(0)
            marked += 1
            return f"<mark>{found.group(0)}</mark>"

        parts[i] = _WORD.sub(mark, part)
    return "".join(parts), marked


def is_web(record: dict) -> bool:
    """True for an HTML page, a Markdown post or a text file: documents with a reading view."""
    suffix = Path(record.get("relpath") or record.get("path") or "").suffix.lower()
    return suffix in FORMATS and FORMATS[suffix].web


@bp.app_template_global("page_url")
def page_url(record: dict, page: int | None = None, q: str | None = None) -> str:
    """Where a page link of a document goes: the reading view of a web document, the PDF at that page."""
    if is_web(record):
        return url_for("reading.read", doc_id=record["id"], **({"q": q} if q else {}))
    return url_for("search.doc_file", doc_id=record["id"]) + (f"#page={page}" if page else "")


@bp.route("/doc/<doc_id>/read")
def read(doc_id: str):
    """A web document as sanitised HTML in the collection's style, with the words of ``q`` marked."""
    q = request.args.get("q", "")
    ix = live().get()
    doc = get_document(ix, doc_id)
    path, media_type = document_file(ix, doc_id)
    if not is_web(doc):
        raise DocumentNotFound(gettext("There is no reading view for this document: open the original file."))
    body, marked = highlight(render(path, media_type), q, doc.get("lang") or "en")
    json_url = url_for("search.api_document", doc_id=doc_id, **({"q": q} if q else {}))
    return _html("read.html", json_url, doc=doc, body=Markup(body), marked=marked, q=q)
