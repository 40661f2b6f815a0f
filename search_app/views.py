"""Routes: home, search, document pages, their JSON twins, exports, original files, OpenSearch, health.

Each HTML page and its JSON twin are built by the same function (``_search``,
``get_document``); the HTML view only adds links and labels.
"""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from indexer.documents import get_document
from indexer.errors import BadQuery
from indexer.report.export import MAX_EXPORT, to_csv
from indexer.search import SearchRequest, request_from_params, search
from indexer.storage.index import index_exists
from indexer.vocabulary import SORTS, THEMES
from search_app import decorate, files
from search_app.i18n import (
    FACET_LABELS,
    SORT_LABELS,
    UI_LANGUAGES,
    facet_value_label,
    own_language_name,
    ui_language,
)
from search_app.links import PARAM, Links, state_of

bp = Blueprint("search", __name__)

MAX_UI_PER_PAGE = 100
PER_PAGE_CHOICES = (10, 25, 50, 100)


def live():
    """The app's LiveIndex."""
    return current_app.extensions["citymig_index"]


def _search_request(args) -> SearchRequest:
    params = {key: values for key, values in args.to_dict(flat=False).items() if key not in ("ui", "more")}
    search_request = request_from_params(params, per_page=current_app.config["PER_PAGE"])
    search_request.per_page = min(search_request.per_page, MAX_UI_PER_PAGE)
    search_request.ui_lang = ui_language()  # a translated document shows the reader's version first
    return search_request


def _search(args) -> tuple[SearchRequest, dict]:
    """The request in ``args`` and its result: the data of /search and /api/search."""
    search_request = _search_request(args)
    return search_request, search(live().get(), search_request)


def _ui_param() -> str | None:
    return request.args.get("ui") if request.args.get("ui") in UI_LANGUAGES else None


def _html(template: str, json_url: str, status: int = 200, **context) -> Response:
    """Render a page that links its JSON twin, in the page head and in a ``Link:`` header."""
    response = current_app.make_response((render_template(template, json_url=json_url, **context), status))
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _alternatives(search_request: SearchRequest, chips: list[dict]) -> list[dict]:
    """For an empty result: how many documents each dropped filter would bring back."""
    alternatives = []
    for chip in chips[:8]:
        relaxed = dataclasses.replace(search_request, page=1, per_page=1, filters=dict(search_request.filters))
        if chip["param"] == "year":
            relaxed.year_from = relaxed.year_to = None
        else:
            name = next(facet for facet, param in PARAM.items() if param == chip["param"])
            relaxed.filters[name] = [v for v in relaxed.filters.get(name, []) if v != chip["value"]]
            if name == "lang":
                relaxed.lang = None
        found = search(live().get(), relaxed)
        alternatives.append(chip | {"total": found["total"], "documents": found["documents"]})
    return alternatives


@bp.route("/")
def home():
    """A search box and the collection at a glance: themes, languages, countries, years, newest additions."""
    ui = ui_language()
    overview = live().cached(f"home:{ui}", lambda ix: search(ix, SearchRequest(sort="newest", per_page=8, ui_lang=ui)))
    links = Links(state_of(SearchRequest(), _ui_param()))
    json_url = url_for("search.api_search", sort="newest", per_page=8)
    panels = {panel["name"]: panel for panel in decorate.facet_panels(overview, links, expanded=set())}
    themes = {item["value"]: item["count"] for item in overview["facets"].get("theme", [])}
    return _html(
        "home.html",
        json_url,
        overview=overview,
        panels=panels,
        themes=[{"value": t, "label": facet_value_label("theme", t), "count": themes.get(t, 0)} for t in THEMES],
        bars=decorate.histogram(overview, links),
        links=links,
    )


