"""A keyed table of frozen values with look-up indexes, and the journal that can undo its changes.

A :class:`Table` maps a key (the number a person would quote, or an id) to a frozen value. It
keeps two kinds of index up to date on every write, so that no look-up has to scan the table:

* an *alternate key*: the field holding a second unique key for the same value (the id where
  the table is keyed by number, the number where it is keyed by id);
* named *indexes*: each reads one field of a value and gives the index keys the value is filed
  under (an invoice under its account, its bill run, and every subscription its items bill);
  :meth:`Table.where` lists the values filed under one key, in the order they were filed there.
  A write that leaves the field as it was leaves the index (and that order) alone.

While a :class:`Journal` is open, every write records how to undo it; :meth:`Journal.roll_back`
restores the values, and with them the indexes, exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["Journal", "Table"]

V = TypeVar("V")

_MISSING: Any = object()


class Journal:
    """The undo records of the transactions in progress (they nest; only the outermost keeps).

    A record is the table written, the key and the value it had (or none); the three are kept in
    three lists rather than as one tuple per write, so that a transaction writing a hundred
    thousand documents adds three objects, not a hundred thousand, for the garbage collector
    to walk.
    """

    __slots__ = ("depth", "keys", "olds", "tables")

    def __init__(self) -> None:
        self.depth = 0
        self.tables: list[Table[Any]] = []
        self.keys: list[str] = []
        self.olds: list[Any] = []

    def __len__(self) -> int:
        return len(self.keys)

    def record(self, table: Table[Any], key: str, old: object) -> None:
        self.tables.append(table)
        self.keys.append(key)
        self.olds.append(old)

    def roll_back(self, mark: int) -> None:
        """Undo every write recorded after ``mark`` (a length of the journal), newest first."""
        tables, keys, olds = self.tables, self.keys, self.olds
        while len(keys) > mark:
            tables.pop()._restore(keys.pop(), olds.pop())

    def forget(self) -> None:
        """Keep every write: the outermost transaction is over."""
        self.tables.clear()
        self.keys.clear()
        self.olds.clear()


class Table(Generic[V]):
    """Values by key, with an optional unique alternate key and named indexes (see the module)."""

    __slots__ = ("_alternate", "_by_alternate", "_indexes", "_journal", "_rows")

    def __init__(
        self,
        journal: Journal,
        *,
        alternate: str | None = None,
        indexes: Mapping[str, tuple[str, Callable[[Any], tuple[Hashable, ...]]]] | None = None,
    ) -> None:
        self._journal = journal
        self._rows: dict[str, V] = {}
        self._alternate = alternate
        self._by_alternate: dict[str, str] = {}
        #: index name -> (the field it reads, the keys a field value is filed under, the index)
        self._indexes: dict[
            str, tuple[str, Callable[[Any], tuple[Hashable, ...]], dict[Hashable, dict[str, None]]]
        ] = {name: (field, keys_of, {}) for name, (field, keys_of) in (indexes or {}).items()}

    # -- reading --------------------------------------------------------------------------------

    def __getitem__(self, key: str) -> V:
        return self._rows[key]

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: str) -> V | None:
        return self._rows.get(key)

    def values(self) -> list[V]:
        """Every value, in the order first stored (a copy: safe to write while walking it)."""
        return list(self._rows.values())

    def items(self) -> list[tuple[str, V]]:
        return list(self._rows.items())

    def find(self, key: str) -> V | None:
        """The value stored under ``key``, or the one whose alternate key is ``key``."""
        found = self._rows.get(key)
        if found is None and (primary := self._by_alternate.get(key)) is not None:
            found = self._rows.get(primary)
        return found

    def files(self, index: str, key: Hashable) -> bool:
        """Whether any value is filed under ``key`` in the named index."""
        return key in self._indexes[index][2]

    def where(self, index: str, key: Hashable) -> list[V]:
        """The values filed under ``key`` in the named index, in the order they were filed."""
        rows = self._rows
        return [rows[primary] for primary in self._indexes[index][2].get(key, ())]

    def as_dict(self) -> dict[str, V]:
        return dict(self._rows)

    # -- writing --------------------------------------------------------------------------------

    def __setitem__(self, key: str, value: V) -> None:
        rows = self._rows
        old = rows.get(key, _MISSING)
        if self._journal.depth:
            self._journal.record(self, key, old)
        if old is not _MISSING:
            self._store(key, old, value)
            return
        rows[key] = value  # a new row: file it, with nothing to unfile (the common case, made quick)
        if self._alternate is not None:
            self._by_alternate[getattr(value, self._alternate)] = key
        for field, keys_of, index in self._indexes.values():
            for came in keys_of(getattr(value, field)):
                filed = index.get(came)
                if filed is None:
                    index[came] = {key: None}
                else:
                    filed[key] = None

    def __delitem__(self, key: str) -> None:
        old = self._rows[key]
        if self._journal.depth:
            self._journal.record(self, key, old)
        self._store(key, old, _MISSING)

    def pop(self, key: str, default: V | None = None) -> V | None:
        if key not in self._rows:
            return default
        value = self._rows[key]
        del self[key]
        return value

    def setdefault(self, key: str, value: V) -> V:
        if key not in self._rows:
            self[key] = value
        return self._rows[key]

    def clear(self) -> None:
        for key in list(self._rows):
            del self[key]

    def _restore(self, key: str, old: V) -> None:
        self._store(key, self._rows.get(key, _MISSING), old)

    def _store(self, key: str, old: V, new: V) -> None:
        """Replace ``old`` by ``new`` under ``key`` (either may be missing), indexes included."""
        if new is _MISSING:
            del self._rows[key]
        else:
            self._rows[key] = new
        if self._alternate is not None:
            self._refile_alternate(key, old, new, self._alternate)
        for field, keys_of, index in self._indexes.values():
            before = () if old is _MISSING else getattr(old, field)
            after = () if new is _MISSING else getattr(new, field)
            if before is after:
                continue
            if old is not _MISSING:
                for gone in keys_of(before):
                    filed = index[gone]
                    del filed[key]
                    if not filed:
                        del index[gone]
            if new is not _MISSING:
                for came in keys_of(after):
                    index.setdefault(came, {})[key] = None

    def _refile_alternate(self, key: str, old: V, new: V, field: str) -> None:
        before = None if old is _MISSING else getattr(old, field)
        after = None if new is _MISSING else getattr(new, field)
        if before != after:
            if before is not None:
                del self._by_alternate[before]
            if after is not None:
                self._by_alternate[after] = key
