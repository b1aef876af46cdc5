"""The markers of the kit's scenarios, registered by the plugin so that the suite runs under
``--strict-markers`` wherever the kit is installed, with no ini file of ours beside it."""

from __future__ import annotations

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import RULE_ID, load_catalog

__all__ = ["MARKERS", "register_markers"]

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