@bp.route("/search")
def search_page():
    """Results with page-cited snippets, facets, chips, year histogram, sort, pagination, did-you-mean."""
    if "year_from" in request.args or "year_to" in request.args:
        return _year_range_redirect()
    search_request, result = _search(request.args)
    state = state_of(search_request, _ui_param(), current_app.config["PER_PAGE"])
    links = Links(state)
    last = max(1, -(-result["total"] // result["per_page"]))
    if result["page"] > last:  # page=99999: the last page there is, not an empty list
        return redirect(links.page(last))
    chips = decorate.chips(result, links)
    result = result | {"hits": [decorate.shown(hit, result["understood"]) for hit in result["hits"]]}
    expanded = set(request.args.getlist("more"))
    return _html(
        "search.html",
        links.current("search.api_search"),
        result=result,
        links=links,
        panels=decorate.facet_panels(result, links, expanded),
        bars=decorate.histogram(result, links),
        chips=chips,
        notices=decorate.notices(result, links),
        alternatives=_alternatives(search_request, chips) if not result["total"] and chips else [],
        pager=decorate.pager(result["page"], result["per_page"], result["total"], links),
        sorts=[(name, SORT_LABELS[name]) for name in SORTS],
        per_page_choices=PER_PAGE_CHOICES,
        suggestion_url=links.with_query(result["did_you_mean"]) if result.get("did_you_mean") else None,
        understanding=decorate.understanding(result, links),
        year_range=(search_request.year_from, search_request.year_to),
    )


def _year_range_redirect():
    """The from/to form of the year histogram, turned into the permalink's ``year=2010-2014``."""
    low, high = (request.args.get(name, "").strip() for name in ("year_from", "year_to"))
    for value in (low, high):
        if value and not (value.isdigit() and len(value) == 4):
            raise BadQuery("a year has four digits, like 2012, not %(value)s", value=repr(value))
    params = {
        key: [value for value in request.args.getlist(key) if value]
        for key in request.args
        if key not in ("year_from", "year_to", "page")
    }
    params.pop("year", None)
    if low or high:
        params["year"] = [f"{low}-{high}" if low != high else low]
    return redirect(url_for("search.search_page", **params))


@bp.route("/api/search")
def api_search():
    """JSON twin of /search, with the schema of ``citymig search --json``."""
    return jsonify(_search(request.args)[1])


def _export_result() -> tuple[SearchRequest, dict]:
    search_request = _search_request(request.args)
    search_request = dataclasses.replace(search_request, page=1, per_page=MAX_EXPORT)
    return search_request, search(live().get(), search_request)


def _doc_url(doc_id: str) -> str:
    return url_for("search.document", doc_id=doc_id, _external=True)


@bp.route("/search.csv")
def export_csv():
    """The current result list (all its pages, up to MAX_EXPORT documents) as CSV."""
    _, result = _export_result()
    response = Response(to_csv(result, _doc_url), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="citymig-search.csv"'
    return response


@bp.route("/search.ris")
def export_ris():
    """The current result list as RIS, one record per document (with its author), for reference managers."""
    from search_app.citations import export_ris as ris_response  # noqa: PLC0415 - citations imports this module

    return ris_response()


@bp.route("/doc/<doc_id>")
def document(doc_id: str):
    """A document's metadata (each value linked to its search), its pages matching q, similar practices elsewhere."""
    q = request.args.get("q", "")
    doc = get_document(live().get(), doc_id, q, ui_lang=ui_language(), understand=request.args.get("exact") != "1")
    doc = decorate.shown(doc) | {"similar": [decorate.shown(hit) for hit in doc["similar"]]}
    links = Links(state_of(SearchRequest(q=q), _ui_param()))
    facets = [
        (name, FACET_LABELS[name], [(value, facet_value_label(name, value)) for value in values])
        for name, values in (
            ("doc_type", [doc["doc_type"]] if doc["doc_type"] else []),
            ("year", [doc["year"]] if doc["year"] else []),
            ("lang", doc["langs"] or ([doc["lang"]] if doc["lang"] else [])),
            ("city", doc["city"]),
            ("country", doc["country"]),
            ("theme", doc["theme"]),
        )
    ]
    json_url = url_for("search.api_document", doc_id=doc_id, **({"q": q} if q else {}))
    return _html("doc.html", json_url, doc=doc, facets=facets, links=links)


@bp.route("/api/doc/<doc_id>")
def api_document(doc_id: str):
    """JSON twin of /doc/<id>."""
    understood = request.args.get("exact") != "1"
    return jsonify(
        get_document(live().get(), doc_id, request.args.get("q", ""), ui_lang=ui_language(), understand=understood)
    )


@bp.route("/doc/<doc_id>/file")
def doc_file(doc_id: str):
    """The original document, only when it is indexed and really inside its collection."""
    return files.serve(live().get(), doc_id)


@bp.route("/opensearch.xml")
def opensearch():
    """OpenSearch description, so browsers can add the collection as a search engine."""
    body = render_template(
        "opensearch.xml",
        html_url=url_for("search.search_page", _external=True),
        json_url=url_for("search.api_search", _external=True),
        self_url=url_for("search.opensearch", _external=True),
        home_url=url_for("search.home", _external=True),
        icon_url=url_for("static", filename="favicon.svg", _external=True),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.route("/healthz")
def healthz():
    """Liveness for monitoring: ok when the index opens."""
    ok = index_exists(live().index_dir)
    return jsonify({"status": "ok" if ok else "no index"}), 200 if ok else 503


@bp.app_context_processor
def page_context() -> dict:
    """What every page's frame needs: interface language, its switcher, the OpenSearch link."""
    ui = ui_language()
    args = {key: request.args.getlist(key) for key in request.args if key != "ui"}
    switcher = []
    if request.endpoint and request.url_rule is not None:
        for code in UI_LANGUAGES:
            url = url_for(request.endpoint, **(request.view_args or {}), **args, ui=code)
            switcher.append({"code": code, "name": own_language_name(code), "url": url, "current": code == ui})
    ui_param = _ui_param()
    keep = {"ui": ui_param} if ui_param else {}

    def doc_link(doc_id: str, q: str | None = None) -> str:
        return url_for("search.document", doc_id=doc_id, **({"q": q} if q else {}), **keep)

    def facet_search(name: str, value: object) -> str:
        return url_for("search.search_page", **{PARAM.get(name, name): value}, **keep)

    return {"ui": ui, "ui_switcher": switcher, "ui_param": ui_param, "doc_link": doc_link, "facet_search": facet_search}


@bp.app_template_filter("facet_label")
def facet_label_filter(value: object, name: str) -> str:
    """``{{ hit.doc_type|facet_label('doc_type') }}``: a facet value in the interface language."""
    return facet_value_label(name, value)
