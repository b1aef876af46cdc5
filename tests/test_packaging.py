"""The kit as a user installs it: a wheel that carries the features, the schemas and everything
``rules``, ``run``, ``serve`` and ``docs`` need, run from an empty folder in a fresh virtualenv
(tests/wheel_support.py builds and installs it)."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

from billing_conformance import PROJECT_ROOT
from tests.wheel_support import call as _call
from tests.wheel_support import installed

__all__ = ["installed"]  # the fixture, from tests/wheel_support.py


def test_the_listed_packages_are_every_package_of_the_kit() -> None:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    found = {
        ".".join(init.parent.relative_to(PROJECT_ROOT).parts)
        for top in ("billing_conformance", "steps", "reference_impl", "schemas")
        for init in (PROJECT_ROOT / top).rglob("__init__.py")
    }
    data = {"billing_conformance.features": "features", "billing_conformance.evidence": "docs"}
    assert set(config["packages"]) == {*found, *data}
    assert config["package-dir"] == data


def test_the_wheel_carries_the_kit_and_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = _call(
        [
            str(installed / "python"),
            "-c",
            "import billing_conformance as b, steps, reference_impl, schemas; "
            "print(b.__file__); print(b.FEATURES_DIR); print(steps.__file__)",
        ],
        tmp_path,
    )
    lines = where.stdout.splitlines()
    assert len(lines) == 3, where.stderr
    home = installed.parent.resolve()
    assert all(Path(line).resolve().is_relative_to(home) for line in lines), lines
    assert sorted(p.name for p in Path(lines[1]).rglob("*.feature"))


def test_rules_run_docs_and_serve_work_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    kit = str(installed / "billing-conformance")
    rules = _call([kit, "rules", "--format", "json"], tmp_path)
    assert rules.returncode == 0, rules.stderr
    catalog = json.loads(rules.stdout)
    assert len(catalog["rules"]) >= 40
    assert catalog["problems"] == []

    ran = _call([kit, "run"], tmp_path)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "0 broken, 0 errored, 0 not applicable, 0 not run" in ran.stdout
    assert "warning" not in ran.stderr.lower()  # no unknown-marker warnings where no pyproject registers them
    results = json.loads(
        (tmp_path / "results" / "inprocess" / "conformance.json").read_text(encoding="utf-8")
    )
    assert results["summary"]["verdict"] == "conforms"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]  # no cache, nothing else

    docs = _call([kit, "docs", "--results", "results/inprocess"], tmp_path)
    assert docs.returncode == 0, docs.stderr
    page = (tmp_path / "results" / "docs" / "index.html").read_text(encoding="utf-8")
    # The evidence table came from the wheel: every rule links to its row of the copy beside the page.
    table = (tmp_path / "results" / "docs" / "zuora-evidence.md").read_text(encoding="utf-8")
    assert '<a id="br-cancel-invoices"></a>BR-CANCEL-INVOICES' in table
    assert page.count('<span class="zuora-evidence"') == len(catalog["rules"])
    assert 'href="zuora-evidence.md#br-cancel-invoices"' in page

    server = subprocess.Popen(
        [kit, "serve", "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert line.startswith("serving the reference implementation on http://127.0.0.1:")
