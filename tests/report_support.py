"""Results to render in report tests, made by real runs of the suite, and a small reader of the page."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from reference_impl import Billing
from tests.known_bad.bill_runs import LeavesCreditMemosUncanceled
from tests.profile_support import profile_text
from tests.servers import running_server

__all__ = ["Element", "http_results", "parse_html", "reviewed_targets", "run_results", "with_shared_feature"]

SHARED_FEATURE = """@shared
Feature: Decisions that hold for every rule
  The kit states these once rather than in every feature.

  Decision (MUST): amounts are compared to the cent, in the account's currency.
  Decision (SHOULD): a refused request answers with one of Zuora's documented error codes.
"""


def run_results(folder: Path, target: str, *extra: str) -> dict[str, Any]:
    """Run the whole suite against ``target`` (``extra``: more pytest arguments) and return its results."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "features",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--target={target}",
            f"--results={folder}",
            *extra,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    loaded = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def http_results(
    folder: Path, implementation: type[Billing], *extra: str, capabilities: str = ""
) -> dict[str, Any]:
    """Serve ``implementation`` over HTTP and run the suite (``extra``: e.g. ``--rule=...``) against
    it: results whose scenarios carry the HTTP exchanges each step made. ``capabilities``: lines
    for the profile's ``[capabilities]`` (``scheduled_bill_runs = false``: some not applicable)."""
    folder.mkdir(parents=True, exist_ok=True)
    with running_server(implementation) as server:
        profile = folder / "profile.toml"
        text = profile_text(server.url).replace("[capabilities]\n", f"[capabilities]\n{capabilities}", 1)
        profile.write_text(text, encoding="utf-8")
        return run_results(folder / "results", server.url, "--profile", str(profile), *extra)


def reviewed_targets(folder: Path) -> list[dict[str, Any]]:
    """Two targets as a reviewer compares them: the reference in-process, and over HTTP a
    variant that leaves credit memos uncanceled (one rule broken) on a target without scheduled
    bill runs (their scenarios not applicable), every step's exchanges recorded."""
    return [
        run_results(folder / "reference", "inprocess"),
        http_results(
            folder / "http", LeavesCreditMemosUncanceled, capabilities="scheduled_bill_runs = false\n"
        ),
    ]


def with_shared_feature(folder: Path) -> Path:
    """A copy of the kit's features with a ``@shared`` feature of decisions for every rule, and
    a decision for every rule of the first feature (the kit's own features state none now)."""
    copy = folder / "features"
    shutil.copytree(FEATURES_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (copy / "shared.feature").write_text(SHARED_FEATURE, encoding="utf-8")
    first = sorted(copy.rglob("*.feature"))[0]
    text = first.read_text(encoding="utf-8")
    decision = f"  {FEATURE_DECISION}\n\n  Background:"
    first.write_text(text.replace("  Background:", decision, 1), encoding="utf-8")
    return copy


#: The decision :func:`with_shared_feature` gives its first feature.
FEATURE_DECISION = "Decision (SHOULD): a decision for every rule of this feature alone."


@dataclass
class Element:
    """An element of a parsed page: its tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        """Elements below (or at) this one with ``tag``, class ``cls`` and the attributes given
        (``data_rule`` stands for ``data-rule``)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


_VOID = {"meta", "input", "br", "hr", "img", "link", "col", "source", "wbr"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(page: str) -> Element:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root
