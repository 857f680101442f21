from __future__ import annotations

import base64
import json
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from flows.context import Citizen
from monitor import evidence


def test_scrubbing_replaces_every_secret_in_every_member(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", '{"params": {"value": "11115611236"}}')
        archive.writestr("resources/page.html", "<input value='Ana Silva'> 123456")
    evidence.scrub_zip(trace, ["11115611236", "Ana Silva", "123456", "x"])
    assert evidence.contains_any(trace, ["11115611236", "Ana Silva", "123456"]) == []
    with zipfile.ZipFile(trace) as archive:
        assert archive.read("trace.trace").decode() == '{"params": {"value": "•••"}}'


def test_pruning_keeps_the_newest_and_drops_the_old(tmp_path: Path) -> None:
    for name in ("20261101T0000", "20261120T0000", "20261121T0000", "20261122T0000"):
        (tmp_path / name).mkdir()
    old = tmp_path / "20261101T0000"
    stamp = old.stat().st_mtime - timedelta(days=40).total_seconds()
    os.utime(old, (stamp, stamp))
    removed = evidence.prune(tmp_path, keep=2, max_age=timedelta(days=30))
    assert sorted(p.name for p in removed) == ["20261101T0000", "20261120T0000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20261121T0000", "20261122T0000"]


def _trace(path: Path, events: list[dict], network: list[dict], resources: dict) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("trace.trace", "\n".join(json.dumps(e) for e in events) + "\n")
        archive.writestr("trace.network", "\n".join(json.dumps(e) for e in network) + "\n")
        for name, data in resources.items():
            archive.writestr(name, data)


def test_form_bodies_typed_values_and_cookies_are_not_kept(tmp_path: Path) -> None:
    """The layer that needs no list of secrets: what was typed or posted is not kept."""
    trace = tmp_path / "trace.zip"
    posted = "resources/0a1b.dat"
    request = {
        "method": "POST",
        "url": "http://127.0.0.1/ativar/palavra-passe",
        "headers": [{"name": "Cookie", "value": "session=abc"}],
        "postData": {
            "mimeType": "application/x-www-form-urlencoded",
            "text": "palavra_passe=Unlisted%21Secret",
            "params": [{"name": "palavra_passe", "value": "Unlisted!Secret"}],
            "_file": posted,
        },
    }
    events = [
        {"type": "before", "method": "fill", "params": {"selector": "x", "value": "typed"}},
        {"type": "log", "message": '  fill("typed")'},
        {
            "type": "frame-snapshot",
            "snapshot": {"html": ["INPUT", {"__playwright_value_": "typed", "name": "p"}]},
        },
    ]
    _trace(
        trace,
        events,
        [{"type": "resource-snapshot", "snapshot": {"request": request}}],
        {posted: b"palavra_passe=Unlisted%21Secret"},
    )
    evidence.scrub_zip(trace, [])
    with zipfile.ZipFile(trace) as archive:
        names = archive.namelist()
        kept = archive.read("trace.trace").decode() + archive.read("trace.network").decode()
    assert posted not in names
    assert "typed" not in kept
    assert "Unlisted" not in kept
    assert "session=abc" not in kept
    assert "http://127.0.0.1/ativar/palavra-passe" in kept  # the rest stays readable


@pytest.mark.parametrize(
    "encoded",
    [
        "palavra_passe=S%C3%AA+gr%2B%26%3C%22%27o%219Qz",  # a browser's form
        "S%c3%aa%20gr%2b%26%3c%22%27o%219Qz",  # quote(), lower-case hex
        "S%C3%AA gr+&<\"'o!9Qz".replace("%C3%AA", "ê"),  # raw
        "S\\u00ea gr+&<\\\"'o!9Qz",  # JSON
        "S&ecirc; gr+&amp;&lt;&#34;&#39;o!9Qz",  # markupsafe, named entity
        "S&#234;&#x20;gr+&#x26;&lt;&quot;&apos;o!9Qz",  # decimal and hex references
        base64.b64encode("xx Sê gr+&<\"'o!9Qz yy".encode()).decode(),
        base64.b64encode(b"a" + "Sê gr+&<\"'o!9Qz".encode())[4:].decode(),  # mid-blob
    ],
)
def test_every_encoding_of_a_secret_is_masked(tmp_path: Path, encoded: str) -> None:
    secret = "Sê gr+&<\"'o!9Qz"
    trace = tmp_path / "trace.zip"
    _trace(trace, [{"type": "log", "message": encoded}], [], {"resources/a.html": encoded})
    assert evidence.contains_any(trace, [secret]) == [secret]
    evidence.scrub_zip(trace, [secret])
    assert evidence.contains_any(trace, [secret]) == []


def test_numbers_in_the_trace_are_left_whole(tmp_path: Path) -> None:
    """A code that happens to be inside a time stamp must not break the trace's JSON."""
    trace = tmp_path / "trace.zip"
    _trace(trace, [{"type": "after", "endTime": 1123456.5, "text": "code 123456"}], [], {})
    evidence.scrub_zip(trace, ["123456"])
    with zipfile.ZipFile(trace) as archive:
        event = json.loads(archive.read("trace.trace"))
    assert event == {"type": "after", "endTime": 1123456.5, "text": "code •••"}


def test_the_values_to_scrub_hold_every_form_of_the_citizens_data() -> None:
    citizen = Citizen(
        niss="11115611236",
        name="Inês D'Ávila",
        birth_date=date(1985, 3, 2),
        password="pw-secret!1",
        email="a+b@exemplo.pt",
        mobile="+351912345678",
        address="Rua A, 4000-123 Porto",
        cmd_mobile="+447700900123",
        cmd_pin="8642",
    )
    values = evidence.secret_values(citizen, ["654321"])
    for form in (
        "1985-03-02",
        "02-03-1985",
        "02/03/1985",
        "Inês D'Ávila",
        "D'Ávila",
        "+351912345678",
        "912345678",
        "912 345 678",
        "+351 912 345 678",
        "00351912345678",
        "447700900123",
        "8642",
        "654321",
        "Rua A, 4000-123 Porto",
        "4000-123 Porto",
    ):
        assert form in values, form
