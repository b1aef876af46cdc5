"""``billing-conformance explore``: the rules as properties over random histories, each broken
rule handed back as a Gherkin scenario in the kit's own step sentences."""

from __future__ import annotations
