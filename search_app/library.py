"""The librarian's desk: /library and its JSON twin, the login, and the admin actions (reindex, upload).

/library is readable by anyone unless the operator sets ``LIBRARY_REQUIRES_LOGIN`` (it shows
nothing the catalogue does not). Reindex and upload need the admin password to be configured,
a logged-in session and the form's CSRF token (``search_app.admin``); the reindex's progress is
pushed to the page as server-sent events from /library/reindex/events.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from indexer.report.explain import explain_document
from indexer.report.library import GROUPS, library_report
from indexer.storage.index import read_run_report
from indexer.storage.records import file_notes
from indexer.vocabulary import FORMATS
from search_app import admin
from search_app.i18n import FACET_LABELS
from search_app.reindex import Reindexer, upload_problem

LOGIN_FAILURES = "citymig-login-failures.sqlite"
bp = Blueprint("library", __name__)

UPLOAD_FORMATS = ("pdf", "html", "markdown", "text", "docx", "odt")  # names in indexer.vocabulary.FORMATS
FOLDER_DEPTH = 4  # levels of subfolders offered as upload targets
EVENT_KEEPALIVE = 15.0  # seconds between comments on an idle event stream
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


def _live():
    return current_app.extensions["citymig_index"]


def reindexer() -> Reindexer:
    """The app's one Reindexer."""
    return current_app.extensions["citymig_reindexer"]


def _limiter() -> admin.LoginLimiter:
    return current_app.extensions["citymig_login_limiter"]


def init_app(app) -> None:
    """Register the blueprint and what it keeps per app: the reindexer and the login limiter."""
    app.extensions["citymig_reindexer"] = Reindexer(Path(app.config["INDEX_DIR"]))
    index_dir = Path(app.config["INDEX_DIR"])
    shared = index_dir / LOGIN_FAILURES if index_dir.is_dir() else None  # seen by every worker process
    app.extensions["citymig_login_limiter"] = admin.LoginLimiter(str(shared) if shared else ":memory:")
    app.register_blueprint(bp)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """Admin errors in the client's format: JSON for API clients, the error page for a browser."""
    status = error.code or 400
    if isinstance(error, RequestEntityTooLarge):
        error.description = _too_large()
    if _wants_json():
        return jsonify({"error": error.description}), status
    return render_template("library_error.html", message=error.description, status=status), status


def _too_large() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"The file is larger than the upload limit of {limit // (1024 * 1024)} MB. Nothing was changed."


def _roots() -> list[Path]:
    """The collection's folders: as configured, else those the last run indexed."""
    configured = current_app.config.get("COLLECTION_DIRS")
    if configured:
        return [Path(p).absolute() for p in configured]
    report = read_run_report(_live().index_dir) or {}
    return [Path(p) for p in report.get("roots") or [] if Path(p).is_dir()]


