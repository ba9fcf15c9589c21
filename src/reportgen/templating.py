"""The Jinja environment templates run in: sandboxed, strict, and on a budget.

One function builds it (``environment``): the user's template directories first, then the
packaged templates, which are also reachable as ``builtin/…`` so an override can extend them;
Jinja's immutable sandbox; ``StrictUndefined``. Data is wrapped by ``finalize`` (see
``compose``), so it can never become template code.

An agency's own templates are code we did not write, so every render runs on a budget
(``Budget``): a wall-clock deadline (enforced even inside a loop that calls nothing, by raising
in the rendering thread), a cap on loop iterations over ``range``, on the size of any value a
template builds (``'x' * 2000000000``, ``|center(10**9)``, ``'%2000000000s' % x``, a string
doubled in a loop or a recursive macro), and on the output. Exceeding it is a ``TemplateError``
naming the template and line.
"""
from __future__ import annotations

import ctypes
import os
import re
import signal
import threading
import time
from collections.abc import Sequence
from typing import Any, Callable

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from .resources import templates_dir

SECONDS = 5.0                # one report's templates
ITERATIONS = 2_000_000       # items drawn from range() in one render
VALUE_CHARS = 2_000_000      # the largest string or list a template may build
OUTPUT_CHARS = 20_000_000    # the block markup of one report
MAX_RANGE = 100_000          # one range(), as in Jinja's sandbox


class BudgetExceeded(Exception):
    """Raised inside a render that went over its budget (turned into a TemplateError)."""


class _Timeout(BaseException):
    """Raised asynchronously in the rendering thread when the deadline passes (a BaseException,
    so that no ``except Exception`` in template code can swallow it)."""


class Budget:
    def __init__(self, seconds: float = SECONDS):
        self.deadline = time.monotonic() + seconds
        self.iterations = ITERATIONS

    def tick(self, n: int = 1) -> None:
        self.iterations -= n
        if self.iterations < 0:
            raise BudgetExceeded(f"模板的循环次数超过限制（{ITERATIONS} 次）")
        if self.iterations % 4096 == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"模板运行超时（超过 {SECONDS:g} 秒）")


_local = threading.local()


def _budget() -> Budget:
    b = getattr(_local, "budget", None)
    if b is None:
        b = _local.budget = Budget()
    return b


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(len(v) for v in value if isinstance(v, (str, bytes)))
    return 0


def _check(value: Any, what: str = "模板生成的值") -> Any:
    if _size(value) > VALUE_CHARS:
        raise BudgetExceeded(f"{what}过大（超过 {VALUE_CHARS} 个字符）")
    return value


class _Range(Sequence):
    """range() that counts what a template draws from it against the budget."""

    def __init__(self, *args: int):
        self._r = range(*args)
        if len(self._r) > MAX_RANGE:
            raise BudgetExceeded(f"range() 过大（超过 {MAX_RANGE} 项）")

    def __len__(self) -> int:
        return len(self._r)

    def __getitem__(self, i):  # type: ignore[override]
        return self._r[i]

    def __iter__(self):
        budget = _budget()
        for item in self._r:
            budget.tick()
            yield item


def _namespace_class():
    class BoundedNamespace(Namespace):
        def __setitem__(self, name: str, value: Any) -> None:
            _budget().check_time()
            super().__setitem__(name, _check(value))

    return BoundedNamespace


_WIDTH = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def _format_ok(fmt: str) -> None:
    for m in _WIDTH.finditer(fmt):
        for part in m.groups():
            if part == "*" or (part and int(part) > VALUE_CHARS):
                raise BudgetExceeded("格式化宽度过大")


def _bounded_filters(filters: dict[str, Callable]) -> dict[str, Callable]:
    """The builtin filters that can build a large value from a small one, checked first."""
    center, indent, wordwrap, replace, fmt, join = (filters[k] for k in
                                                    ("center", "indent", "wordwrap", "replace", "format", "join"))

    def b_center(value, width=80):
        if int(width) > VALUE_CHARS:
            raise BudgetExceeded("center 宽度过大")
        return center(value, width)

    def b_indent(s, width=4, *args, **kwargs):
        w = len(width) if isinstance(width, str) else int(width)
        if w * (str(s).count("\n") + 1) + len(str(s)) > VALUE_CHARS:
            raise BudgetExceeded("indent 宽度过大")
        return indent(s, width, *args, **kwargs)

    def b_wordwrap(*args, **kwargs):
        return _check(wordwrap(*args, **kwargs))

    def b_replace(eval_ctx, s, old, new, count=None):
        s, old, new = str(s), str(old), str(new)
        growth = (s.count(old) if old else len(s) + 1) * max(0, len(new) - len(old))
        if len(s) + growth > VALUE_CHARS:
            raise BudgetExceeded("replace 结果过大")
        return replace(eval_ctx, s, old, new, count)

    def b_format(value, *args, **kwargs):
        _format_ok(str(value))
        return _check(fmt(value, *args, **kwargs))

    def b_join(eval_ctx, value, d="", attribute=None):
        items = list(value)
        if sum(len(str(i)) for i in items) + len(str(d)) * len(items) > VALUE_CHARS:
            raise BudgetExceeded("join 结果过大")
        return join(eval_ctx, items, d, attribute)

    for f, orig in ((b_replace, replace), (b_join, join)):
        f.jinja_pass_arg = orig.jinja_pass_arg  # type: ignore[attr-defined]  # eval context first
    return {"center": b_center, "indent": b_indent, "wordwrap": b_wordwrap, "replace": b_replace,
            "format": b_format, "join": b_join}


