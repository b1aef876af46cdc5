"""``python -m billing_conformance``: the kit's command line, as ``billing-conformance`` runs it
(the form the re-run commands use, so that they work without the console script on PATH)."""

from __future__ import annotations

import sys

from billing_conformance.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a module
    sys.exit(main())
