"""``reportgen serve``: the 年报填报 system of a government office (issue #14; the optional
extra ``pip install 'reportgen[server]'``).

Modules, bottom up: ``db`` (the schema, the engine for SQLite in WAL mode or PostgreSQL, the
Alembic migrations), ``auth`` (passwords hashed with Argon2id, server-side sessions in HttpOnly
SameSite cookies, CSRF tokens, login throttling), ``store`` (units, users, reports, every save a
version, conflicts, the audit log, backups), ``forms`` (a report as the HTML form generated from
the declarations, and the form back into data), ``uploads`` (an uploaded file read by the CLI's
readers in a child process with a time and memory limit), ``views`` (the pages: access, the
office's, a report's form, saving and merging), ``app`` (the routes, each authorised by role and
unit, joined into one app).
"""
