"""Reading wrk's report: what ``make bench`` prints for the portal's load comes from here."""

from __future__ import annotations

import pytest

from bench import wrk

REPORT = """Running 5s test @ http://127.0.0.1:8911/
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.27ms    3.86ms  44.71ms   93.90%
    Req/Sec     1.32k   244.44     1.83k    64.00%
  Latency Distribution
     50%  {p50}
     75%   13.30ms
     90%   15.39ms
     99%  {p99}
  {count} requests in {elapsed}, 23.57MB read
{errors}Requests/sec:   2625.57
Transfer/sec:      4.71MB
"""


def report(p50="12.30ms", p99="30.78ms", count=13142, elapsed="5.00s", errors="") -> str:
    return REPORT.format(p50=p50, p99=p99, count=count, elapsed=elapsed, errors=errors)


def test_a_clean_run_gives_its_rate_and_percentiles_in_milliseconds() -> None:
    figures = wrk.parse(report())
    assert figures["requests"] == 13142
    assert figures["errors"] == 0
    assert figures["per_second"] == pytest.approx(13142 / 5)
    assert (figures["p50_ms"], figures["p99_ms"]) == (12.30, 30.78)


def test_microseconds_seconds_and_a_stopped_run_are_read_in_their_units() -> None:
    # A run stopped early with SIGINT reports the time it really ran.
    figures = wrk.parse(report(p50="850.00us", p99="1.20s", count=300, elapsed="1.50s"))
    assert figures["p50_ms"] == pytest.approx(0.85)
    assert figures["p99_ms"] == pytest.approx(1200)
    assert figures["per_second"] == pytest.approx(200)


def test_socket_errors_and_http_errors_both_count_as_errors() -> None:
    errors = (
        "  Socket errors: connect 1, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\n"
    )
    assert wrk.parse(report(errors=errors))["errors"] == 10


def test_output_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(ValueError, match="not a wrk report"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused")
