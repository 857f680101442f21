"""Failure evidence: a masked screenshot, a scrubbed Playwright trace and a note of the step.

A trace records what was typed, the form bodies posted and the pages' HTML, so two layers keep
the citizen's data out of a kept trace:

1. what the harness typed or posted is removed by structure: the post data of every request
   (and the resource file holding it), the values of fill/type calls and of their log lines,
   the values of fields in DOM snapshots, and cookies;
2. every member that is left is scrubbed of every value of ``secret_values`` in every encoding
   a browser, a server or Playwright writes: raw UTF-8, percent-encoded (``%20`` or ``+``,
   either case of hex, partly or wholly), JSON and JavaScript escapes, HTML character
   references (named, decimal, hex), and base64 (standard or URL-safe, at any of the three
   alignments, and inside base64 payloads, which are decoded, scrubbed and encoded again).

Old evidence is pruned by count and by age.
"""

from __future__ import annotations

import base64
import binascii
import html.entities
import json
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from flows.context import Citizen

MASK = "•••"
MIN_LENGTH = 3  # shorter values (a particle of a name) would mask half of every page
# Playwright calls whose parameters carry what was typed, and the keys that hold it.
TYPED_CALLS = {"fill", "type", "press", "pressSequentially", "insertText", "selectOption"}
TYPED_PARAMS = ("value", "text", "values", "options")
_TYPED_LOG = re.compile(r"^(\s*(?:fill|type|press|pressSequentially|insertText)\()(.*)(\)\s*)$")
PRIVATE_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")
_NAMES = {**html.entities.codepoint2name, ord("'"): "apos"}


def secret_values(citizen: Citizen, codes: Iterable[str] = (), target: str = "") -> list[str]:
    """Every value to keep out of evidence: the citizen's secrets and personal data in every
    form the screens and forms use (``Citizen.secrets``), the codes sent to them, and what
    the target's URL carries besides its address (``url_secrets``)."""
    values = {*citizen.secrets(), *(code for code in codes if code), *url_secrets(target)}
    return sorted((v for v in values if len(v) >= MIN_LENGTH), key=len, reverse=True)


def url_secrets(url: str) -> set[str]:
    """The user name, password and query of a URL (a staging portal behind basic
    authentication, a key in its query): the browser sends and records them with every
    request, and a trace keeps every request's URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return set()
    found = {unquote(value) for value in (parts.username, parts.password) if value}
    if parts.query:
        found.add(parts.query)
        found.update(value for _, value in parse_qsl(parts.query) if value)
    return found


def _hex(text: str) -> str:
    """A pattern for hex digits in either case."""
    return "".join(f"[{d.upper()}{d.lower()}]" if d.isalpha() else d for d in text)


def _char(c: str) -> str:
    """A pattern for one character in any of the encodings it takes in a trace."""
    point = ord(c)
    forms = {re.escape(c), "".join(f"%{_hex(f'{b:02x}')}" for b in c.encode())}
    if c == " ":
        forms.add(r"\+")
    if point < 0x10000:
        forms.add(r"\\u" + _hex(f"{point:04x}"))
    else:
        high, low = divmod(point - 0x10000, 0x400)
        forms.add(r"\\u" + _hex(f"{0xD800 + high:04x}") + r"\\u" + _hex(f"{0xDC00 + low:04x}"))
    if point < 0x100:
        forms.add(r"\\x" + _hex(f"{point:02x}"))
    if c in "\"\\/'":
        forms.add(re.escape("\\" + c))
    forms.add(f"&#0*{point};?")
    forms.add(f"&#[xX]0*{_hex(f'{point:x}')};?")
    if point in _NAMES:
        forms.add(f"&{_NAMES[point]};")
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


def _form_encoded(value: str, space: str) -> str:
    """``value`` as a browser encodes a form field: only alphanumerics and ``*-._`` stay."""
    kept = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")
    return "".join(
        chr(b) if chr(b) in kept else space if b == 32 else f"%{b:02X}" for b in value.encode()
    )


def _base64_cores(value: str) -> set[str]:
    """The part of the base64 of any text holding ``value`` (as it is, or form-encoded, as in
    a request body) that depends on it alone, for each of the three offsets (mod 3) it can
    start at; too short a core would match by chance."""
    cores = set()
    for form in {value, _form_encoded(value, "+"), _form_encoded(value, "%20")}:
        raw = form.encode()
        for start in range(3):
            whole = raw[start : start + (len(raw) - start) // 3 * 3]
            if len(whole) >= 6:
                core = base64.b64encode(whole).decode()
                cores |= {core, core.replace("+", "-").replace("/", "_")}
    return cores


class Scrubber:
    """Finds and masks every value in every encoding, in text or bytes."""

    def __init__(self, values: Iterable[str]):
        forms = set()
        for value in values:
            if len(value) >= MIN_LENGTH:
                forms |= {value, unicodedata.normalize("NFC", value)}
                forms.add(unicodedata.normalize("NFD", value))
        self.values = sorted(forms, key=len, reverse=True)
        alternatives = []
        for value in self.values:
            alternatives.append("".join(_char(c) for c in value))
            alternatives.extend(re.escape(core) for core in _base64_cores(value))
        pattern = "|".join(alternatives) or r"(?!x)x"
        self._text = re.compile(pattern)
        self._bytes = re.compile(pattern.encode())

    def text(self, text: str) -> str:
        return self._text.sub(MASK, text) if self.values else text

    def data(self, data: bytes) -> bytes:
        """The bytes with every value masked, inside base64 payloads too."""
        if not self.values:
            return data
        # Base64 payloads first, decoded whole; then the rest, base64 at odd offsets included.
        data = _BASE64_RUN.sub(self._inside_base64, data)
        return self._bytes.sub(MASK.encode(), data)

    def found(self, data: bytes) -> bool:
        """Whether any value is in ``data``, in any encoding, inside base64 payloads too.
        (Searched, not compared with the masked copy: a value may read like the mask.)"""
        if not self.values:
            return False
        if self._bytes.search(data):
            return True
        return any(self._bytes.search(d) for d in _base64_payloads(data))

    def _inside_base64(self, match: re.Match[bytes]) -> bytes:
        run = match.group()
        decoded = _decode_base64(run)
        if decoded is None:
            return run
        scrubbed = self._bytes.sub(MASK.encode(), decoded)
        if scrubbed == decoded:
            return run
        encode = base64.urlsafe_b64encode if _urlsafe(run) else base64.b64encode
        return encode(scrubbed)


def _urlsafe(run: bytes) -> bool:
    return b"-" in run or b"_" in run


def _decode_base64(run: bytes) -> bytes | None:
    """The bytes a run of base64 characters encodes, or None when it is not base64."""
    try:
        return base64.b64decode(
            run + b"=" * (-len(run) % 4), altchars=b"-_" if _urlsafe(run) else None, validate=True
        )
    except (binascii.Error, ValueError):
        return None


def _base64_payloads(data: bytes) -> list[bytes]:
    runs = (_decode_base64(match.group()) for match in _BASE64_RUN.finditer(data))
    return [decoded for decoded in runs if decoded is not None]


def scrub_zip(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite the trace zip at ``path`` without form bodies, typed values and cookies, and
    with every encoding of every secret masked in every member that is left."""
    scrubber = Scrubber(secrets)
    scrubbed = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(path) as source:
        members = {item.filename: source.read(item) for item in source.infolist()}
    posted: set[str] = set()
    for name, data in members.items():
        if _is_events(name):
            members[name] = _scrub_events(data, scrubber, posted)
    with zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            if name in posted:
                continue  # a posted form body: kept nowhere
            target.writestr(name, data if _is_events(name) else scrubber.data(data))
    scrubbed.replace(path)


