"""``form_fields``, the server's own reading of an urlencoded form (a save's names decoded once),
reads every body exactly as starlette's ``request.form()`` does."""
from __future__ import annotations

import asyncio
import random

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")

from starlette.datastructures import Headers  # noqa: E402
from starlette.exceptions import HTTPException  # noqa: E402
from starlette.formparsers import FormParser  # noqa: E402

from reportgen.server.views.base import MAX_FIELDS, form_fields  # noqa: E402


def _starlette(body: bytes):
    async def stream():
        yield body
    try:
        form = asyncio.run(FormParser(Headers({}), stream(), max_fields=MAX_FIELDS).parse())
    except Exception:  # MultiPartException: the route answers 400
        return "refused"
    return list({k: v for k, v in form.items()}.items())


def _ours(body: bytes):
    try:
        return list(form_fields(body).items())
    except HTTPException as e:
        assert e.status_code == 400
        return "refused"


def test_form_fields_read_as_starlette_reads_them():
    pieces = [b"a", b"b", b"&", b"=", b"+", b"%", b"%2", b"%2B", b"%26", b"%3D", b"%E5%8D%95", b"%E5", b"%zz",
              b"\xff", b"/", b" ", b"&&", b"=="]
    rng = random.Random(21)
    too_large, too_many = b"x=" + b"y" * (1024 * 1024), b"&".join(b"f%d=1" % i for i in range(MAX_FIELDS + 1))
    bodies = [b"", b"&", b"=", b"a", b"a=", b"=b", b"a=1&a=2&b", b"a=1&&b=2&",
              b"cell%2Fapplications%2F%E6%9C%AC%E5%B9%B4%E6%96%B0%E6%94%B6%2F%E8%87%AA%E7%84%B6%E4%BA%BA=12&version=3",
              too_large, b"x=" + b"y" * (1024 * 1024 - 2),  # a field too large, and one just not
              b"&".join(b"f%d=1" % i for i in range(MAX_FIELDS)), too_many]
    bodies += [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(1500)]
    for body in bodies:
        assert _ours(body) == _starlette(body), body[:80]
    assert _ours(bodies[8]) == [("cell/applications/本年新收/自然人", "12"), ("version", "3")]
    assert _ours(too_large) == "refused" and _ours(too_many) == "refused"
