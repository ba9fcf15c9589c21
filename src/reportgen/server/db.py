"""The server's database: the tables (SQLAlchemy Core), the engine, and the migrations.

SQLite in the data folder by default, in WAL mode (readers never wait for a writer) with
foreign keys on and a busy timeout; PostgreSQL with ``--database postgresql://…``. The schema
is created and upgraded by Alembic (``migrations/``) for both, so a data folder made by one
version of reportgen is upgraded by the next.
"""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, create_engine, event)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import InputError, UsageError

DATABASE_NAME = "reportgen.sqlite3"
metadata = MetaData()

units = Table(
    "units", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # department | government | township
    Column("email", String(200), nullable=True),  # where the office's notices are mailed (migration 0003)
)
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(10), nullable=False),  # admin (the office) | clerk (a unit's)
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    # a one-time password (the admin's first, a clerk's new or reset one): changed at the first login (0003)
    Column("must_change", Boolean, nullable=False, default=False),
)
sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True),  # only a hash of the cookie is stored
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)
reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(12), nullable=False),  # draft | submitted | returned
    Column("version", Integer, nullable=False),    # the number of the current version (0: none yet)
    Column("comment", Text, nullable=True),        # the office's, when it returns a submission
    UniqueConstraint("unit_id", "year"),
)
versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("data", Text, nullable=False),          # the data file's text (YAML)
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("saved_at", DateTime, nullable=False),
    # the tables the clerk confirmed as truly empty (本表确无数据), a JSON list of table names:
    # the clerk's word, not the data file's, so it is kept beside the data (migration 0002)
    Column("zero_tables", Text, nullable=True),
    UniqueConstraint("report_id", "number"),
)
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False),
    Column("detail", Text, nullable=True),
)
attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, index=True),  # the user name and the address tried from
    Column("at", DateTime, nullable=False),
)
settings = Table(
    "settings", metadata,
    Column("key", String(40), primary_key=True),   # year, deadline
    Column("value", Text, nullable=False),
)


notices = Table(
    "notices", metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("audience", String(10), nullable=False),  # all | late: the units it went to are in notice_units
    Column("created_at", DateTime, nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
)

notice_units = Table(
    "notice_units", metadata,
    Column("notice_id", Integer, ForeignKey("notices.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("read_at", DateTime, nullable=True),    # when a clerk of the unit marked it read
    Column("mailed", String(200), nullable=True),  # the address it was mailed to, or why it was not
)


def database_url(data_dir: str | Path, url: str | None = None) -> str:
    """The SQLAlchemy URL: the SQLite file in the data folder, or the PostgreSQL given (its
    driver is psycopg 3, the ``postgresql`` extra, whatever SQLAlchemy's default)."""
    if not url:
        return f"sqlite:///{Path(data_dir).resolve() / DATABASE_NAME}"
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("sqlite", "postgresql", "postgres", "postgresql+psycopg"):
        raise UsageError(f"不支持的数据库地址“{_shown(url)}”：请用 postgresql://用户@主机/库名，或省略 --database 使用 SQLite")
    return ("sqlite://" if scheme == "sqlite" else "postgresql+psycopg://") + rest


def _shown(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def open_database(data_dir: str | Path, url: str | None = None) -> Engine:
    """The office's database, created or upgraded to the newest migration; a ``ReportgenError``
    in Chinese when the driver is missing or the server cannot be reached."""
    full = database_url(data_dir, url)
    try:
        engine = make_engine(full)
        migrate(engine)
    except ModuleNotFoundError as e:
        raise UsageError(f"缺少数据库驱动 {e.name}：pip install 'reportgen[postgresql]'") from None
    except SQLAlchemyError as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        raise InputError(f"无法打开数据库 {_shown(full)}：{reason}") from None
    return engine


def make_engine(url: str) -> Engine:
    """The engine; for SQLite, WAL mode (synchronous=NORMAL: a commit is not an fsync, the
    database cannot be corrupted, a power cut may lose the last seconds), foreign keys and a busy
    timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL's usual pairing: no corruption, no fsync a commit
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


__all__ = ["attempts", "audit", "database_url", "make_engine", "metadata", "migrate", "notice_units", "notices",
           "open_database", "reports",
           "sessions", "settings", "units", "users", "versions"]
