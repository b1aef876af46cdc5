"""The compiled validator only ever shortens the walk: it never accepts a payload jsonschema refuses.

:func:`schemas.contract.violations` skips jsonschema's walk when the compiled validator
(:mod:`jsonschema_rs`) finds a payload valid. That is sound only if the compiled one is never the
more lenient of the two. Each corpus example, and every variant of it with one value swapped for
a troublesome one (numbers past a float's precision, calendar-impossible dates, Unicode digits,
a trailing newline, wrong types, a missing field), is put to both.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from schemas.contract import jsonschema_violations, surely_valid
from tests.schema_support import corpus_cases, load_schemas

STEMS = sorted(load_schemas())

#: Values that one validator or the other might read differently.
TROUBLE: tuple[object, ...] = (
    Decimal("31.0000000000000000001"),
    Decimal("-0.000000000000000000001"),
    Decimal("1E+400"),
    Decimal("NaN"),
    2**64 + 1,
    True,
    None,
    "2026-02-30",
    "0000-01-01",
    "\u0662\u0660\u0662\u0666-01-01",
    "12345678\n",
    "A" * 300,
    "\ud800",
)


def _paths(value: object, where: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Where each value of ``value`` sits, the leaves and the whole."""
    if not isinstance(value, dict | list) or not where:
        yield where
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*where, index))


def _replaced(instance: object, where: tuple[object, ...], new: object) -> object:
    if not where:
        return new
    copied = copy.deepcopy(instance)
    parent: Any = copied
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = new
    return copied


def _dropped(instance: object, where: tuple[object, ...]) -> object | None:
    copied = copy.deepcopy(instance)
    parent: Any = copied
    for step in where[:-1]:
        parent = parent[step]
    if not where or not isinstance(parent, dict):
        return None
    del parent[where[-1]]
    return copied


#: Places swapped per example, spread evenly over it; a large example (a results file) gives
#: fewer, so that each example costs about the same.
PLACES, BUDGET = 120, 5_000


def _variants(instance: object) -> Iterator[object]:
    yield instance
    places = list(_paths(instance))
    taken = max(8, min(PLACES, BUDGET // len(places)))
    for where in places[:: max(1, len(places) // taken)]:
        for new in TROUBLE:
            yield _replaced(instance, where, new)
        dropped = _dropped(instance, where)
        if dropped is not None:
            yield dropped


@pytest.mark.parametrize("stem", STEMS)
def test_the_compiled_validator_never_accepts_what_jsonschema_refuses(stem: str) -> None:
    accepted = refused = 0
    for case in corpus_cases(stem):
        if not case.valid:
            continue
        for variant in _variants(case.instance):
            if surely_valid(stem, variant):
                accepted += 1
                assert jsonschema_violations(stem, variant) == [], (stem, variant)
            else:
                refused += 1
    # Both answers were met: the compiled validator decides something, and refuses something.
    assert accepted
    assert refused
