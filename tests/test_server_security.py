"""The guards of ``reportgen serve`` left open before (issue #21), through its HTTP interface:
the login throttle keyed by the address a configured trusted proxy reports (and only then),
the same answer time for an unknown user as for a wrong password, Argon2id at OWASP's
parameters with older hashes made again at the next login."""
from __future__ import annotations

import statistics
import time

from test_server import _client, _login, fresh, office, postgres  # noqa: F401

from reportgen.server import auth
from reportgen.server.db import users


def _tries(client, user: str, address: str, n: int) -> list[int]:
    return [client.post("/login", data={"username": user, "password": "wrong-password"},
                        headers={"X-Forwarded-For": address}).status_code for _ in range(n)]


def test_the_throttle_trusts_forwarded_addresses_only_from_a_named_proxy(office, monkeypatch):
    engine, _ = office
    client = _client(engine)  # the test client connects from "testclient"
    # no proxy named: the header is the client's own to write and changes nothing
    assert _tries(client, "admin", "10.0.0.1", 5) == [401] * 5
    assert _tries(client, "admin", "10.0.0.2", 1) == [429]
    with engine.begin() as conn:
        conn.execute(auth.attempts.delete())
    monkeypatch.setenv("REPORTGEN_TRUSTED_PROXIES", "testclient")
    assert _tries(client, "admin", "10.0.0.1", 5) == [401] * 5
    assert _tries(client, "admin", "10.0.0.1", 1) == [429]  # the same client behind the proxy: held
    assert _tries(client, "admin", "10.0.0.2", 1) == [401]  # another behind it: not held for the first's
    assert _tries(client, "admin", "10.0.0.3, testclient", 1) == [401]  # the nearest hop not a proxy counts
    assert auth.client_address("testclient", "1.1.1.1, 10.0.0.9", frozenset({"testclient"})) == "10.0.0.9"
    assert auth.client_address("198.51.100.7", "10.0.0.9", frozenset({"testclient"})) == "198.51.100.7"


def test_an_unknown_user_takes_as_long_as_a_wrong_password(office, monkeypatch):
    engine, _ = office
    client = _client(engine)
    # by construction: either way one Argon2 check of a hash made with the same parameters
    checked = []
    real = auth.check_password
    monkeypatch.setattr(auth, "check_password", lambda stored, pw: (checked.append(stored.split("$")[3]), real(stored, pw))[1])
    for user in ("nobody-at-all", "admin"):
        with engine.begin() as conn:
            conn.execute(auth.attempts.delete())
        client.post("/login", data={"username": user, "password": "wrong-password"})
    assert checked == ["m=19456,t=2,p=1"] * 2
    # and measured, alternating the two so that the machine's other work falls on both alike
    times: dict[str, list[float]] = {"nobody-at-all": [], "admin": []}
    for _ in range(7):
        for user in times:
            with engine.begin() as conn:
                conn.execute(auth.attempts.delete())
            start = time.perf_counter()
            client.post("/login", data={"username": user, "password": "wrong-password"})
            times[user].append(time.perf_counter() - start)
    unknown, wrong = statistics.median(times["nobody-at-all"]), statistics.median(times["admin"])
    assert 0.33 < unknown / wrong < 3.0, (unknown, wrong)  # was ~80 ms against ~600 ms


def test_argon2_at_owasp_parameters_and_older_hashes_made_again(office):
    from argon2 import PasswordHasher
    from sqlalchemy import select, update

    engine, password = office
    stored = auth.hash_password("x" * 12)
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in stored  # OWASP Password Storage Cheat Sheet
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(password)  # the hash before
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == "admin").values(password_hash=old))
    _login(engine, "admin", password)
    with engine.begin() as conn:
        now_stored = conn.execute(select(users.c.password_hash).where(users.c.username == "admin")).scalar_one()
    assert "m=19456,t=2,p=1" in now_stored and auth.check_password(now_stored, password + "-chosen")


def test_argon2_runs_at_most_once_a_core_at_a_time(monkeypatch):
    """A login storm queues for the cores instead of holding 19 MiB for every waiting login."""
    import threading

    running, peak, lock = [0], [0], threading.Lock()
    real = auth._HASHER
    stored = auth.hash_password("x" * 12)

    class Counting:  # the hasher, counting how many verify at once
        def verify(self, stored, password):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            try:
                time.sleep(0.01)
                return real.verify(stored, password)
            finally:
                with lock:
                    running[0] -= 1

    monkeypatch.setattr(auth, "_HASHER", Counting())
    threads = [threading.Thread(target=auth.check_password, args=(stored, "x" * 12)) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= peak[0] <= auth._CORES
