"""Citations on the web: one document (``/doc/<id>/cite``) and a result list (``/search.bib``).

The formats are written by ``indexer.report.cite`` from one CSL-JSON item per
document; this module only fetches the records (with their stored author) and
picks the response type. The publishing organisation, named as author where no
person is, is the app's ``PUBLISHER`` setting.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import gettext

from indexer.documents import get_document
from indexer.errors import BadQuery
from indexer.report import export
from indexer.report.cite import apa, csl_item, to_bibtex, to_ris
from indexer.report.stored import with_extras
from search_app.views import _export_result, live

bp = Blueprint("citations", __name__)

FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def _doc_url(doc_id: str) -> str:
    return url_for("search.document", doc_id=doc_id, _external=True)


def _file_url(doc_id: str) -> str:
    return url_for("search.doc_file", doc_id=doc_id, _external=True)


def item_of(record: dict) -> dict:
    """The CSL-JSON item of a hit or document record, with this site's URLs."""
    return csl_item(record, _doc_url(record["id"]), current_app.config["PUBLISHER"], _file_url(record["id"]))


@bp.app_template_global("citation_of")
def citation_of(record: dict) -> dict:
    """What a document page shows of its citation: the CSL item (for its meta tags), APA, BibTeX, format links."""
    item = item_of(record)
    return {
        "item": item,
        "authors": [name.get("literal") or f"{name['family']}, {name['given']}" for name in item["author"]],
        "apa": apa(item),
        "bibtex": to_bibtex([item]),
        "links": {name: url_for("citations.cite", doc_id=record["id"], format=name) for name in FORMATS},
    }


def _attachment(body: str, fmt: str, name: str) -> Response:
    mimetype, suffix = FORMATS[fmt]
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{suffix}"'
    return response


@bp.route("/doc/<doc_id>/cite")
def cite(doc_id: str):
    """One document's citation: ``format=bibtex`` (default), ``ris`` or ``csl`` (CSL-JSON)."""
    fmt = request.args.get("format", "bibtex")
    if fmt not in FORMATS:
        raise BadQuery(gettext("Unknown citation format “%(format)s”: use bibtex, ris or csl.", format=fmt))
    item = item_of(get_document(live().get(), doc_id))
    if fmt == "csl":
        response = jsonify([item])
        response.headers["Content-Type"] = FORMATS["csl"][0]
        return response
    return _attachment(to_bibtex([item]) if fmt == "bibtex" else to_ris([item]), fmt, f"citymig-{doc_id}")


def _with_authors(result: dict) -> dict:
    """A copy of an export's result whose hits, and the language versions they hold, carry their author."""
    ix = live().get()
    hits = [
        hit | {"documents": with_extras(ix, hit.get("documents") or [], ("author",))}
        for hit in with_extras(ix, result["hits"], ("author",))
    ]
    return result | {"hits": hits}


def export_ris() -> Response:
    """The current result list as RIS with each document's author (the response of /search.ris)."""
    _, result = _export_result()
    result = _with_authors(result)
    body = export.to_ris(result, _doc_url, _file_url, current_app.config["PUBLISHER"])
    response = _attachment(body, "ris", "citymig-search")
    response.headers["Content-Disposition"] = 'attachment; filename="citymig-search.ris"'
    return response


@bp.route("/search.bib")
def export_bib():
    """The current result list (all its pages, up to MAX_EXPORT documents) as BibTeX, an entry per document."""
    _, result = _export_result()
    items = [item_of(document) for _, document in export.documents_of(_with_authors(result))]
    response = _attachment(to_bibtex(items), "bibtex", "citymig-search")
    response.headers["Content-Disposition"] = 'attachment; filename="citymig-search.bib"'
    return response
