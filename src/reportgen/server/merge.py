"""A save that met a newer version, merged three ways, so that nothing either side saved is lost.

The three: the version the clerk's form was made from (``base``), the version saved since
(``theirs``) and the clerk's data (``mine``). They are compared value by value — a field of
the narrative, a cell of a table (every leaf of the data mapping; a list, such as 落款, is one
value) — and each value is settled:

* changed on one side only: that side's value, taken without asking (the page says so);
* changed on both sides to the same value: that value;
* changed on both sides differently: a true conflict, which only the clerk decides
  (``Merge.result`` with a choice for each; ``Merge.missing`` names those not chosen).

"Changed by the clerk" is judged against what the form would have posted had the clerk changed
nothing (``mine_base``: the base through the form, as ``forms.form_values`` fills it), so the
form's own way of writing a value is never mistaken for a change. The tables confirmed as empty
(本表确无数据) are merged the same way, table by table; a box ticked is never a conflict
(both sides can only have ticked or cleared it alike, or one side alone).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from ..datapaths import path_text
from ..editions import Edition
from ..tables.spec import format_value
from .forms import ZERO_LABEL, place_label

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # a value one side does not have


@dataclass
class Item:
    """One value either side changed: where (key path, its choice's name, its label) and the
    three values; ``taken`` is ``theirs`` or ``mine`` (only that side changed it), ``both``
    (the same change) or empty (a true conflict, the clerk's to decide)."""

    path: tuple
    key: str
    label: str
    base: Any
    theirs: Any
    mine: Any
    taken: str
    version: int = 0  # the number of the version saved since (``theirs``), for the page

    @property
    def shown(self) -> dict[str, str]:
        """The three values as the page shows them."""
        return {"base": shown(self.base), "theirs": shown(self.theirs), "mine": shown(self.mine)}


@dataclass
class Merge:
    items: list[Item]                    # every value a side changed, in the report's order
    zero_items: list[Item]               # every table whose box 本表确无数据 a side changed
    zero_tables: frozenset[str]          # the tables confirmed as empty, merged
    _units: list[tuple[tuple, Any, Item | None]] = field(repr=False, default_factory=list)

    @property
    def conflicts(self) -> list[Item]:
        return [i for i in self.items if not i.taken]

    @property
    def auto(self) -> list[Item]:
        """What was merged without asking: one side's change (the same change on both sides is
        no news to either)."""
        return [i for i in self.items + self.zero_items if i.taken in ("theirs", "mine")]

    def missing(self, choices: Mapping[str, str]) -> list[Item]:
        """The conflicts ``choices`` (key → ``mine`` | ``theirs``) leaves undecided."""
        return [i for i in self.conflicts if choices.get(i.key) not in ("mine", "theirs")]

    def result(self, choices: Mapping[str, str] | None = None) -> dict:
        """The merged data, each conflict settled as ``choices`` says (``ValueError`` when one
        is not)."""
        choices = choices or {}
        if self.missing(choices):
            raise ValueError("undecided")
        root: dict = {}
        for path, value, item in self._units:
            if item is not None and not item.taken:
                value = item.mine if choices[item.key] == "mine" else item.theirs
            if value is not MISSING:
                _put(root, path, value)
        return root


def merge(base: dict, theirs: dict, mine: dict, edition: Edition, mine_base: dict | None = None,
          zero: tuple[frozenset, frozenset, frozenset] = (frozenset(), frozenset(), frozenset()),
          version: int = 0) -> Merge:
    """The three-way merge of the clerk's data ``mine`` (made from ``base``, compared with
    ``mine_base`` when given) with ``theirs`` saved since (as ``version``); ``zero``: the
    tables confirmed as empty in base, theirs and mine."""
    units: list[tuple[tuple, Any, Item | None]] = []
    _walk(base, base if mine_base is None else mine_base, theirs, mine, (), edition, units, version)
    items = [item for _, _, item in units if item is not None]
    zero_base, zero_theirs, zero_mine = zero
    zero_items, merged = [], set()
    for spec in edition.tables:
        was, t, m = spec.name in zero_base, spec.name in zero_theirs, spec.name in zero_mine
        value = m if m != was else t
        if value:
            merged.add(spec.name)
        if m != was or t != was:
            taken = "both" if (m != was and t != was) else "mine" if m != was else "theirs"
            zero_items.append(Item((spec.key,), spec.name, f"{spec.title} · {ZERO_LABEL}", _box(was), _box(t), _box(m),
                                   taken, version))
    return Merge(items, zero_items, frozenset(merged), units)


def _walk(base: Any, mine_base: Any, theirs: Any, mine: Any, path: tuple, edition: Edition,
          out: list[tuple[tuple, Any, Item | None]], version: int) -> None:
    present = [v for v in (base, mine_base, theirs, mine) if v is not MISSING]
    if present and all(isinstance(v, dict) for v in present):
        keys: dict = {}
        for v in (theirs, mine, base, mine_base):  # theirs' order first: the newest saved
            if isinstance(v, dict):
                keys.update(dict.fromkeys(v))
        if keys:
            for k in keys:
                _walk(*(v.get(k, MISSING) if isinstance(v, dict) else MISSING for v in (base, mine_base, theirs, mine)),
                      path + (k,), edition, out, version)
            return
    mine_changed, theirs_changed = not _same(mine, mine_base), not _same(theirs, base)
    if not mine_changed:
        value, taken = theirs, "theirs" if theirs_changed else None
    elif not theirs_changed:
        value, taken = mine, "mine"
    elif _same(mine, theirs):
        value, taken = theirs, "both"
    else:
        value, taken = MISSING, ""
    item = None if taken is None else Item(path, path_text(path), place_label(path, edition), base, theirs, mine, taken,
                                           version)
    out.append((path, value, item))


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    return a == b


def _box(ticked: bool) -> str:
    return "已勾选" if ticked else "未勾选"


def shown(value: Any) -> str:
    """A value as the clerk reads it: text as written, a number as the table prints it, nothing
    as （空）."""
    if value is MISSING or value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return format_value(value)
    if isinstance(value, str):
        return value.rstrip("\n") or "（空）"
    if isinstance(value, list):
        return "\n".join(shown(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return "，".join(f"{k} {shown(v)}" for k, v in value.items()) or "（空）"
    return str(value)


def _put(root: dict, path: tuple, value: Any) -> None:
    cur = root
    for k in path[:-1]:
        nxt = cur.get(k)
        if not isinstance(nxt, dict):
            nxt = cur[k] = {}
        cur = nxt
    if path:
        cur[path[-1]] = value


__all__ = ["MISSING", "Item", "Merge", "merge", "shown"]
