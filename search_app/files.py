"""Serve a document's original file with headers that keep it from acting as part of the site.

A PDF is sent as ``application/pdf`` inline, with byte ranges for viewers
that jump to ``#page=N``. HTML and Markdown from the collection are sent as
plain text in a sandbox: served as HTML from this origin, a web page of the
collection could run script with the site's own rights.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file
from werkzeug.exceptions import Conflict
from werkzeug.http import dump_options_header

from indexer.documents import DOC_ID, document_file

TEXT_TYPES = {"text/plain", "text/markdown", "text/html"}
SANDBOX = "sandbox; default-src 'none'"


def _text_charset(data: bytes) -> str | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _damage(fields: dict, real: Path) -> str | None:
    """Why the file on disk is not the document indexed, in words for the reader, or None when it is.

    The index records a file that failed to read after it was indexed; a PDF changed on disk
    since the last run is checked for the two marks every whole PDF has (header and end marker).
    """
    unreadable = fields.get("unreadable")
    if unreadable:
        since = datetime.fromtimestamp(unreadable["since"], UTC).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"The file of this document is damaged on disk (unreadable since {since}: {unreadable['reason']}). "
            "Its text as last indexed is still searchable; the librarian has been told on /library."
        )
    size = real.stat().st_size
    if real.suffix.lower() == ".pdf" and size != fields.get("size"):
        with real.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
        if b"%PDF-" not in head or b"%%EOF" not in tail:
            return (
                "The file of this document has changed on disk since it was indexed and is no longer a whole PDF. "
                "Its text as last indexed is still searchable; the librarian will see it on /library."
            )
    return None


def serve(ix, doc_id: str) -> Response:
    """The response for /doc/<id>/file (raise DocumentNotFound for anything outside the collection).

    A file known to be damaged is refused with 409 and a message, never served as if it were the document.
    """
    path, mimetype = document_file(ix, doc_id)
    with ix.searcher() as searcher:
        fields = searcher.document(id=doc_id, kind="doc") if DOC_ID.match(doc_id) else None
    problem = _damage(fields or {}, path)
    if problem:
        raise Conflict(problem)
    if mimetype in TEXT_TYPES:
        data = path.read_bytes()
        charset = _text_charset(data)
        response = Response(data, mimetype="text/plain")
        response.headers["Content-Type"] = "text/plain" + (f"; charset={charset}" if charset else "")
        response.headers["Content-Disposition"] = _inline(path.name)
        response.headers["Content-Security-Policy"] = SANDBOX
        return response
    if mimetype == "application/pdf":
        response = send_file(path, mimetype=mimetype, download_name=path.name, conditional=True)
        response.headers["Content-Disposition"] = _inline(path.name)
        return response
    response = send_file(path, mimetype="application/octet-stream", as_attachment=True, download_name=path.name)
    response.headers["Content-Security-Policy"] = SANDBOX
    return response


def _inline(name: str) -> str:
    """Content-Disposition: inline with the file name (RFC 6266/5987, safe for any characters)."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return dump_options_header("inline", {"filename": ascii_name, "filename*": f"UTF-8''{quote(name)}"})
