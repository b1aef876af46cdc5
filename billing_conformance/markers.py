"""The markers of the kit's scenarios, registered by the plugin so that the suite runs under
``--strict-markers`` wherever the kit is installed, with no ini file of ours beside it.

Each scenario carries ``rule(ID)`` and also a marker named after its rule, as written and with
``_`` for ``-``, so that pytest's own selection works on rules:
``-m "BR-DELETE or WO_PARTLY_PAID"`` (pytest's marker expressions take either spelling)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import RULE_ID, load_catalog

__all__ = ["MARKERS", "pytest_bdd_apply_tag", "register_markers", "rule_markers"]

#: The markers every scenario may carry; each tag of the kit's features becomes one as well.
MARKERS = (
    "rule(rule_id): the documented rule a scenario encodes (set from the Rule's ID tag)",
    "should: a SHOULD rule, or a scenario checking a SHOULD decision",
)


def register_markers(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    catalog = load_catalog(FEATURES_DIR)
    tags = {tag for feature in catalog.features for tag in feature.tags}
    tags |= {tag for rule in catalog.rules for scenario in rule.scenarios for tag in scenario.tags}
    for tag in sorted(tags):
        if not RULE_ID.match(tag):
            config.addinivalue_line("markers", f"{tag.replace('-', '_')}: a tag of the kit's features")
    for rule in catalog.rules:
        for name in rule_markers(rule.id):
            config.addinivalue_line("markers", f"{name}: the scenarios of rule {rule.id}")


def rule_markers(rule_id: str) -> list[str]:
    """The marker names a rule's scenarios carry besides ``rule(ID)``: the ID as written, and
    with ``_`` for ``-``."""
    return list(dict.fromkeys((rule_id, rule_id.replace("-", "_"))))


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """A rule ID tag becomes ``@pytest.mark.rule(ID)`` and the rule's own markers
    (:func:`rule_markers`); other tags, markers with ``_`` for ``-``. (A hook of the kit's
    plugin, which imports it.)"""
    if RULE_ID.match(tag):
        pytest.mark.rule(tag)(function)
        for name in rule_markers(tag):
            _known(name, f"the scenarios of rule {tag}")
            getattr(pytest.mark, name)(function)
    else:
        _known(tag.replace("-", "_"), "a tag of the features")
        getattr(pytest.mark, tag.replace("-", "_"))(function)
    return True


def _known(name: str, meaning: str) -> None:
    """Register marker ``name`` when it is not yet (a tag of a project's own features, which
    :func:`register_markers` did not see), so that ``--strict-markers`` takes it."""
    config: pytest.Config | None = getattr(pytest.mark, "_config", None)
    if config is None:
        return
    registered = {line.split(":", 1)[0].split("(", 1)[0].strip() for line in config.getini("markers")}
    if name not in registered:
        config.addinivalue_line("markers", f"{name}: {meaning}")
