"""Binds every feature file below this folder to the step library in ``steps/``."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios(".")
