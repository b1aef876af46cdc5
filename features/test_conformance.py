"""Binds every feature file below this folder to the step library in ``steps/``, each test named
by its rule and its scenario (``test_BR_CANCEL_PAUSED__the_schedule_is_paused``)."""

from __future__ import annotations

from billing_conformance.kit import scenarios

scenarios(".")