def _is_events(name: str) -> bool:
    return name.endswith((".trace", ".network", ".stacks"))


def _scrub_events(data: bytes, scrubber: Scrubber, posted: set[str]) -> bytes:
    """A JSON-lines member, event by event: typed values removed, every string scrubbed.
    Numbers are left alone, so a code never breaks a time stamp that happens to hold it."""
    lines = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            lines.append(scrubber.text(line))
            continue
        _remove_typed(event, posted)
        lines.append(json.dumps(_strings(event, scrubber), ensure_ascii=False))
    return ("\n".join(lines) + ("\n" if data.endswith(b"\n") else "")).encode()


def _remove_typed(event: Any, posted: set[str]) -> None:
    if not isinstance(event, dict):
        return
    if event.get("type") == "before" and event.get("method") in TYPED_CALLS:
        params = event.get("params") or {}
        for key in TYPED_PARAMS:
            if key in params:
                params[key] = MASK
    if event.get("type") == "log" and isinstance(event.get("message"), str):
        event["message"] = _TYPED_LOG.sub(rf'\g<1>"{MASK}"\g<3>', event["message"])
    snapshot = event.get("snapshot")
    if event.get("type") == "resource-snapshot" and isinstance(snapshot, dict):
        _remove_bodies(snapshot, posted)
    if event.get("type") == "frame-snapshot" and isinstance(snapshot, dict):
        _remove_field_values(snapshot.get("html"))


def _remove_bodies(entry: dict[str, Any], posted: set[str]) -> None:
    """A HAR entry without its request body, cookies or credentials."""
    request = entry.get("request") or {}
    body = request.get("postData")
    if isinstance(body, dict):
        if body.get("_file"):
            posted.add(str(body["_file"]))
        request["postData"] = {"mimeType": body.get("mimeType", ""), "text": "", "params": []}
    for message in (request, entry.get("response") or {}):
        for header in message.get("headers") or []:
            if str(header.get("name", "")).lower() in PRIVATE_HEADERS:
                header["value"] = MASK
        for cookie in message.get("cookies") or []:
            cookie["value"] = MASK


def _remove_field_values(node: Any) -> None:
    """Blank the values Playwright copies from every field into a DOM snapshot."""
    if isinstance(node, list):
        for child in node:
            _remove_field_values(child)
    elif isinstance(node, dict) and node.get("__playwright_value_"):
        node["__playwright_value_"] = MASK


def _strings(value: Any, scrubber: Scrubber) -> Any:
    if isinstance(value, str):
        return scrubber.data(value.encode()).decode("utf-8", "replace")
    if isinstance(value, list):
        return [_strings(item, scrubber) for item in value]
    if isinstance(value, dict):
        return {_strings(k, scrubber): _strings(v, scrubber) for k, v in value.items()}
    return value


def contains_any(path: Path, secrets: Iterable[str]) -> list[str]:
    """The secrets still found, in any encoding, anywhere in the zip (for tests and audits)."""
    with zipfile.ZipFile(path) as archive:
        blobs = [archive.read(item) for item in archive.infolist()]
    return [s for s in secrets if any(Scrubber([s]).found(blob) for blob in blobs)]


def prune(folder: Path, *, keep: int = 50, max_age: timedelta = timedelta(days=30)) -> list[Path]:
    """Remove evidence beyond the newest ``keep`` folders or older than ``max_age``."""
    if not folder.is_dir():
        return []
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True
    )
    cutoff = datetime.now(UTC) - max_age
    removed = []
    for index, entry in enumerate(entries):
        modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
        if index >= keep or modified < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
