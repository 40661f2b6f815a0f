"""Routes: search page and its JSON twin, the original files, health."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file, url_for
from markupsafe import Markup

from indexer.errors import CitymigError
from indexer.search import SearchRequest, search
from indexer.store import index_exists, open_index

bp = Blueprint("search", __name__)


def _index():
    return open_index(Path(current_app.config["INDEX_DIR"]))


def _request_from_args() -> SearchRequest:
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 0
    return SearchRequest(
        q=request.args.get("q", ""),
        lang=request.args.get("lang") or None,
        page=page,
        per_page=current_app.config["PER_PAGE"],
    )


def _results() -> tuple[dict | None, str | None, int]:
    """Search result for the query string, or an error message and its status."""
    try:
        return search(_index(), _request_from_args()), None, 200
    except CitymigError as error:
        return None, str(error), 400


@bp.route("/")
@bp.route("/search")
def search_page():
    """The search page: a box, results with page-cited snippets, pagination."""
    result, error, status = _results()
    if result:
        for hit in result["hits"]:
            for page in hit["pages"]:
                page["snippet"] = Markup(page["snippet"])  # escaped by indexer.search, marks only
    json_url = url_for("search.api_search", **request.args)
    response = current_app.make_response(
        (render_template("search.html", result=result, error=error, args=request.args, json_url=json_url), status)
    )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.route("/api/search")
def api_search():
    """JSON twin of /search, with the schema of ``citymig search --json``."""
    result, error, status = _results()
    return (jsonify(result), 200) if result else (jsonify({"error": error}), status)


@bp.route("/doc/<doc_id>/file")
def doc_file(doc_id: str):
    """The original document, only when the index holds it and it is a regular file."""
    with _index().searcher() as searcher:
        fields = searcher.document(id=doc_id, kind="doc")
    if not fields:
        abort(404)
    path = Path(fields["path"])
    if not path.is_file() or path.is_symlink():
        abort(404)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_file(path, mimetype=mimetype, download_name=path.name)


@bp.route("/healthz")
def healthz():
    """Liveness for monitoring: ok when the index opens."""
    ok = index_exists(Path(current_app.config["INDEX_DIR"]))
    return jsonify({"status": "ok" if ok else "no index"}), 200 if ok else 503
