"""The mock portal's access log masks NISS numbers (and other long numbers) in paths.

Read from the log file of a real ``sentinel mock`` process, as an operator would.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest


def new_lines(log: Path, offset: int) -> str:
    """The log written since ``offset``. The portal writes a request's line before the
    response ends, so it is there as soon as the client has the answer."""
    return log.read_bytes()[offset:].decode(errors="replace")


def test_a_niss_in_a_test_api_path_is_masked(api: httpx.Client, portal) -> None:
    citizen = api.post("/__test__/citizens", json={"name": "Rui", "birth_date": "1970-01-01"})
    niss = citizen.json()["niss"]
    offset = portal.log.stat().st_size
    assert api.get(f"/__test__/citizens/{niss}").status_code == 200
    unknown = f"1{niss[1:-1]}9"  # an NISS-shaped number of no citizen: a 404, logged too
    api.get(f"/__test__/citizens/{unknown}")

    logged = new_lines(portal.log, offset)

    assert "GET /__test__/citizens/" in logged  # the requests were logged
    assert niss not in logged
    assert unknown not in logged
    assert "GET /__test__/citizens/*** 200" in logged


def test_long_numbers_in_page_paths_are_masked_but_short_ones_kept(api, portal) -> None:
    offset = portal.log.stat().st_size
    httpx.get(f"{portal.url}/registo/912345678/passo/3")

    logged = new_lines(portal.log, offset)

    assert "912345678" not in logged
    assert "GET /registo/***/passo/3 404" in logged


# An NISS as people write it, with separators inside: in the URL as typed (httpx encodes
# the space as %20; the server decodes it) and percent-encoded twice, so that the path the
# log sees holds a literal "%20".
WRITTEN_WITH_SEPARATORS = {
    "spaces": "125 59490911",
    "spaces in groups": "125 594 909 11",
    "dots": "125.594.909.11",
    "hyphens": "125-594-909-11",
    "a literal %20": "125%2520594%2520909%252011",
    "tabs": "125%09594%09909%0911",
    "no-break spaces": "125%C2%A0594%C2%A0909%C2%A011",
    "double spaces": "125  594  909  11",
    "other punctuation": "125_594,909;11",
    "slashes": "125/594/909/11",
    "a newline": "125594%0A90911",
}


@pytest.mark.parametrize("written", WRITTEN_WITH_SEPARATORS.values(), ids=WRITTEN_WITH_SEPARATORS)
def test_a_niss_written_with_separators_is_masked(api, portal, written: str) -> None:
    offset = portal.log.stat().st_size
    api.get(f"/__test__/citizens/{written}")

    logged = new_lines(portal.log, offset)

    [line] = [line for line in logged.splitlines() if "GET /__test__/citizens/" in line]
    path = line.split("GET ", 1)[1]  # after the timestamp, whose digits are no NISS
    assert path.startswith("/__test__/citizens/*** 404"), line
    assert not any(group in path for group in ("125", "594", "909")), line


def test_short_numbers_with_separators_are_kept(portal) -> None:
    offset = portal.log.stat().st_size
    httpx.get(f"{portal.url}/ajuda/2024-01-15/v1.2.3/passo 3/12 34")

    logged = new_lines(portal.log, offset)

    assert "GET /ajuda/2024-01-15/v1.2.3/passo 3/12 34 404" in logged


def test_a_path_cannot_write_a_line_of_its_own(portal) -> None:
    """A newline in a path is shown escaped: no request forges a log line."""
    offset = portal.log.stat().st_size
    httpx.get(f"{portal.url}/ajuda/x%0AGET%20/forged%20200%201.0ms")

    logged = new_lines(portal.log, offset)

    assert "GET /ajuda/x\\nGET /forged 200 1.0ms 404" in logged
    assert not any(line.startswith("GET /forged") for line in logged.splitlines())
