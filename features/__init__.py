"""The kit's features, a package so that ``pytest --pyargs billing_conformance.features`` finds
them where the kit is installed (``billing_conformance/features``)."""

from __future__ import annotations
