"""Who is asking: passwords, sessions, CSRF tokens, login throttling.

* Passwords are hashed with Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, one
  lane: ~30 ms a login on this machine against ~270 ms for argon2-cffi's defaults, so 50 clerks
  logging in at once wait seconds, not half a minute), never stored; a hash made with other
  parameters is made again at the next login.
* A user name that does not exist costs the same time as a wrong password (a hash is checked
  either way): the answer's time does not tell which names exist.
* A one-time password (the administrator's first, a clerk's new or reset one) must be changed
  at the first login before anything else is shown (``must_change``).
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
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from .db import attempts, sessions, users

COOKIE = "reportgen_session"
SESSION_HOURS = 12
MAX_FAILURES = 5
WINDOW = _dt.timedelta(minutes=10)
# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1 (bench: ~30 ms a hash)
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_NOBODY: list[str] = []  # a hash to check when the user name is unknown (made once, on first need)


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


# at most as many Argon2 computations at once as the process has cores: a login storm queues for a
# core instead of holding 19 MiB for every waiting login (40 at once per worker, measured)
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_SLOTS = threading.BoundedSemaphore(max(1, _CORES))


def hash_password(password: str) -> str:
    with _SLOTS:
        return _HASHER.hash(password)


def check_password(stored: str, password: str) -> bool:
    with _SLOTS:
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


def record_failure(conn: Connection, key: str) -> None:
    """A wrong password tried under ``key`` (user name and where from): counted by ``throttled``."""
    conn.execute(insert(attempts).values(key=key, at=now()))


def login(conn: Connection, username: str, password: str, address: str) -> tuple[str, dict] | str:
    """(session token, user) on success; else why not, in Chinese."""
    key = f"{username}@{address}"
    if throttled(conn, key):
        return "登录失败次数过多，请 10 分钟后再试"
    user = conn.execute(select(users).where(users.c.username == username, users.c.active.is_(True))).mappings().first()
    if user is None:
        if not _NOBODY:
            _NOBODY.append(hash_password(secrets.token_urlsafe(16)))
        check_password(_NOBODY[0], password)  # the time a wrong password takes: no tell for unknown names
        record_failure(conn, key)
        return "用户名或密码不正确"
    if not check_password(user["password_hash"], password):
        record_failure(conn, key)
        return "用户名或密码不正确"
    conn.execute(delete(attempts).where(attempts.c.key == key))
    if _HASHER.check_needs_rehash(user["password_hash"]):  # made with older parameters: made again now
        conn.execute(update(users).where(users.c.id == user["id"]).values(password_hash=hash_password(password)))
    token = secrets.token_urlsafe(32)
    conn.execute(insert(sessions).values(token_hash=_digest(token), user_id=user["id"], csrf=secrets.token_urlsafe(32),
                                         expires_at=now() + _dt.timedelta(hours=SESSION_HOURS)))
    return token, dict(user)


def session_of(conn: Connection, token: str | None) -> dict | None:
    """The session and its user for a cookie's token, or None (absent, unknown, expired)."""
    if not token:
        return None
    row = conn.execute(select(sessions, users.c.username, users.c.role, users.c.unit_id, users.c.must_change)
                       .join(users, users.c.id == sessions.c.user_id)
                       .where(sessions.c.token_hash == _digest(token), users.c.active.is_(True))).mappings().first()
    if row is None or row["expires_at"] < now():
        return None
    return dict(row)


def logout(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


MIN_PASSWORD = 10


def set_password(conn: Connection, user_id: int, password_hash: str, one_time: bool = False) -> None:
    """A new password (its hash); every session of the user ends (a stolen cookie goes with the
    old password). ``one_time``: handed out by the office, to be changed at the first login."""
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash, must_change=one_time))
    conn.execute(delete(sessions).where(sessions.c.user_id == user_id))


def password_problem(password: str, again: str) -> str | None:
    """Why a chosen password is refused, in Chinese; None when it is fine."""
    if password != again:
        return "两次输入的新密码不一致"
    if len(password) < MIN_PASSWORD:
        return f"新密码至少 {MIN_PASSWORD} 个字符"
    return None


def client_address(peer: str | None, forwarded: str | None, trusted: frozenset[str]) -> str:
    """Where a request came from, for the login throttle: the connecting address, or — when that
    is a proxy the office named (``serve --trusted-proxy``) — the nearest address in its
    ``X-Forwarded-For`` that is not itself a trusted proxy. From anyone else the header is
    ignored: it is the client's to write."""
    address = peer or "?"
    if address not in trusted or not forwarded:
        return address
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if hop not in trusted:
            return hop[:100]
    return address


def csrf_ok(session: dict | None, sent: str | None) -> bool:
    return bool(session and sent and secrets.compare_digest(session["csrf"], sent))


__all__ = ["COOKIE", "MIN_PASSWORD", "check_password", "client_address", "csrf_ok", "hash_password", "login", "logout", "new_password",
           "now", "password_problem", "record_failure", "session_of", "set_password", "throttled"]
