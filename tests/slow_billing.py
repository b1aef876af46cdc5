"""A reference implementation that takes its time, so that a test can stop a run part-way."""

from __future__ import annotations

import time
from typing import Any

from reference_impl import Account, Billing, Rejection

__all__ = ["SlowBilling"]

#: Seconds each new account takes: a whole run then lasts well over ten seconds.
PAUSE = 0.1


class SlowBilling(Billing):
    """The reference, one tenth of a second slower for every account it opens."""

    def create_account(self, **fields: Any) -> Account | Rejection:
        time.sleep(PAUSE)
        return super().create_account(**fields)
