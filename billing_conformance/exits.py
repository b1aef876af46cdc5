"""The command line's own exit statuses, beside pytest's (0 passed, 1 failed, 4 usage, 5 nothing
selected); the README and ``billing-conformance --help`` say what each means."""

from __future__ import annotations

__all__ = ["EXIT_NOTHING_CHECKED", "EXIT_REFUSED", "EXIT_SMOKE"]

#: A usage mistake, a profile or results file that cannot be used, or a target refused for safety.
EXIT_REFUSED = 2
#: The smoke check failed: a connection, credential or adapter problem, not a conformance result.
EXIT_SMOKE = 3
#: No rule was checked (every one not applicable or not run): a run that proves nothing.
EXIT_NOTHING_CHECKED = 6
