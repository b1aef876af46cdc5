"""Registers the step library and the conformance plugin for every pytest run of the project."""

from __future__ import annotations

pytest_plugins = ["billing_conformance.kit", "pytester"]
