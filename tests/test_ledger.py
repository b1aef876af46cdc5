"""The ledger's tables: their indexes always agree with a scan, and a rolled-back transaction
leaves rows, indexes and counters exactly as they were."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference_impl.bill_run import BillRunStatus
from reference_impl.ledger import Ledger
from reference_impl.rejection import Category, Rejection
from reference_impl.table import Journal, Table


@dataclass(frozen=True)
class _Row:
    id: str
    owner: str
    tags: tuple[str, ...]


def _table(journal: Journal) -> Table[_Row]:
    return Table[_Row](
        journal, alternate="id", indexes={"owner": ("owner", lambda o: (o,)), "tag": ("tags", lambda t: t)}
    )


def _scan_agrees(table: Table[_Row]) -> None:
    """Every index answer holds what a scan of the rows finds (order aside: a row is filed anew
    when its indexed field changes)."""
    rows = table.items()

    def ids(found: list[_Row]) -> list[str]:
        return sorted(r.id for r in found)

    for owner in ("a", "b", "c"):
        assert ids(table.where("owner", owner)) == ids([r for _, r in rows if r.owner == owner])
        assert table.files("owner", owner) == any(r.owner == owner for _, r in rows)
    for tag in ("x", "y", "z"):
        assert ids(table.where("tag", tag)) == ids([r for _, r in rows if tag in r.tags])
    for key, row in rows:
        assert table.find(row.id) == row
        assert table.find(key) == row
    assert table.find("id-missing") is None


_keys = st.sampled_from([f"k{i}" for i in range(6)])
_rows = st.builds(
    _Row,
    id=st.sampled_from([f"id{i}" for i in range(4)]),
    owner=st.sampled_from(["a", "b", "c"]),
    tags=st.lists(st.sampled_from(["x", "y", "z"]), max_size=3, unique=True).map(tuple),
)
_step = st.one_of(
    st.tuples(st.just("put"), _keys, _rows),
    st.tuples(st.just("delete"), _keys, st.none()),
)


@settings(max_examples=200, deadline=None)
@given(before=st.lists(_step, max_size=8), during=st.lists(_step, max_size=8), keep=st.booleans())
def test_indexes_follow_every_write_and_every_roll_back(
    before: list[tuple[str, str, _Row | None]], during: list[tuple[str, str, _Row | None]], keep: bool
) -> None:
    journal = Journal()
    table = _table(journal)

    def apply(steps: list[tuple[str, str, _Row | None]]) -> None:
        for op, key, row in steps:
            if op == "put" and row is not None:
                # ids stay unique across keys, as the ledger's ids do
                for other, existing in table.items():
                    if existing.id == row.id and other != key:
                        del table[other]
                table[key] = row
            elif key in table:
                del table[key]

    apply(before)
    _scan_agrees(table)
    saved = table.as_dict()
    journal.depth += 1
    mark = len(journal)
    apply(during)
    _scan_agrees(table)
    journal.depth -= 1
    if keep:
        journal.forget()
    else:
        journal.roll_back(mark)
        assert table.as_dict() == saved
    _scan_agrees(table)


def test_an_unchanged_index_field_keeps_its_place_in_the_index() -> None:
    table = _table(Journal())
    table["k1"] = _Row("id1", "a", ())
    table["k2"] = _Row("id2", "a", ())
    table["k1"] = _Row("id1", "a", ("x",))
    assert [r.id for r in table.where("owner", "a")] == ["id1", "id2"]


def test_a_rejected_operation_gives_back_the_numbers_it_drew_and_undoes_its_writes() -> None:
    ledger = Ledger()
    assert ledger.new_number("invoice") == "INV00000001"

    def refused() -> Rejection:
        ledger.new_number("invoice")
        ledger.held_bill_runs["run"] = BillRunStatus.PENDING
        return Rejection("no", Category.RULE_RESTRICTION, "refused")

    before = ledger.contents()
    assert isinstance(ledger.atomically(refused), Rejection)
    assert ledger.contents() == before
    assert ledger.new_number("invoice") == "INV00000002"
    assert "run" not in ledger.held_bill_runs


def test_nested_transactions_keep_the_inner_work_until_the_outer_one_refuses() -> None:
    ledger = Ledger()

    def inner() -> str:
        ledger.hold_new_bill_runs = True
        return "kept"

    def outer() -> Rejection:
        assert ledger.atomically(inner) == "kept"
        assert ledger.hold_new_bill_runs
        return Rejection("no", Category.RULE_RESTRICTION, "refused")

    ledger.atomically(outer)
    assert not ledger.hold_new_bill_runs


def test_a_fault_undoes_the_writes_and_goes_on_up() -> None:
    ledger = Ledger()

    def faulty() -> None:
        ledger.hold_new_bill_runs = True
        raise LookupError

    with pytest.raises(LookupError):
        ledger.atomically(faulty)
    assert not ledger.hold_new_bill_runs
    assert len(ledger.journal) == 0
