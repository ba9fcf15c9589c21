"""What the office keeps: units and their clerks, each unit's report of each year, every save
of it as a version, who did what (the audit log), and snapshots.

A save names the version it was made from; when someone else has saved since, the save is
refused with a ``Conflict`` — never a silent overwrite (the app then merges, ``merge``). A
version keeps, beside its data, the tables its clerk confirmed as truly empty. A version that
no longer loads (a tampered backup) is ``Unreadable``, naming it. Restoring an old version
saves it again as the newest, so nothing is ever lost. A snapshot (``backup``) is every
table's rows but the live sessions, read in one transaction, as JSON; ``restore`` loads one
into a fresh database after checking every value against its column.
"""
from __future__ import annotations

import datetime
import json
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import Boolean, DateTime, Integer, String, insert, or_, select, update
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Connection, Engine

from ..errors import ReportgenError
from ..yamlio import MAX_DATA_BYTES, load_yaml
from .auth import hash_password, new_password, now, set_password
from .db import audit, metadata, notice_units, notices, reports, sessions, settings, units, users, versions

KINDS = {"department": "部门", "government": "本级政府", "township": "乡镇（街道）"}
STATUSES = {"empty": "未开始", "draft": "草稿", "submitted": "已提交", "returned": "已退回", "approved": "审核通过"}
LOCKED = ("submitted", "approved")  # a clerk's report the office holds: submitted (to review) or approved
REVIEW_ACTIONS = ("submitted", "returned", "approved")  # a report's path through review, as the audit log keeps it
ACTIONS = {  # the audit log's action codes in the office's words
    "create-admin": "创建管理员", "add-unit": "添加单位", "password": "修改密码", "reset-password": "重置密码",
    "setting": "修改设置", "save": "保存", "upload": "上传数据", "from-last-year": "从去年的报告开始",
    "aggregate": "汇总", "aggregate-units": "汇总范围", "merge": "合并保存", "autosave": "自动保存", "restore": "恢复旧版本", "submitted": "提交", "returned": "退回", "approved": "审核通过",
    "notice": "发布通知", "notice-read": "阅读通知", "email": "设置邮箱"}


class Conflict(Exception):
    """Someone saved the report after the version this save was made from."""

    def __init__(self, current: int):
        self.current = current
        super().__init__(f"报告已被他人修改（现为第 {current} 版）")


class Unreadable(Exception):
    """A kept version whose data no longer loads: its number and why, in the office's words."""

    def __init__(self, number: int, reason: str):
        self.number = number
        self.reason = reason
        super().__init__(f"第 {number} 版无法读取：{reason}")


def read_version(text: str, number: int) -> dict:
    """A kept version's data mapping, read as the CLI reads a data file (the same limits on
    size, nesting and aliases); ``Unreadable`` naming the version when it does not load."""
    if len(text) > MAX_DATA_BYTES:
        raise Unreadable(number, f"数据超过 {MAX_DATA_BYTES // 2**20} MB")
    try:  # a version read before: its data copied (the caller may change them), not parsed again
        parsed = _parsed(text)
    except (ReportgenError, RecursionError, MemoryError):
        parsed = None  # read again below, to say why in the version's words
    if isinstance(parsed, dict):
        return _copied(parsed)
    try:
        data, _ = load_yaml(text, f"第 {number} 版")
    except ReportgenError as e:
        where = f"（数据第 {e.line} 行）" if e.line and "行" not in e.message else ""
        raise Unreadable(number, e.message + where) from None
    except (RecursionError, MemoryError):
        raise Unreadable(number, "数据嵌套过深或过大") from None
    if not isinstance(data, dict):
        raise Unreadable(number, "数据的最外层不是“键: 值”的映射")
    return data


@lru_cache(maxsize=64)
def _parsed(text: str) -> object:
    """A version's text as read (a report's preview, page and merge read the same version again
    and again: parsing it was 40% of a preview). Never handed out: ``_copied`` first."""
    return load_yaml(text, "报告")[0]


