"""The time of one request of ``reportgen serve`` on each path a clerk takes, in process (no
network, SQLite in a temporary folder): open the form, save it, save from an older version
(the merge page), choose and save the merge; then submit (refused, with its reasons), last.
Run: python bench/bench_serve_paths.py [--rounds 40]. Prints the median and p95 of each, in ms.
"""
from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import tempfile
import time
import warnings

warnings.simplefilter("ignore")

from starlette.testclient import TestClient  # noqa: E402

from reportgen.server import store  # noqa: E402
from reportgen.server.app import create_app  # noqa: E402
from reportgen.server.db import make_engine, migrate  # noqa: E402


def _form(page: str) -> dict:
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', page))
    fields.update(re.findall(r'<textarea id="[^"]+" name="([^"]+)">([^<]*)</textarea>', page))
    return {k: html.unescape(v) for k, v in fields.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    times: dict[str, list[float]] = {}

    def timed(name, call):
        t0 = time.perf_counter()
        response = call()
        times.setdefault(name, []).append(time.perf_counter() - t0)
        return response

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/db.sqlite3")
        migrate(engine)
        with engine.begin() as conn:
            store.ensure_admin(conn)
            store.set_setting(conn, "year", "2024", 1)
            _, username, password = store.add_unit(conn, "某县财政局", "department", 1)
        client = TestClient(create_app(engine), follow_redirects=False)
        client.post("/login", data={"username": username, "password": password})
        url = client.get("/").headers["location"]
        has_merge = False
        for i in range(args.rounds):
            form = _form(timed("open the form", lambda: client.get(url)).text)
            stale = dict(form)
            form["cell/applications/本年新收/自然人"] = str(i)
            timed("save", lambda: client.post(url, data=form))
            stale["cell/applications/本年新收/自然人"] = str(1000 + i)
            merging = timed("save from an older version", lambda: client.post(url, data=stale))
            if merging.status_code == 409 and "/merge" in merging.text:
                has_merge = True
                hidden = {n: html.unescape(v) for n, v in
                          re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', merging.text)}
                keys = [html.unescape(k) for k in re.findall(r'data-key="([^"]+)"', merging.text)]
                timed("the merge chosen and saved",
                      lambda: client.post(url + "/merge", data=dict(hidden, **{f"choose/{k}": "mine" for k in keys})))
        for _ in range(args.rounds):  # last: an older reportgen submits the blank report (issue #18) and locks it
            timed("submit (refused)", lambda: client.post(url + "/submit", data={"csrf": form["csrf"]}))
    for name, values in times.items():
        values.sort()
        print(f"{name:28s} median {statistics.median(values) * 1000:6.1f} ms, "
              f"p95 {values[int(len(values) * .95) - 1] * 1000:6.1f} ms  ({len(values)})")
    if not has_merge:
        print("(no merge page: this version of reportgen answers a stale save otherwise)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
