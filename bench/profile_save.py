"""A save profiled on the server's side (run: python bench/profile_save.py [--saves 100]
[--database URL] [--sort tottime|cumulative] [--route save|autosave|preview|get]): the app
in this process (httpx's ASGI transport in the one thread and event loop, so the profile sees the
server's work; no network), a fresh SQLite database in a temporary
folder (or ``--database``), one clerk who changed the one-time password; ``--saves`` saves of
the whole form, each answered with the page, as the browser makes them. Prints the mean time
of a request without the profiler, then the profile's top entries."""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_serve import CELL, CELL2, _csrf, _form_of  # noqa: E402

import asyncio  # noqa: E402

import httpx  # noqa: E402

from reportgen.server import store  # noqa: E402
from reportgen.server.app import create_app  # noqa: E402
from reportgen.server.db import open_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--database", default=None)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--route", default="save", choices=["save", "autosave", "preview", "get"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_database(tmp, args.database)
        with engine.begin() as conn:
            store.ensure_admin(conn)
            _, username, one_time = store.add_unit(conn, "单位甲", "department", 1)
        asyncio.run(_profile(engine, username, one_time, args))
    return 0


async def _profile(engine, username, one_time, args) -> None:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(engine)), base_url="http://testserver",
                               follow_redirects=True)
    await client.post("/login", data={"username": username, "password": one_time})
    await client.post("/account", data={"csrf": _csrf((await client.get("/account")).text), "old": one_time,
                                  "new": "chosen-password", "again": "chosen-password"})
    client.cookies.clear()
    await client.post("/login", data={"username": username, "password": "chosen-password"})
    url = str((await client.get("/")).url.path)
    form = _form_of((await client.get(url)).text)
    n = [0]

    async def one():
        n[0] += 1
        form[CELL] = form[CELL2] = str(n[0] % 900 + 1)
        if args.route == "save":
            r = await client.post(url, data=form)
            assert r.status_code == 200 and "已保存为第" in r.text, r.status_code
            form["version"] = re.search(r'name="version" value="(\d+)"', r.text).group(1)
        elif args.route == "autosave":
            r = await client.post(url + "/autosave", data=form)
            assert r.status_code == 200, r.text
            form["version"] = str(r.json()["version"])
        elif args.route == "preview":
            assert (await client.get(url + "/preview")).status_code == 200
        else:
            assert (await client.get(url)).status_code == 200
    if args.route == "preview":
        one_route, args.route = args.route, "save"
        await one()
        args.route = one_route
    for _ in range(5):  # warm: templates compiled, models built
        await one()
    batches = []  # wall and CPU time a request, in batches of ten: the quickest batch is the least disturbed
    for _ in range(max(1, args.saves // 10)):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(10):
            await one()
        batches.append(((time.perf_counter() - t0) / 10, (time.process_time() - c0) / 10))
    plain = sum(b[0] for b in batches) / len(batches)
    cpu = sum(b[1] for b in batches) / len(batches)
    best = min(b[1] for b in batches)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.saves):
        await one()
    profile.disable()
    print(f"{args.route}: {plain * 1000:.1f} ms a request, CPU {cpu * 1000:.1f} ms (quickest ten: {best * 1000:.1f} ms) "
          f"(in process, no profiler), "
          f"{args.saves} requests; page {len((await client.get(url)).text) // 1024} KiB")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
