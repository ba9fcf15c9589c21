"""A load test of ``reportgen serve`` on the loopback interface (run: python bench/load_serve.py
[--clerks 50] [--seconds 120] [--think 1.0]); it stops by itself.

A server with a fresh SQLite database in a temporary folder is started as the CLI starts it (a
subprocess, ``reportgen serve``); ``--clerks`` units are added, and as many clerks, each an
asyncio task with its own connection in one light client process, log in and, until the time
is up, open their report, change a
cell, save (naming the version the page showed; the save answers with the page, as a browser
stays on it), and preview — with ``--think`` seconds
between actions, as people pause. Then every unit's report is checked: its version is the
number of saves its clerk made and its data hold the clerk's last value — no save lost or
overwritten. Prints p50/p95/max of save and preview and the counts.
Targets (issue #14): 50 clerks, p95 save ≤ 100 ms, preview ≤ 150 ms, nothing lost.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=None, help="the server's worker processes (default: serve's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportgen-load-") as tmp:
        port = _free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        workers = ["--workers", str(args.workers)] if args.workers else []
        server = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--data", tmp, "--port", str(port), *workers],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            password = None
            deadline = time.monotonic() + 60
            for line in server.stdout:
                m = re.search(r"初始密码：(\w+)", line)
                if m:
                    password = m.group(1)
                if "http://" in line or time.monotonic() > deadline:
                    break
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            return run(base, password, args)
        finally:
            server.terminate()
            server.wait(10)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def run(base: str, admin_password: str, args) -> int:
    admin = httpx.Client(base_url=base, follow_redirects=True, timeout=30)
    admin.post("/login", data={"username": "admin", "password": admin_password})
    accounts = []
    for i in range(args.clerks):
        page = admin.post("/units", data={"csrf": _csrf(admin.get("/").text), "name": f"单位{i:03d}",
                                          "kind": "department"}).text
        accounts.append(re.search(r"填报账号：(\w+)，初始密码：(\w+)", page).groups())
    saves, previews, errors, expected = asyncio.run(_clerks(base, accounts, args))
    lost = []
    for url, (count, value) in expected.items():
        page = admin.get(url).text
        version = int(re.search(r"<small>第 (\d+) 版</small>", page).group(1))
        shown = re.search(r'name="cell/applications/本年新收/自然人" value="([^"]*)"', page).group(1)
        if version != count or (count and shown != value):
            lost.append(f"{url}: version {version}, saves {count}, value {shown} (last {value})")

    def q(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else float("nan")

    print(f"{args.clerks} clerks, {args.seconds:.0f} s, think {args.think} s: {len(saves)} saves, {len(previews)} previews")
    print(f"save    p50 {q(saves, .5):.0f} ms, p95 {q(saves, .95):.0f} ms, max {q(saves, 1):.0f} ms")
    print(f"preview p50 {q(previews, .5):.0f} ms, p95 {q(previews, .95):.0f} ms, max {q(previews, 1):.0f} ms")
    print(f"errors {len(errors)}, lost or overwritten saves {len(lost)}")
    for line in (errors + lost)[:10]:
        print("  " + line)
    return 1 if errors or lost else 0


async def _clerks(base: str, accounts: list, args):
    """The clerks, one asyncio task each (one light client process, so the server has the cores)."""
    saves: list[float] = []
    previews: list[float] = []
    errors: list[str] = []
    expected: dict[str, tuple[int, str]] = {}
    clients = []
    urls = []
    for username, password in accounts:  # all log in first (Argon2 is slow by design), then the clock runs
        client = httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60)
        await client.post("/login", data={"username": username, "password": password})
        urls.append(str((await client.get("/")).url.path))
        clients.append(client)
    stop = time.monotonic() + args.seconds

    async def clerk(client, url, username):
        count, value = 0, ""
        rng = random.Random(username)
        page = (await client.get(url)).text  # the form, opened once: each save answers with the page
        form = dict(re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', page))
        form.update(re.findall(r'<textarea id="[^"]+" name="([^"]+)">([^<]*)</textarea>', page))
        while time.monotonic() < stop:
            await asyncio.sleep(rng.uniform(0, 2 * args.think))
            value = str(rng.randint(1, 999))
            form["cell/applications/本年新收/自然人"] = value
            form["cell/applications/办理结果.予以公开/自然人"] = value
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
        expected[url] = (count, value)

    await asyncio.gather(*(clerk(c, u, a[0]) for c, u, a in zip(clients, urls, accounts)))
    for c in clients:
        await c.aclose()
    return saves, previews, errors, expected


if __name__ == "__main__":
    sys.exit(main())
