"""A load test of ``reportgen serve`` on the loopback interface (run: python bench/load_serve.py
[--clerks 50] [--seconds 120] [--think 1.0] [--database postgresql+psycopg://…|postgresql]);
it stops by itself.

A server is started as the CLI starts it (a subprocess, ``reportgen serve``) on a fresh SQLite
database in a temporary folder, or on ``--database``: a PostgreSQL URL, or the word
``postgresql`` for a throwaway cluster made here (initdb/pg_ctl from /usr/lib/postgresql/*/bin,
on a Unix socket, as the postgres user when run as root). Where there are two cores or more,
the server (its workers, and the throwaway PostgreSQL) is pinned to one core and this client to
another (``os.sched_setaffinity``), so neither takes the other's time; it says so when it
cannot. It reports its own CPU time against the server's (the server's process tree, from
/proc, and the PostgreSQL cluster's), and the load average.

Setup (not timed): the office logs in with its one-time password and changes it (the change
ends the session; it logs in again), adds ``--clerks`` units; each clerk logs in with the
one-time password and changes it the same way. Then, timed:

* the login storm: every clerk posts /login with the chosen password at once (wall time, and
  each login's time);
* the work: each clerk, an asyncio task with its own connection in this one light process,
  until the time is up: changes a cell and, half the time, autosaves (the page's script on
  leaving a field: JSON), changes it again and saves (the whole form, naming the version the
  page showed; the save answers with the page, as a browser stays on it), then previews —
  ``--think`` seconds (random, mean) between actions, as people pause.

Then every unit's report is checked: its version is the number of saves and autosaves its
clerk made and its data hold the clerk's last value — no save lost or overwritten. Prints
p50/p95/max of login, save, autosave and preview and the counts.
Targets (issue #21, 2 cores): 50 clerks, save p95 ≤ 100 ms, preview p95 ≤ 150 ms, 50 logins at
once in ≤ 5 s, nothing lost.
"""
from __future__ import annotations

import argparse
import asyncio
import glob
import html
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CELL = "cell/applications/本年新收/自然人"
CELL2 = "cell/applications/办理结果.予以公开/自然人"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cores() -> tuple[set[int] | None, set[int] | None, str]:
    """(the server's cores, the client's, what was done) — separate cores when there are two."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None, None, f"only {len(cores)} core available: server and client NOT pinned apart"
    return {cores[0]}, {cores[1]}, f"server pinned to core {cores[0]}, client to core {cores[1]} (of {len(cores)})"


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
        children.setdefault(int(fields[1]), []).append(int(entry))
        stats[int(entry)] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        todo += children.get(p, [])
    return total


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Postgres:
    """A throwaway PostgreSQL cluster on a Unix socket (as tests/test_server.py's fixture)."""

    def __init__(self, cores: set[int] | None):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            sys.exit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.bindir = Path(bins[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="reportgen-load-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.sock.mkdir()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.as_user, str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                        str(self.root / "log"), "-o", f"-k {self.sock} -c listen_addresses='' -c fsync=off", "start"],
                       check=True, capture_output=True, preexec_fn=_pin(cores))
        self.url = f"postgresql+psycopg://postgres@/postgres?host={self.sock}"

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _pin(cores: set[int] | None):
    return (lambda: os.sched_setaffinity(0, cores)) if cores else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=None, help="the server's worker processes (default: serve's)")
    parser.add_argument("--database", default=None,
                        help="a database URL (postgresql+psycopg://…), or 'postgresql' for a throwaway cluster")
    parser.add_argument("--autosave", type=float, default=0.5, help="the share of saves an autosave comes before")
    args = parser.parse_args()
    server_cores, client_cores, pinning = _cores()
    print(pinning)
    print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    postgres = Postgres(server_cores) if args.database == "postgresql" else None
    database = postgres.url if postgres else args.database
    try:
        with tempfile.TemporaryDirectory(prefix="reportgen-load-") as tmp:
            port = _free_port()
            env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src")}
            extra = (["--workers", str(args.workers)] if args.workers else []) + (["--database", database] if database else [])
            server = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--data", tmp, "--port", str(port), *extra],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                      preexec_fn=_pin(server_cores))
            if client_cores:
                os.sched_setaffinity(0, client_cores)
            try:
                password = None
                deadline = time.monotonic() + 60
                for line in server.stdout:
                    m = re.search(r"初始密码：(\w+)", line)
                    if m:
                        password = m.group(1)
                    if "http://" in line or time.monotonic() > deadline:
                        print("server:", line.strip())
                        break
                base = f"http://127.0.0.1:{port}"
                for _ in range(100):
                    try:
                        httpx.get(base + "/login", timeout=2)
                        break
                    except httpx.HTTPError:
                        time.sleep(0.1)
                print("database:", "SQLite (a file in a temporary folder)" if not database else
                      ("PostgreSQL (a throwaway cluster, fsync off, on the server's core)" if postgres else database))
                return run(base, password, args, server.pid, postgres)
            finally:
                server.terminate()
                server.wait(10)
    finally:
        if postgres:
            postgres.stop()


class _FormReader(HTMLParser):
    """The inputs and text areas of the report's form (id="report"), as a browser posts them."""

    def __init__(self):
        super().__init__()
        self.inside, self.fields, self.area = False, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == "report"
        elif self.inside and tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "file"):
            self.fields[a["name"]] = a.get("value") or ""
        elif self.inside and tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = "on"
        elif self.inside and tag == "textarea":
            self.area = a["name"]
            self.fields[self.area] = ""

    def handle_data(self, data):
        if self.area:
            self.fields[self.area] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.area = None
        elif tag == "form":
            self.inside = False


