"""Registers the step library and the conformance plugin for every pytest run of the project."""

from __future__ import annotations

from steps import PLUGINS

pytest_plugins = [*PLUGINS, "billing_conformance.pytest_plugin", "pytester"]
