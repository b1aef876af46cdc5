"""What ``make bench`` says of the loopback measure: its verdict on the scenarios' own time, and
beside it, stated but not judged, the whole commands' ratio and what each request costs."""

from __future__ import annotations

from bench.loopback import Loopback, Side, report
from bench.scenario_cost import Run


def _side(scenario_ms: float, wall_s: float, requests: int) -> Side:
    runs = [Run(100, scenario_ms, 0.5, 0.1, 0.1) for _ in range(3)]
    return Side(runs, [wall_s] * 3, [requests] * 3)


def test_the_verdict_is_on_the_scenarios_and_the_whole_commands_are_only_stated() -> None:
    slow = Loopback(_side(5.0, 2.0, 0), _side(25.0, 4.0, 1000))  # 0.5 s against 2.5 s: 5x
    lines = report(slow)
    assert lines[0].startswith("SLOW suite over loopback against serve, serial: 2.50 s, 5.0x the 0.50 s")
    assert "(2.0x; start-up and the results folder included, not judged)" in lines[1]
    assert "each of the 1,000 requests recorded cost 2.00 ms beyond" in lines[2]
    assert not slow.met


def test_four_times_the_in_process_scenarios_is_met() -> None:
    met = Loopback(_side(5.0, 2.0, 0), _side(20.0, 4.0, 500))
    assert met.met
    assert report(met)[0].startswith("ok   suite over loopback")