def _form_of(page: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(page)
    if "version" not in reader.fields or CELL not in reader.fields:
        raise RuntimeError("the report's form was not found on the page")
    return reader.fields


def _csrf(page: str) -> str:
    return html.unescape(re.search(r'name="csrf" value="([^"]+)"', page).group(1))


async def _first_login(client: httpx.AsyncClient, username: str, one_time: str, chosen: str) -> None:
    """Log in with the one-time password, change it (the session then ends), log in again."""
    r = await client.post("/login", data={"username": username, "password": one_time}, follow_redirects=False)
    if r.status_code != 303 or r.headers.get("location") != "/account":
        raise RuntimeError(f"{username}: the one-time login answered {r.status_code} → {r.headers.get('location')}")
    page = (await client.get("/account")).text
    r = await client.post("/account", data={"csrf": _csrf(page), "old": one_time, "new": chosen, "again": chosen})
    if r.status_code != 200 or "密码已修改" not in r.text:
        raise RuntimeError(f"{username}: the password change answered {r.status_code}")
    client.cookies.clear()


def q(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")


def line(name: str, values: list[float]) -> str:
    return f"{name:<9}n {len(values):5d}  p50 {q(values, .5):5.0f} ms  p95 {q(values, .95):5.0f} ms  max {q(values, 1):5.0f} ms"


def run(base: str, admin_password: str, args, server_pid: int, postgres: Postgres | None) -> int:
    return asyncio.run(_run(base, admin_password, args, server_pid, postgres))


async def _run(base: str, admin_password: str, args, server_pid: int, postgres: Postgres | None) -> int:
    admin = httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60)
    chosen = "bench-admin-" + admin_password
    await _first_login(admin, "admin", admin_password, chosen)
    r = await admin.post("/login", data={"username": "admin", "password": chosen})
    assert str(r.url.path) == "/", r.url
    accounts = []
    for i in range(args.clerks):
        page = (await admin.post("/units", data={"csrf": _csrf((await admin.get("/")).text), "name": f"单位{i:03d}",
                                                  "kind": "department"})).text
        accounts.append(re.search(r"填报账号：(\w+)，初始密码：(\w+)", page).groups())
    # every clerk changes the one-time password (not timed; a few at a time, as Argon2 is slow by design)
    clients = [httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60) for _ in accounts]
    gate = asyncio.Semaphore(4)

    async def first(client, username, one_time):
        async with gate:
            await _first_login(client, username, one_time, "bench-" + one_time)
    await asyncio.gather(*(first(c, u, p) for c, (u, p) in zip(clients, accounts)))

    server_cpu0, pg_cpu0, own_cpu0 = _tree_cpu(server_pid), _tree_cpu(postgres.pid()) if postgres else 0.0, _own_cpu()
    # the login storm: every clerk at once, with the password they chose
    logins: list[float] = []
    errors: list[str] = []

    async def login(client, username, one_time):
        t0 = time.perf_counter()
        r = await client.post("/login", data={"username": username, "password": "bench-" + one_time}, follow_redirects=False)
        logins.append(time.perf_counter() - t0)
        if r.status_code != 303 or r.headers.get("location") != "/":
            errors.append(f"{username}: login {r.status_code} → {r.headers.get('location')}")
    t0 = time.perf_counter()
    await asyncio.gather(*(login(c, u, p) for c, (u, p) in zip(clients, accounts)))
    storm = time.perf_counter() - t0
    storm_cpu = _tree_cpu(server_pid) - server_cpu0 + ((_tree_cpu(postgres.pid()) - pg_cpu0) if postgres else 0.0)
    urls = [str((await c.get("/")).url.path) for c in clients]

    saves, autosaves, previews, expected = await _clerks(clients, urls, accounts, args, errors)
    server_cpu = _tree_cpu(server_pid) - server_cpu0
    pg_cpu = (_tree_cpu(postgres.pid()) - pg_cpu0) if postgres else 0.0
    own_cpu = _own_cpu() - own_cpu0
    load = os.getloadavg()
    lost = []
    for url, (count, value) in expected.items():
        page = (await admin.get(url)).text
        version = int(re.search(r"<small>第 (\d+) 版</small>", page).group(1))
        shown = _form_of(page)[CELL]
        if version != count or (count and shown != value):
            lost.append(f"{url}: version {version}, saves {count}, value {shown} (last {value})")
    for c in clients + [admin]:
        await c.aclose()

    wall = args.seconds + storm
    print(f"{args.clerks} clerks, {args.seconds:.0f} s, think {args.think} s, autosave before {args.autosave:.0%} of saves")
    print(f"login storm: {len(logins)} logins at once in {storm:.2f} s (target ≤ 5 s); "
          f"the server's CPU meanwhile {storm_cpu:.2f} s")
    print(line("login", logins))
    print(line("save", saves) + "   (target p95 ≤ 100 ms)")
    print(line("autosave", autosaves))
    print(line("preview", previews) + "   (target p95 ≤ 150 ms)")
    print(f"CPU over the timed {wall:.0f} s: server {server_cpu:.1f} s ({server_cpu / wall:.0%} of a core)"
          + (f", PostgreSQL {pg_cpu:.1f} s ({pg_cpu / wall:.0%})" if postgres else "")
          + f", this client {own_cpu:.1f} s ({own_cpu / wall:.0%})")
    print("load average after:", " ".join(f"{x:.2f}" for x in load))
    print(f"errors {len(errors)}, lost or overwritten saves {len(lost)}")
    for text in (errors + lost)[:10]:
        print("  " + text)
    return 1 if errors or lost else 0


