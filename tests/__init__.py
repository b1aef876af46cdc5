"""The kit's own tests; ``tests.known_bad`` also serves as a target module."""

from __future__ import annotations
