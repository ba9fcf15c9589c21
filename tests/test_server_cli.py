"""``reportgen serve`` as the office starts it: one command makes the data folder and the
database, prints the administrator's one-time password once, listens on the loopback
interface and stops on SIGTERM; ``--backup`` and ``--restore`` move the office to a fresh
folder, and a restore into a folder in use, of a file nested too deep or of rows that do not fit
is a Chinese message, not a traceback; a restore names the versions that no longer load."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")


def _cli(*args, cwd, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(folder, cwd, *options):
    port = _port()
    child = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--data", str(folder), "--port", str(port),
                              "--workers", "1", *options], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/login", timeout=1).status_code == 200:
                return child, base
        except httpx.TransportError:
            time.sleep(0.1)
        if child.poll() is not None:
            break
    child.kill()
    pytest.fail("reportgen serve did not start: " + child.stderr.read())


def _stop(child) -> str:
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=30)
    return out


def _log_in(base, password) -> httpx.Client:
    """The administrator logged in; the one-time password printed at the first start is changed
    first (to one derived from it, which a later login tries when the first is refused)."""
    client = httpx.Client(base_url=base)
    response = client.post("/login", data={"username": "admin", "password": password})
    if response.status_code == 401:
        response = client.post("/login", data={"username": "admin", "password": password + "-chosen"})
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/account":
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/account").text).group(1)
        chosen = password + "-chosen"
        assert client.post("/account", data={"csrf": csrf, "old": password, "new": chosen, "again": chosen}).status_code == 200
        client = httpx.Client(base_url=base)
        assert client.post("/login", data={"username": "admin", "password": chosen}).status_code == 303
    return client


def test_one_command_starts_the_office_and_a_backup_moves_it_to_a_fresh_folder(tmp_path):
    folder = tmp_path / "年报数据"
    child, base = _start(folder, tmp_path)
    out = _stop(child)
    password = re.search(r"初始密码：(\w+)", out).group(1)
    assert "http://127.0.0.1:" in out and any(folder.glob("*.sqlite3"))

    child, base = _start(folder, tmp_path)  # the second start makes no new administrator
    try:
        admin = _log_in(base, password)
        csrf = re.search(r'name="csrf" value="([^"]+)"', admin.get("/").text).group(1)
        page = admin.post("/units", data={"csrf": csrf, "name": "某县财政局", "kind": "department"}).text
        assert "填报账号：unit1" in page
    finally:
        out = _stop(child)
    assert "初始密码" not in out

    backup = tmp_path / "备份.json"
    done = _cli("serve", "--data", str(folder), "--backup", str(backup), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    moved = tmp_path / "新目录"
    done = _cli("serve", "--data", str(moved), "--restore", str(backup), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    again = _cli("serve", "--data", str(moved), "--restore", str(backup), cwd=tmp_path)
    assert again.returncode != 0 and "数据库不是空的" in again.stderr and "Traceback" not in again.stderr
    not_backup = tmp_path / "x.json"
    not_backup.write_text("{}", "utf-8")
    refused = _cli("serve", "--data", str(tmp_path / "其他"), "--restore", str(not_backup), cwd=tmp_path)
    assert refused.returncode != 0 and "不是 reportgen serve 的备份文件" in refused.stderr
    assert "Traceback" not in refused.stderr

    child, base = _start(moved, tmp_path)
    try:
        admin = _log_in(base, password)  # the same accounts, the same units
        assert "某县财政局" in admin.get("/").text
    finally:
        _stop(child)


def test_serve_without_the_server_extra_names_the_package(tmp_path):
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "starlette.py").write_text("raise ImportError('blocked for the test')\n", "utf-8")
    env = dict(os.environ, PYTHONPATH=str(blocker))
    done = subprocess.run([sys.executable, "-m", "reportgen", "serve", "--data", str(tmp_path / "d")],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0 and "pip install 'reportgen[server]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_database_that_cannot_be_opened_is_a_chinese_message(tmp_path):
    (tmp_path / "a-file").write_text("", "utf-8")
    cases = [(["--database", "postgresql://nobody:secret@127.0.0.1:1/x"], "无法打开数据库", 1),
             (["--database", "mysql://x/y"], "不支持的数据库地址", 2),
             (["--data", str(tmp_path / "a-file" / "sub")], "无法创建数据目录", 1)]
    for args, message, code in cases:
        done = _cli("serve", *args, cwd=tmp_path)
        assert done.returncode == code and message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr and "secret" not in done.stderr


def test_a_restore_of_a_broken_or_tampered_backup_says_so_in_chinese(tmp_path):
    import json

    from reportgen.datafile import dump
    from reportgen.editions import EDITIONS
    from reportgen.scaffold import blank_data
    from reportgen.server import store
    from reportgen.server.db import open_database

    deep = tmp_path / "deep.json"
    deep.write_bytes(b'{"format": "reportgen-serve-backup", "tables": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    done = _cli("serve", "--data", str(tmp_path / "a"), "--restore", str(deep), cwd=tmp_path)
    assert done.returncode == 1 and "嵌套层次过深" in done.stderr and "Traceback" not in done.stderr, done.stderr
    missing = _cli("serve", "--data", str(tmp_path / "b"), "--restore", str(tmp_path / "无.json"), cwd=tmp_path)
    assert missing.returncode == 1 and "无法读取备份文件：找不到路径" in missing.stderr

    (tmp_path / "office").mkdir()
    engine = open_database(tmp_path / "office")
    with engine.begin() as conn:
        store.ensure_admin(conn)
        unit_id, _, _ = store.add_unit(conn, "某县财政局", "department", 1)
        row = store.report_of(conn, unit_id, 2024)
        store.save(conn, row["id"], dump(blank_data(EDITIONS["2021"], "某县财政局", 2024), EDITIONS["2021"]), 0, 1)
        store.save(conn, row["id"], "版式: [\n", 1, 1)  # as a tampered backup would carry it
    snapshot = json.loads(store.backup(engine))
    engine.dispose()
    backup = tmp_path / "备份.json"
    backup.write_text(json.dumps(snapshot, ensure_ascii=False), "utf-8")
    done = _cli("serve", "--data", str(tmp_path / "c"), "--restore", str(backup), cwd=tmp_path)
    assert done.returncode == 0 and "登录会话不随备份恢复" in done.stdout
    assert "1 个报告版本无法读取" in done.stderr and "某县财政局 2024 年度 第 2 版无法读取" in done.stderr


def test_forwarded_addresses_count_only_from_a_named_proxy(tmp_path):
    """From loopback, a made-up X-Forwarded-For does not get around the login throttle; with the
    loopback named as the proxy, each forwarded client is throttled on its own."""
    def tries(base, address, n):
        return [httpx.post(base + "/login", data={"username": "admin", "password": "wrong-password"},
                           headers={"X-Forwarded-For": address}).status_code for _ in range(n)]

    child, base = _start(tmp_path / "a", tmp_path)
    try:
        assert tries(base, "10.0.0.1", 5) == [401] * 5
        assert tries(base, "10.0.0.2", 1) == [429]  # the header changed nothing
    finally:
        _stop(child)
    child, base = _start(tmp_path / "b", tmp_path, "--trusted-proxy", "127.0.0.1")
    try:
        assert tries(base, "10.0.0.1", 5) == [401] * 5
        assert tries(base, "10.0.0.1", 1) == [429]
        assert tries(base, "10.0.0.2", 1) == [401]  # another client behind the proxy
    finally:
        _stop(child)