def upload_folders() -> list[dict]:
    """The folders of the collection a file may be uploaded into: ``{"value", "label", "path"}``."""
    folders = []
    for number, root in enumerate(_roots()):
        if not root.is_dir():
            continue
        for folder, dirs, _ in os.walk(root):  # links are not followed: an upload never lands outside
            relative = Path(folder).relative_to(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if len(relative.parts) < FOLDER_DEPTH else []
            label = f"{root.name}/{relative.as_posix()}" if relative.parts else f"{root.name}/"
            folders.append({"value": f"{number}:{relative.as_posix()}", "label": label, "path": Path(folder)})
    return folders


def _library_data() -> dict:
    """The data of /library and /api/library: the core's report, the admin state and the reindex's progress."""
    data = library_report(_live().index_dir, sort=request.args.get("sort", "folder"))
    data["admin"] = {
        "enabled": admin.configured(),
        "logged_in": admin.logged_in(),
        "reindex": reindexer().snapshot(),
        "upload_formats": [s for s, f in FORMATS.items() if f.name in UPLOAD_FORMATS],
        "upload_limit_bytes": current_app.config.get("MAX_CONTENT_LENGTH"),
    }
    return data


def _check_reader() -> None:
    if current_app.config.get("LIBRARY_REQUIRES_LOGIN") and not admin.logged_in():
        abort(401, admin.NOT_LOGGED_IN)


@bp.route("/library")
def library():
    """The librarian's desk: figures, last runs, every file needing attention, and the admin actions."""
    _check_reader()
    data = _library_data()
    folders = upload_folders() if admin.logged_in() else []
    json_url = url_for("library.api_library", **({"sort": data["sort"]} if data["sort"] != "folder" else {}))
    body = render_template(
        "library.html",
        data=data,
        folders=folders,
        groups=GROUPS,
        json_url=json_url,
        facet_names={name: str(FACET_LABELS[name]) for name in data["figures"]["facets"]},  # the vocabulary's
        csrf_token=admin.csrf_token() if admin.logged_in() else None,  # readers get no session cookie
    )
    response = current_app.make_response(body)
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.route("/api/library")
def api_library():
    """JSON twin of /library (also ``citymig status --json``'s ``library``)."""
    _check_reader()
    return jsonify(_library_data())


@bp.route("/library/login", methods=["GET", "POST"])
def login():
    """The login form, and logging in with the admin password (rate-limited per client)."""
    if not admin.configured():
        return render_template("login.html", disabled=admin.DISABLED), 403
    error, status = None, 200
    if request.method == "POST":
        key = admin.client_key()
        wait = _limiter().retry_after(key)
        if wait:
            error, status = f"Too many failed logins: try again in {wait} seconds.", 429
        elif not admin.csrf_valid():
            error, status = admin.BAD_TOKEN, 403
        elif admin.password_matches(request.form.get("password", "")):
            _limiter().succeeded(key)
            admin.log_in()
            return redirect(url_for("library.library"), 303)
        else:
            _limiter().failed(key)
            error, status = "That is not the admin password.", 401
    response = current_app.make_response(
        (render_template("login.html", error=error, csrf_token=admin.csrf_token()), status)
    )
    if status == 429:
        response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/library/logout", methods=["POST"])
def logout():
    """End the librarian's session."""
    if admin.csrf_valid():
        from flask import session

        session.clear()
    return redirect(url_for("library.library"), 303)


def _done(status: int, message: str, **data):
    """A successful admin action: JSON for API clients, else back to /library with the message shown."""
    if _wants_json():
        return jsonify({"message": message, **data}), status
    flash(message, "info")
    return redirect(url_for("library.library") + "#admin", 303)


@bp.route("/library/reindex", methods=["POST"])
def reindex():
    """Start reindexing the collection in the background (admin)."""
    admin.require_admin()
    roots = _roots()
    if not roots:
        abort(409, "No collection folder is known: index one with `citymig index FOLDER` first.")
    if not reindexer().start(roots):
        abort(409, "A reindex is already running: follow its progress on /library.")
    return _done(202, "Reindex started.", progress=reindexer().snapshot(), events=url_for("library.events"))


@bp.route("/api/library/reindex")
def reindex_status():
    """The reindex's progress now, as JSON (admin session)."""
    if not admin.logged_in():
        abort(401, admin.NOT_LOGGED_IN)
    return jsonify(reindexer().snapshot())


@bp.route("/library/reindex/events")
def events():
    """Server-sent events: the reindex's progress on every change, until it has finished (admin session)."""
    if not admin.logged_in():
        abort(401, admin.NOT_LOGGED_IN)
    job = reindexer()

    def stream():
        progress = job.snapshot()
        yield f"event: progress\ndata: {json.dumps(progress)}\n\n"
        while progress["state"] in ("running", "waiting"):
            following = job.wait_for_change(progress["version"], EVENT_KEEPALIVE)
            if following["version"] == progress["version"]:
                yield ": still working\n\n"  # keeps proxies from closing an idle stream
                continue
            progress = following
            yield f"event: progress\ndata: {json.dumps(progress)}\n\n"
        yield "event: end\ndata: {}\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(stream()), mimetype="text/event-stream", headers=headers)


def safe_name(name: str) -> str:
    """A file name that is one plain name on any disk: no folders, no leading dot, no odd characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    stem, suffix = os.path.splitext(name)
    stem = _UNSAFE_NAME.sub("-", stem).strip(" .-")[:120] or "upload"
    return stem.replace(" ", "-") + suffix.lower()


@bp.route("/library/upload", methods=["POST"])
def upload():
    """Save an uploaded file into a folder of the collection, only if it can be indexed (admin)."""
    admin.require_admin()
    try:
        sent = request.files.get("file")
    except RequestEntityTooLarge:
        abort(413)
    folders = {folder["value"]: folder for folder in upload_folders()}
    folder = folders.get(request.form.get("folder", ""))
    if folder is None:
        abort(400, "Choose one of the collection's folders to upload into. Nothing was changed.")
    if sent is None or not sent.filename:
        abort(400, "Choose a file to upload. Nothing was changed.")
    name = safe_name(sent.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS or FORMATS[suffix].name not in UPLOAD_FORMATS:
        shown = ", ".join(s for s, f in FORMATS.items() if f.name in UPLOAD_FORMATS)
        abort(400, f"{sent.filename!r} is not a format the collection indexes ({shown}). Nothing was changed.")
    target = folder["path"] / name
    if target.exists() or target.is_symlink():
        abort(409, f"{folder['label']} already has a file named {name!r}: rename yours first. Nothing was changed.")
    with tempfile.TemporaryDirectory(prefix="citymig-upload-") as work:
        staged = Path(work) / name
        sent.save(staged)
        if staged.stat().st_size == 0:
            abort(400, f"{sent.filename!r} is empty. Nothing was changed.")
        problem = upload_problem(staged)
        if problem:
            abort(400, f"{sent.filename!r} cannot be indexed: {problem}. Nothing was changed.")
        hidden = folder["path"] / f".upload-{os.getpid()}-{time.time_ns()}{suffix}"
        shutil.copyfile(staged, hidden)  # hidden files are never indexed, so a half copy is never seen
        os.replace(hidden, target)
    relpath = f"{folder['label'].rstrip('/')}/{name}"
    started = request.form.get("reindex") == "1" and reindexer().start(_roots())
    message = f"Saved {relpath}." + (" Reindexing now." if started else " Reindex to make it searchable.")
    return _done(201, message, saved=relpath, reindex_started=bool(started))


@bp.route("/library/explain/<doc_id>")
def explain(doc_id: str):
    """Why a document has its facets (the evidence for each value), and what the extraction noticed."""
    _check_reader()
    info = explain_document(_live().get(), doc_id)
    notes = library_notes(doc_id)
    return render_template(
        "explain.html", info=info, notes=notes, json_url=url_for("library.api_explain", doc_id=doc_id)
    )


@bp.route("/api/library/explain/<doc_id>")
def api_explain(doc_id: str):
    """JSON twin of /library/explain/<id> (``citymig explain --json``)."""
    _check_reader()
    return jsonify(explain_document(_live().get(), doc_id) | {"library": library_notes(doc_id)})


def library_notes(doc_id: str) -> dict | None:
    """What the librarian should know about a document's file (``indexer.storage.records.file_notes``)."""
    if not re.fullmatch(r"[0-9a-f]{16}", doc_id or ""):
        return None
    with _live().get().searcher() as searcher:
        fields = searcher.document(id=doc_id, kind="doc")
    return file_notes(fields) if fields else None


@bp.app_context_processor
def library_context() -> dict:
    """``library_notes(doc_id)`` for the document page."""
    return {"library_notes": library_notes}


@bp.app_template_filter("timestamp")
def timestamp_filter(value: float | None) -> str:
    """A Unix time as ``2026-12-02 09:12 UTC``."""
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""