def _sandbox_class():
    class BudgetedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%", "+"])

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
            _budget().check_time()
            for a in args:
                _check(a, "传给函数的值")
            return _check(super().call(__context, __obj, *args, **kwargs))

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(n, int) and not isinstance(n, bool) and n > 0 and _size(seq) * n > VALUE_CHARS:
                        raise BudgetExceeded("重复（*）的结果过大")
            elif operator == "**":
                if isinstance(right, (int, float)) and abs(right) > 1000 or \
                        isinstance(left, (int, float)) and abs(left) > 10 ** 100:
                    raise BudgetExceeded("乘方（**）过大")
            elif operator == "%" and isinstance(left, str):
                _format_ok(left)
            return _check(super().call_binop(context, operator, left, right))

    return BudgetedSandbox


def make_environment(template_dirs: tuple[str, ...] = (), finalize: Callable | None = None):
    """The one place a Jinja environment is built (see the module docstring)."""
    packaged = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(d) for d in template_dirs]
    loaders += [packaged, jinja2.PrefixLoader({"builtin": packaged})]
    env = _sandbox_class()(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(_bounded_filters(env.filters))
    env.globals.update(range=_Range, namespace=_namespace_class())
    return env


def render_on_budget(render: Callable[[], Any], seconds: float = SECONDS) -> str:
    """Run ``render`` (which yields the template's output in pieces) on a fresh budget: the
    output is collected up to ``OUTPUT_CHARS``; past the deadline the rendering thread is
    interrupted even inside a loop that calls nothing. Raises ``BudgetExceeded``."""
    _local.budget = budget = Budget(seconds)
    stop = _Deadline(seconds)
    try:
        with stop:
            out: list[str] = []
            total = 0
            for piece in render():
                total += len(piece)
                if total > OUTPUT_CHARS:
                    raise BudgetExceeded(f"模板输出过大（超过 {OUTPUT_CHARS} 个字符）")
                out.append(piece)
                budget.check_time()
            return "".join(out)
    except _Timeout:
        raise BudgetExceeded(f"模板运行超时（超过 {seconds:g} 秒）") from None
    except MemoryError:
        raise BudgetExceeded("模板运行占用内存过多") from None
    finally:
        _local.budget = None


class _Watchdog:
    """One thread per process that raises ``_Timeout`` in a rendering thread whose deadline has
    passed (CPython's async exceptions; elsewhere the budget's own checks stand alone)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.deadlines: dict[int, float] = {}
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.wake_at = 0.0  # when the thread next looks; a later deadline need not wake it

    def _run(self) -> None:
        # Signals are the main thread's business: were one delivered to this thread, Python would
        # run its handler in the main thread even while the main thread holds signals off (a write).
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP")
                                                      if hasattr(signal, n)])
        with self.cond:
            while True:
                now = time.monotonic()
                for tid, when in list(self.deadlines.items()):
                    if when <= now:
                        del self.deadlines[tid]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(_Timeout))
                self.wake_at = min(self.deadlines.values(), default=now + 3600)
                self.cond.wait(max(self.wake_at - now, 0.001))

    def watch(self, seconds: float) -> int:
        tid = threading.get_ident()
        with self.cond:
            if self.thread is None or self.pid != os.getpid():  # none yet, or inherited across fork
                self.pid = os.getpid()
                self.deadlines = {}
                self.thread = threading.Thread(target=self._run, name="reportgen-template-deadline", daemon=True)
                self.thread.start()
            self.deadlines[tid] = when = time.monotonic() + seconds
            if when < self.wake_at:
                self.cond.notify()
        return tid

    def unwatch(self, tid: int) -> None:
        with self.cond:
            self.deadlines.pop(tid, None)


_WATCHDOG = _Watchdog()


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.tid: int | None = None

    def __enter__(self):
        if not hasattr(ctypes, "pythonapi") or not hasattr(ctypes.pythonapi, "PyThreadState_SetAsyncExc"):
            return self  # pragma: no cover - not CPython
        self.tid = _WATCHDOG.watch(self.seconds)
        return self

    def __exit__(self, *exc):
        if self.tid is not None:
            _WATCHDOG.unwatch(self.tid)
        return False