def _copied(node: object) -> object:
    """Data as read from YAML copied: mappings and lists new, scalars (str, numbers, dates, None)
    shared — they cannot be changed."""
    if isinstance(node, dict):
        return {k: _copied(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copied(v) for v in node]
    return node


def log(conn: Connection, user_id: int | None, action: str, target: str, detail: str | None = None) -> None:
    conn.execute(insert(audit).values(at=now(), user_id=user_id, action=action, target=target, detail=detail))


def audit_rows(conn: Connection, limit: int = 500) -> list[dict]:
    """The newest entries of the audit log in the office's words: who, what, which report."""
    names = {r["id"]: f"{r['name']} {r['year']} 年度" for r in conn.execute(
        select(reports.c.id, reports.c.year, units.c.name).join(units, units.c.id == reports.c.unit_id)).mappings()}
    rows = conn.execute(select(audit, users.c.username).outerjoin(users, users.c.id == audit.c.user_id)
                        .order_by(audit.c.id.desc()).limit(limit)).mappings()
    out = []
    for r in rows:
        action, _, number = r["action"].partition(":")
        kind, _, ident = r["target"].partition(":")
        target = names.get(int(ident), r["target"]) if kind == "report" and ident.isdigit() else r["target"]
        out.append({"at": r["at"], "user": r["username"] or "系统",
                    "action": ACTIONS.get(action, r["action"]) + (f"第 {number} 版" if number else ""),
                    "target": target, "detail": r["detail"] or ""})
    return out


def ensure_admin(conn: Connection) -> str | None:
    """The office's administrator, made on the first start: its one-time password (None when
    one exists already)."""
    if conn.execute(select(users.c.id).where(users.c.role == "admin")).first():
        return None
    password = new_password()
    conn.execute(insert(users).values(username="admin", password_hash=hash_password(password), role="admin",
                                      unit_id=None, active=True, must_change=True))
    log(conn, None, "create-admin", "admin")
    return password


def add_unit(conn: Connection, name: str, kind: str, actor: int, clerk: bool = True) -> tuple[int, str | None, str | None]:
    """A unit and its clerk's account: (unit id, user name, one-time password); ``clerk=False``:
    a unit no clerk fills in (the government's own summary, made by the office), (id, None, None)."""
    if kind not in KINDS:
        raise ValueError(kind)
    unit_id = conn.execute(insert(units).values(name=name, kind=kind)).inserted_primary_key[0]
    if not clerk:
        log(conn, actor, "add-unit", name, "汇总，无填报账号")
        return unit_id, None, None
    username, password = f"unit{unit_id}", new_password()
    conn.execute(insert(users).values(username=username, password_hash=hash_password(password), role="clerk",
                                      unit_id=unit_id, active=True, must_change=True))
    log(conn, actor, "add-unit", name, f"用户 {username}")
    return unit_id, username, password


def reset_clerk(conn: Connection, unit_id: int, actor: int) -> tuple[str, str] | None:
    """A new one-time password for the unit's clerk (their sessions end): (user name, password);
    None when there is no such unit."""
    user = conn.execute(select(users, units.c.name).join(units, units.c.id == users.c.unit_id)
                        .where(users.c.unit_id == unit_id, users.c.role == "clerk")).mappings().first()
    if user is None:
        return None
    password = new_password()
    set_password(conn, user["id"], hash_password(password), one_time=True)
    log(conn, actor, "reset-password", user["name"], f"用户 {user['username']}")
    return user["username"], password


def change_password(conn: Connection, user_id: int, password_hash: str) -> None:
    """The user's own new password, hashed (every session of theirs ends)."""
    set_password(conn, user_id, password_hash)
    log(conn, user_id, "password", "本人")


def setting(conn: Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute(select(settings.c.value).where(settings.c.key == key)).first()
    return row[0] if row else default


def current_year(conn: Connection) -> int:
    """The year the office collects reports for (default: last year)."""
    return int(setting(conn, "year", str(datetime.date.today().year - 1)))


def set_setting(conn: Connection, key: str, value: str, actor: int) -> None:
    if conn.execute(select(settings.c.key).where(settings.c.key == key)).first():
        conn.execute(update(settings).where(settings.c.key == key).values(value=value))
    else:
        conn.execute(insert(settings).values(key=key, value=value))
    log(conn, actor, "setting", key, value)


def report_of(conn: Connection, unit_id: int, year: int) -> dict:
    """The unit's report of ``year`` (made empty on first use)."""
    row = conn.execute(select(reports).where(reports.c.unit_id == unit_id, reports.c.year == year)).mappings().first()
    if row is None:
        conn.execute(insert(reports).values(unit_id=unit_id, year=year, status="empty", version=0))
        row = conn.execute(select(reports).where(reports.c.unit_id == unit_id, reports.c.year == year)).mappings().first()
    return dict(row)


def report(conn: Connection, report_id: int) -> dict | None:
    row = conn.execute(select(reports).where(reports.c.id == report_id)).mappings().first()
    return dict(row) if row else None


def text_of(conn: Connection, report_id: int, number: int | None = None) -> str | None:
    """The data of a version (default: the current one); None before the first save."""
    current = report(conn, report_id)
    number = current["version"] if number is None else number
    row = conn.execute(select(versions.c.data).where(versions.c.report_id == report_id,
                                                     versions.c.number == number)).first()
    return row[0] if row else None


def kept(conn: Connection, report_id: int, number: int | None = None) -> dict | None:
    """A version as kept (default: the current one): its number, text, the tables confirmed as
    empty, when and by whom it was saved; None for version 0 (nothing saved yet)."""
    number = report(conn, report_id)["version"] if number is None else number
    row = conn.execute(select(versions.c.number, versions.c.data, versions.c.zero_tables, versions.c.saved_at,
                              users.c.username).outerjoin(users, users.c.id == versions.c.user_id)
                       .where(versions.c.report_id == report_id, versions.c.number == number)).mappings().first()
    if row is None:
        return None
    return {"number": row["number"], "text": row["data"], "zero_tables": _zero_tables(row["zero_tables"]),
            "saved_at": row["saved_at"], "username": row["username"] or ""}


def _zero_tables(stored: str | None) -> frozenset[str]:
    """The stored list of tables confirmed as empty (a malformed one confirms nothing)."""
    try:
        names = json.loads(stored) if stored else []
    except (ValueError, RecursionError):
        return frozenset()
    return frozenset(n for n in names if isinstance(n, str)) if isinstance(names, list) else frozenset()


def readable_before(conn: Connection, report_id: int, number: int, limit: int = 10, scan: int = 100) -> list[dict]:
    """Up to ``limit`` versions older than ``number`` that load, newest first (at most ``scan``
    looked at): what a report whose current version no longer loads can go back to."""
    rows = conn.execute(select(versions.c.number, versions.c.data, versions.c.saved_at, users.c.username)
                        .outerjoin(users, users.c.id == versions.c.user_id)
                        .where(versions.c.report_id == report_id, versions.c.number < number)
                        .order_by(versions.c.number.desc()).limit(scan)).mappings()
    out = []
    for r in rows:
        try:
            read_version(r["data"], r["number"])
        except Unreadable:
            continue
        out.append({"number": r["number"], "saved_at": r["saved_at"], "username": r["username"] or ""})
        if len(out) >= limit:
            break
    return out


def text_of_year(conn: Connection, unit_id: int, year: int) -> str | None:
    """The current data of the unit's report of ``year``; None when there is none or it was never saved."""
    row = conn.execute(select(reports.c.id).where(reports.c.unit_id == unit_id, reports.c.year == year)).first()
    return text_of(conn, row[0]) if row else None


def saved_at(conn: Connection, report_id: int) -> datetime.datetime | None:
    """When the current version was saved (the date its documents carry); None before the first save."""
    current = report(conn, report_id)
    row = conn.execute(select(versions.c.saved_at).where(versions.c.report_id == report_id,
                                                         versions.c.number == current["version"])).first()
    return row[0] if row else None


def save(conn: Connection, report_id: int, text: str, base: int, user_id: int, action: str = "save",
         zero_tables: Iterable[str] = ()) -> int:
    """Save ``text`` (and the tables confirmed as empty) as the next version, made from version
    ``base``; ``Conflict`` when the report has moved on since. The check and the write are one
    statement, so two saves racing cannot both win."""
    moved = conn.execute(update(reports).where(reports.c.id == report_id, reports.c.version == base)
                         .values(version=base + 1, status="draft")).rowcount
    if moved != 1:
        raise Conflict(report(conn, report_id)["version"])
    zero = sorted(set(zero_tables))
    conn.execute(insert(versions).values(report_id=report_id, number=base + 1, data=text, user_id=user_id,
                                         saved_at=now(), zero_tables=json.dumps(zero) if zero else None))
    log(conn, user_id, action, f"report:{report_id}", f"第 {base + 1} 版")
    return base + 1


def history(conn: Connection, report_id: int) -> list[dict]:
    rows = conn.execute(select(versions.c.number, versions.c.saved_at, users.c.username)
                        .join(users, users.c.id == versions.c.user_id)
                        .where(versions.c.report_id == report_id).order_by(versions.c.number.desc())).mappings()
    return [dict(r) for r in rows]


def restore_version(conn: Connection, report_id: int, number: int, user_id: int) -> int:
    """An old version (its data and the tables confirmed as empty) saved again as the newest
    (nothing is lost); ``ValueError`` when there is no such version, ``Unreadable`` when it
    does not load (restoring it would only make the newest one unreadable)."""
    old = kept(conn, report_id, number)
    if old is None:
        raise ValueError(number)
    read_version(old["text"], number)
    return save(conn, report_id, old["text"], report(conn, report_id)["version"], user_id, f"restore:{number}",
                old["zero_tables"])


def set_status(conn: Connection, report_id: int, status: str, user_id: int, comment: str | None = None) -> None:
    """The report's review state; the change is logged with the version it concerns (and the
    office's comment on a return), which is the report's review history."""
    current = report(conn, report_id)
    conn.execute(update(reports).where(reports.c.id == report_id).values(status=status, comment=comment))
    number = current["version"] if current else 0
    log(conn, user_id, f"{status}:{number}" if status in REVIEW_ACTIONS else status, f"report:{report_id}", comment)


def review_events(conn: Connection, report_ids: Iterable[int] | None = None) -> dict[int, list[dict]]:
    """Each report's submits, returns and approvals, oldest first: when, who, the version, the
    comment (``report_ids``: only these; default all)."""
    query = (select(audit.c.at, audit.c.action, audit.c.target, audit.c.detail, users.c.username)
             .outerjoin(users, users.c.id == audit.c.user_id)
             .where(or_(*[audit.c.action.like(f"{a}:%") for a in REVIEW_ACTIONS])).order_by(audit.c.id))
    wanted = None if report_ids is None else {f"report:{i}" for i in report_ids}
    if wanted is not None:
        query = query.where(audit.c.target.in_(wanted))
    events: dict[int, list[dict]] = {}
    for r in conn.execute(query).mappings():
        action, _, number = r["action"].partition(":")
        events.setdefault(int(r["target"].split(":")[1]), []).append(
            {"at": r["at"], "action": action, "shown": STATUSES[action] if action != "submitted" else "提交",
             "version": int(number) if number.isdigit() else None, "username": r["username"] or "", "comment": r["detail"] or ""})
    return events


# --- notices --------------------------------------------------------------------------------

AUDIENCES = {"all": "全部单位", "late": "未提交的单位"}


def post_notice(conn: Connection, text: str, audience: str, actor: int, unit_ids: Iterable[int]) -> int:
    """A notice from the office to ``unit_ids`` (the units ``audience`` names, chosen by the
    caller): its id. Each unit sees it until a clerk of the unit marks it read."""
    notice_id = conn.execute(insert(notices).values(text=text, audience=audience, created_at=now(),
                                                    created_by=actor)).inserted_primary_key[0]
    ids = sorted(set(unit_ids))
    if ids:
        conn.execute(insert(notice_units), [{"notice_id": notice_id, "unit_id": u} for u in ids])
    log(conn, actor, "notice", f"notice:{notice_id}", f"发给{AUDIENCES.get(audience, audience)}（{len(ids)} 个）")
    return notice_id


def unread_notices(conn: Connection, unit_id: int) -> list[dict]:
    """The notices the unit has not yet marked read, newest first."""
    rows = conn.execute(select(notices.c.id, notices.c.text, notices.c.created_at)
                        .join(notice_units, notice_units.c.notice_id == notices.c.id)
                        .where(notice_units.c.unit_id == unit_id, notice_units.c.read_at.is_(None))
                        .order_by(notices.c.id.desc())).mappings()
    return [dict(r) for r in rows]


def mark_read(conn: Connection, notice_id: int, unit_id: int, actor: int) -> bool:
    """The unit has read the notice (False: it was not sent to this unit, or was read already)."""
    done = conn.execute(update(notice_units).where(notice_units.c.notice_id == notice_id,
                                                   notice_units.c.unit_id == unit_id,
                                                   notice_units.c.read_at.is_(None)).values(read_at=now())).rowcount
    if done:
        log(conn, actor, "notice-read", f"notice:{notice_id}")
    return bool(done)


def notice_board(conn: Connection) -> list[dict]:
    """Every notice, newest first, with the units it went to: who has read it, who has not, and
    where it was mailed."""
    names = dict(conn.execute(select(units.c.id, units.c.name)).all())
    board = []
    for n in conn.execute(select(notices).order_by(notices.c.id.desc())).mappings():
        went = conn.execute(select(notice_units).where(notice_units.c.notice_id == n["id"])).mappings().all()
        board.append({**dict(n), "audience_shown": AUDIENCES.get(n["audience"], n["audience"]),
                      "unread": [names[w["unit_id"]] for w in went if w["read_at"] is None],
                      "read": [names[w["unit_id"]] for w in went if w["read_at"] is not None],
                      "mailed": [f"{names[w['unit_id']]}：{w['mailed']}" for w in went if w["mailed"]]})
    return board


def note_mailed(conn: Connection, notice_id: int, unit_id: int, outcome: str) -> None:
    """Where a notice was mailed for the unit, or why it was not."""
    conn.execute(update(notice_units).where(notice_units.c.notice_id == notice_id, notice_units.c.unit_id == unit_id)
                 .values(mailed=outcome[:200]))


def set_email(conn: Connection, unit_id: int, email: str | None, actor: int) -> None:
    conn.execute(update(units).where(units.c.id == unit_id).values(email=email or None))
    log(conn, actor, "email", f"unit:{unit_id}", email or "（清除）")


# --- snapshots ----------------------------------------------------------------------------

NOT_KEPT = (sessions,)  # a snapshot restored must not log anyone in: live sessions stay behind
_INT_RANGE = (-2**63, 2**63 - 1)


def backup(engine: Engine) -> bytes:
    """Every table's rows but the live sessions, read in one transaction (a consistent
    snapshot), as JSON."""
    out: dict[str, Any] = {"format": "reportgen-serve-backup", "version": 1, "tables": {}}
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if table in NOT_KEPT:
                continue
            rows = conn.execute(select(table)).mappings()
            out["tables"][table.name] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                                         for r in rows]
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


def restore(engine: Engine, snapshot: bytes) -> None:
    """A snapshot loaded into a fresh (migrated, empty) database; ``ValueError`` with a message
    for the office when the file is not a snapshot or does not fit the database. Sessions in
    a snapshot (older backups carried them) are left out: everyone logs in again."""
    try:
        data = json.loads(snapshot)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"不是 reportgen serve 的备份文件（{e}）") from None
    except RecursionError:
        raise ValueError("不是 reportgen serve 的备份文件（嵌套层次过深）") from None
    if not isinstance(data, dict) or data.get("format") != "reportgen-serve-backup" \
            or not isinstance(data.get("tables"), dict):
        raise ValueError("不是 reportgen serve 的备份文件")
    with engine.begin() as conn:
        if conn.execute(select(users.c.id)).first():
            raise ValueError("数据库不是空的：请在新的数据目录中恢复")
        for table in metadata.sorted_tables:
            if table in NOT_KEPT:
                continue
            rows = data["tables"].get(table.name, [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) and set(r) <= set(table.c.keys())
                                                       for r in rows):
                raise ValueError(f"备份文件中的表 {table.name} 与数据库的结构不符")
            try:
                rows = [_row_of(table, row, n) for n, row in enumerate(rows, 1)]
                if rows:
                    conn.execute(insert(table), rows)
            except DBAPIError as e:
                raise ValueError(f"备份文件中的表 {table.name} 无法写入：{str(e.orig or e).splitlines()[0]}") from None
        if conn.dialect.name == "postgresql":  # rows came with their ids: the sequences go on after them
            for table in metadata.sorted_tables:
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    conn.execute(sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def unreadable_versions(engine: Engine) -> list[str]:
    """Every kept version that no longer loads (after a restore: a backup tampered with), as
    the office names it: 单位 年度 第 N 版：why."""
    out = []
    with engine.begin() as conn:
        rows = conn.execute(select(versions.c.number, versions.c.data, reports.c.year, units.c.name)
                            .join(reports, reports.c.id == versions.c.report_id)
                            .join(units, units.c.id == reports.c.unit_id)
                            .order_by(units.c.id, reports.c.year, versions.c.number)).mappings()
        for r in rows:
            try:
                read_version(r["data"], r["number"])
            except Unreadable as e:
                out.append(f"{r['name']} {r['year']} 年度 {e}")
    return out


def _row_of(table, row: dict, n: int) -> dict:
    """A snapshot's row with each value checked against its column (a date read from its text);
    ``ValueError`` naming the table, the row and the column when one does not fit."""
    out = {}
    for name, value in row.items():
        column = table.c[name]
        kind = column.type
        if value is None:
            fits = column.nullable or column.primary_key
        elif isinstance(kind, Boolean):
            fits = isinstance(value, bool)
        elif isinstance(kind, Integer):
            fits = isinstance(value, int) and not isinstance(value, bool) and _INT_RANGE[0] <= value <= _INT_RANGE[1]
        elif isinstance(kind, DateTime):
            try:
                value, fits = datetime.datetime.fromisoformat(value), True
            except (TypeError, ValueError):
                fits = False
        elif isinstance(kind, String):  # Text too
            fits = isinstance(value, str) and (kind.length is None or len(value) <= kind.length)
        else:  # pragma: no cover - every column is one of the above
            fits = False
        if not fits:
            raise ValueError(f"备份文件中的表 {table.name} 第 {n} 行的 {name} 无法写入（值不符合该列的类型）")
        out[name] = value
    return out


__all__ = ["ACTIONS", "AUDIENCES", "KINDS", "LOCKED", "NOT_KEPT", "REVIEW_ACTIONS", "STATUSES", "Conflict", "Unreadable", "add_unit", "audit_rows", "backup",
           "change_password", "current_year", "ensure_admin", "history", "kept", "log", "mark_read", "note_mailed", "notice_board", "post_notice", "read_version", "readable_before",
           "report", "report_of", "reset_clerk", "restore", "restore_version", "review_events", "save", "saved_at", "set_setting",
           "set_email", "set_status", "setting", "text_of", "text_of_year", "unread_notices", "unreadable_versions"]
