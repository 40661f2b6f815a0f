"""citymig's web app: a thin Flask shell over ``indexer``; every HTML page has a JSON twin.

Pages are rendered on the server and work without JavaScript; ``static/citymig.js``
adds a filter box for long facet lists and submits the sort menu on change.
Interface languages (en, de, es, fr) come from Flask-Babel catalogues in
``translations/``; the language is chosen by ``?ui=``, a cookie or Accept-Language.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

from indexer.config import default_index_dir
from indexer.errors import BadQuery, CitymigError, IndexMissing
from indexer.report.export import DEFAULT_PUBLISHER as PUBLISHER

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
log = logging.getLogger(__name__)


# The question a server process searches before it takes requests (its understanding loads the thesaurus,
# the gazetteer and the word lists).
WARM_QUESTION = "what worked in Barcelona"


def warm_up(app: Flask) -> None:
    """Answer the home page (every facet of the collection) in this thread, then search ``WARM_QUESTION``
    past the result cache, so that a thread after the first still opens its own reader.

    Why: a process's first search builds the index version's tables (documents, pages, language versions,
    facts for sorting) and loads what understanding consults, about 0.7 s on the scaled collection, and a
    thread's first searches open its own reader (``thread_searcher``), 0.2-0.4 s more; the first users of
    each gunicorn worker would wait for both. Run in each worker after the fork (never in the master: no
    reader crosses a fork); a failure (no index yet) only leaves the work to the first request.
    """
    from indexer.search import SearchRequest, search

    try:
        with app.test_client() as client:
            client.get("/")
        search(app.extensions["citymig_index"].get(), SearchRequest(q=WARM_QUESTION), cache=False)
    except Exception:  # noqa: BLE001 - warming must never keep a worker from serving
        log.warning("warming up failed; the first request will do its work", exc_info=True)


def create_app(config: dict | None = None) -> Flask:
    """App factory: ``config`` may set INDEX_DIR (default: $CITYMIG_INDEX or index/), PER_PAGE and PUBLISHER.

    The librarian's desk reads ADMIN_PASSWORD (None: admin actions off), COLLECTION_DIRS (default: the
    folders of the last run), MAX_CONTENT_LENGTH (upload limit), LIBRARY_REQUIRES_LOGIN and SECRET_KEY
    (default: a random key per process, so sessions end when the server restarts).
    """
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(default_index_dir()), PER_PAGE=10, PUBLISHER=PUBLISHER)
    app.config.from_mapping(
        ADMIN_PASSWORD=None,
        COLLECTION_DIRS=None,
        LIBRARY_REQUIRES_LOGIN=False,
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,
        SECRET_KEY=secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    if config:
        app.config.update(config)
    app.config["INDEX_DIR"] = str(Path(app.config["INDEX_DIR"]).absolute())

    from search_app import citations, feeds, library, places_map, reading
    from search_app.errors import SERVER_ERROR, http_message, translated
    from search_app.i18n import UI_COOKIE, UI_LANGUAGES, select_locale
    from search_app.live_index import LiveIndex
    from search_app.views import bp

    Babel(app, locale_selector=select_locale)
    app.extensions["citymig_index"] = LiveIndex(Path(app.config["INDEX_DIR"]))
    app.register_blueprint(bp)
    for module in (feeds, places_map, citations, reading):
        app.register_blueprint(module.bp)
    library.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        chosen = request.args.get(UI_COOKIE)
        if chosen in UI_LANGUAGES and request.cookies.get(UI_COOKIE) != chosen:
            response.set_cookie(UI_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def error_page(message: str, status: int):
        if wants_json():
            return jsonify({"error": message}), status
        return render_template("error.html", message=message, status=status), status

    @app.errorhandler(CitymigError)
    def citymig_error(error: CitymigError):
        from indexer.errors import DocumentNotFound

        message = translated(error)
        if isinstance(error, DocumentNotFound):
            return error_page(message, 404)
        if isinstance(error, IndexMissing):
            return error_page(message, 503)
        return error_page(message, 400 if isinstance(error, BadQuery) else 500)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            return plain_error(error)
        return error_page(http_message(error.code, error.description or error.name), error.code or 400)

    @app.errorhandler(Exception)
    def plain_error(error: Exception):
        # Never a traceback on the page: a plain message, the details in the server's log.
        log.exception("error while serving %s", request.path, exc_info=error)
        try:
            message = str(SERVER_ERROR)
        except Exception:  # noqa: BLE001 - the message must never fail in its turn
            message = "Something went wrong on the server. The error has been logged; please try again later."
        if wants_json():
            return jsonify({"error": message}), 500
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Server error – citymig</title>"
            f"<main><h1>Server error</h1><p>{message}</p><p><a href='/'>citymig</a></p></main>"
        )
        return body, 500, {"Content-Type": "text/html; charset=utf-8"}

    return app
