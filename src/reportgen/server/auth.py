"""Who is asking: passwords, sessions, CSRF tokens, login throttling.

* Passwords are hashed with Argon2id (argon2-cffi's defaults: memory-hard), never stored.
* A session is a random token in an HttpOnly, SameSite=Strict cookie; the database holds only
  its SHA-256, so a copy of the database opens no session. Logging out deletes the row: the
  cookie is then worth nothing. Sessions expire after ``SESSION_HOURS``.
* Every form carries the session's CSRF token, compared in constant time.
* A user name tried from one address more than ``MAX_FAILURES`` times in ``WINDOW`` is refused
  until the window passes, whatever the password.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from .db import attempts, sessions, users

COOKIE = "reportgen_session"
SESSION_HOURS = 12
MAX_FAILURES = 5
WINDOW = _dt.timedelta(minutes=10)
_HASHER = PasswordHasher()


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A one-time password to give out (16 characters, no look-alikes)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def throttled(conn: Connection, key: str) -> bool:
    since = now() - WINDOW
    count = conn.execute(select(func.count()).select_from(attempts)
                         .where(attempts.c.key == key, attempts.c.at > since)).scalar_one()
    return count >= MAX_FAILURES


def login(conn: Connection, username: str, password: str, address: str) -> tuple[str, dict] | str:
    """(session token, user) on success; else why not, in Chinese."""
    key = f"{username}@{address}"
    if throttled(conn, key):
        return "登录失败次数过多，请 10 分钟后再试"
    user = conn.execute(select(users).where(users.c.username == username, users.c.active.is_(True))).mappings().first()
    if user is None or not check_password(user["password_hash"], password):
        conn.execute(insert(attempts).values(key=key, at=now()))
        return "用户名或密码不正确"
    conn.execute(delete(attempts).where(attempts.c.key == key))
    token = secrets.token_urlsafe(32)
    conn.execute(insert(sessions).values(token_hash=_digest(token), user_id=user["id"], csrf=secrets.token_urlsafe(32),
                                         expires_at=now() + _dt.timedelta(hours=SESSION_HOURS)))
    return token, dict(user)


def session_of(conn: Connection, token: str | None) -> dict | None:
    """The session and its user for a cookie's token, or None (absent, unknown, expired)."""
    if not token:
        return None
    row = conn.execute(select(sessions, users.c.username, users.c.role, users.c.unit_id)
                       .join(users, users.c.id == sessions.c.user_id)
                       .where(sessions.c.token_hash == _digest(token), users.c.active.is_(True))).mappings().first()
    if row is None or row["expires_at"] < now():
        return None
    return dict(row)


def logout(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


def csrf_ok(session: dict | None, sent: str | None) -> bool:
    return bool(session and sent and secrets.compare_digest(session["csrf"], sent))


__all__ = ["COOKIE", "check_password", "csrf_ok", "hash_password", "login", "logout", "new_password", "now",
           "session_of", "throttled"]
