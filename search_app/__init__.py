"""citymig's web app: a thin Flask shell over ``indexer``; every HTML page has a JSON twin."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from indexer.config import default_index_dir


def create_app(config: dict | None = None) -> Flask:
    """App factory: ``config`` may set INDEX_DIR (default: $CITYMIG_INDEX or index/)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(default_index_dir()), PER_PAGE=10)
    if config:
        app.config.update(config)
    app.config["INDEX_DIR"] = str(Path(app.config["INDEX_DIR"]).absolute())

    from search_app.views import bp

    app.register_blueprint(bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