async def _clerks(clients: list, urls: list, accounts: list, args, errors: list):
    """The clerks, one asyncio task each (one light client process, on its own core)."""
    saves: list[float] = []
    autosaves: list[float] = []
    previews: list[float] = []
    expected: dict[str, tuple[int, str]] = {}
    stop = time.monotonic() + args.seconds

    async def clerk(client, url, username):
        count, value = 0, ""
        rng = random.Random(username)
        form = _form_of((await client.get(url)).text)  # the form, opened once: each save answers with the page
        try:
            while time.monotonic() < stop:
                if rng.random() < args.autosave:  # a cell typed and left: the page's script autosaves
                    await asyncio.sleep(rng.uniform(0, 2 * args.think))
                    value = str(rng.randint(1, 999))
                    form[CELL] = form[CELL2] = value
                    t0 = time.perf_counter()
                    r = await client.post(url + "/autosave", data=form)
                    autosaves.append(time.perf_counter() - t0)
                    if r.status_code != 200 or "version" not in r.json():
                        errors.append(f"{username}: autosave {r.status_code} {r.text[:80]}")
                        break
                    if r.json()["version"] != int(form["version"]):
                        count += 1
                    form["version"] = str(r.json()["version"])
                await asyncio.sleep(rng.uniform(0, 2 * args.think))
                value = str(rng.randint(1, 999))
                form[CELL] = form[CELL2] = value
                t0 = time.perf_counter()
                response = await client.post(url, data=form)
                saves.append(time.perf_counter() - t0)
                if response.status_code != 200 or "已保存为第" not in response.text:
                    errors.append(f"{username}: save {response.status_code}")
                    break
                count += 1
                form["version"] = re.search(r'name="version" value="(\d+)"', response.text).group(1)
                await asyncio.sleep(rng.uniform(0, 2 * args.think))
                t0 = time.perf_counter()
                preview = await client.get(url + "/preview")
                previews.append(time.perf_counter() - t0)
                if preview.status_code != 200:
                    errors.append(f"{username}: preview {preview.status_code}")
        except httpx.HTTPError as e:
            errors.append(f"{username}: {type(e).__name__} {e}")
        expected[url] = (count, value)

    await asyncio.gather(*(clerk(c, u, a[0]) for c, u, a in zip(clients, urls, accounts)))
    return saves, autosaves, previews, expected


if __name__ == "__main__":
    sys.exit(main())
