"""The exchange watchdog: one thread for the process, firing each watch at its own deadline."""

from __future__ import annotations

import socket
import threading
import time

from steps.targets.watchdog import watched


def _watchdogs() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "exchange-watchdog"]


def test_many_exchanges_share_one_watchdog_thread() -> None:
    for _ in range(200):
        with watched(30.0) as watch:
            pass
        assert not watch.fired
    assert len(_watchdogs()) == 1


def test_a_watch_fires_at_its_deadline_and_shuts_its_socket_down() -> None:
    left, right = socket.socketpair()
    try:
        started = time.monotonic()
        with watched(0.2) as watch:
            watch.attach(left)
            assert left.recv(1) == b""  # the blocked read returns once the socket is shut down
        assert watch.fired
        assert 0.15 <= time.monotonic() - started < 5
    finally:
        left.close()
        right.close()


def test_an_ended_exchange_is_never_fired_later() -> None:
    with watched(0.05) as early:
        pass
    with watched(0.3) as late:
        time.sleep(0.1)
        assert not late.fired
    time.sleep(0.1)
    assert not early.fired
    assert not late.fired


def test_a_later_deadline_does_not_delay_an_earlier_one() -> None:
    with watched(60.0) as slow, watched(0.1) as quick:
        deadline = time.monotonic() + 5
        while not quick.fired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert quick.fired
        assert not slow.fired
