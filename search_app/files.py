"""Serve a document's original file with headers that keep it from acting as part of the site.

A PDF is sent as ``application/pdf`` inline, with byte ranges for viewers
that jump to ``#page=N``. HTML and Markdown from the collection are sent as
plain text in a sandbox: served as HTML from this origin, a web page of the
collection could run script with the site's own rights.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, send_file
from werkzeug.http import dump_options_header

from indexer.documents import document_file

TEXT_TYPES = {"text/plain", "text/markdown", "text/html"}
SANDBOX = "sandbox; default-src 'none'"


def _text_charset(data: bytes) -> str | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def serve(ix, doc_id: str) -> Response:
    """The response for /doc/<id>/file (raise DocumentNotFound for anything outside the collection)."""
    path, mimetype = document_file(ix, doc_id)
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
