"""Who may run the librarian's admin actions: a password set by the operator, a session, CSRF tokens, a login limit.

The password comes from the app's config (``ADMIN_PASSWORD``, set by ``citymig serve`` from
``$CITYMIG_ADMIN_PASSWORD`` or ``--admin-password-file``); without one the admin actions are
off. A successful login marks the session (Flask's signed cookie, HttpOnly, SameSite=Strict);
every form carries the session's CSRF token, compared in constant time. Failed logins are
counted per client address: after ``MAX_FAILURES`` in ``WINDOW`` seconds, logins from it wait.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time

from flask import abort, current_app, request, session

MAX_FAILURES = 5
WINDOW = 300.0  # seconds
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
DISABLED = (
    "Admin actions are disabled: no admin password is configured. Start the server with "
    "CITYMIG_ADMIN_PASSWORD set, or with --admin-password-file FILE, to enable them."
)
NOT_LOGGED_IN = "Log in as the librarian (on /library/login) to use this action."
BAD_TOKEN = "This form has expired or did not come from this site: reload the page and try again."


class LoginLimiter:
    """Failed login attempts per client within a sliding window, shared by every worker process.

    ``citymig serve`` runs several processes; a count kept in one of them would let a client try
    ``MAX_FAILURES`` times per process. The failures live in a small SQLite file instead (in the
    index folder, or in memory for an app without one), which every process reads and writes.
    """

    def __init__(self, path: str = ":memory:", max_failures: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.max_failures, self.window, self.path = max_failures, window, path
        self._memory = sqlite3.connect(":memory:", check_same_thread=False) if path == ":memory:" else None
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS failures (client TEXT, at REAL)")

    def _connect(self) -> sqlite3.Connection:
        return self._memory or sqlite3.connect(self.path, timeout=5)

    def _recent(self, db: sqlite3.Connection, key: str, now: float) -> list[float]:
        db.execute("DELETE FROM failures WHERE at <= ?", (now - self.window,))
        return [at for (at,) in db.execute("SELECT at FROM failures WHERE client = ? ORDER BY at", (key,))]

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again (0: now)."""
        now = time.time()
        with self._lock, self._connect() as db:
            failures = self._recent(db, key, now)
        if len(failures) < self.max_failures:
            return 0
        return max(1, int(failures[0] + self.window - now) + 1)

    def failed(self, key: str) -> None:
        """Count a failed attempt."""
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO failures VALUES (?, ?)", (key, time.time()))

    def succeeded(self, key: str) -> None:
        """Forget ``key``'s failures."""
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM failures WHERE client = ?", (key,))


def configured() -> bool:
    """True when the operator set an admin password."""
    return bool(current_app.config.get("ADMIN_PASSWORD"))


def logged_in() -> bool:
    """True when this session has logged in (and a password is still configured)."""
    return configured() and session.get("admin") is True


def password_matches(given: str) -> bool:
    """Constant-time comparison of ``given`` with the configured password."""
    expected = current_app.config.get("ADMIN_PASSWORD") or ""
    digest = lambda text: hashlib.sha256(text.encode("utf-8")).digest()  # noqa: E731 - equal lengths for compare
    return bool(expected) and hmac.compare_digest(digest(given), digest(expected))


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def csrf_valid() -> bool:
    """True when the request carries this session's CSRF token (form field or header)."""
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(CSRF_FIELD) or ""
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def require_admin() -> None:
    """Abort unless an admin action may run: 403 when disabled, 401 without a session, 403 on a bad token."""
    if not configured():
        abort(403, DISABLED)
    if not logged_in():
        abort(401, NOT_LOGGED_IN)
    if not csrf_valid():
        abort(403, BAD_TOKEN)


def log_in() -> None:
    """Mark the session as the librarian's, with a fresh CSRF token (no token survives a login)."""
    session.clear()
    session["admin"] = True
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


def client_key() -> str:
    """The address a login attempt comes from (the proxy's, behind one: rate limits are then per proxy)."""
    return request.remote_addr or "unknown"
