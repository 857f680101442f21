"""Planted citizens and a scanner that finds their data, in any encoding, in any artefact.

The planted values need every encoding there is: a password with ``! +&<"'``, a space and a
non-ASCII letter, a name with accents and an apostrophe, an email with ``+`` and ``&``, a
foreign mobile with ``+`` and an address with ``&``, ``<`` and ``'``. ``planted_faker`` hands
them to the harness's own provisioning, and ``RecordingControl`` notes each citizen the portal
created, so a test knows every NISS and code to look for.

The expansion into encodings here is written independently of ``monitor.evidence``, with the
standard library's and markupsafe's own encoders, so that a gap in the product's scrubber is
not hidden by the same gap in the test.
"""

from __future__ import annotations

import base64
import binascii
import html
import html.entities
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import markupsafe
from faker import Faker
from faker.providers import BaseProvider

from flows.context import Citizen
from monitor.evidence import secret_values
from runtime.citizens import synthetic_faker
from runtime.testapi import TestControl

PASSWORD = "Sê gr+&<\"'o!9Qz"
NEW_PASSWORD = "Nõva P+&<\"'w!7Xk"
NAME = "Inês Conceição D'Ávila"
EMAIL = "ines.avila+sentinel&co@exemplo.pt"
MOBILE = "+44 7700 900123"  # foreign: accepted since 2024; stored as +447700900123
BIRTH_DATE = date(1985, 3, 2)
ADDRESS = "Rua d'Além & Cª, n.º 7 <2.º Esq.>, 4000-123 Porto"
PIN = "8642"


class PlantedProvider(BaseProvider):
    """Faker methods the harness provisions citizens with, returning the planted values."""

    passwords = 0

    def name(self) -> str:
        return NAME

    def email(self) -> str:
        return EMAIL

    def address(self) -> str:
        return ADDRESS

    def adult_birth_date(self, minimum_age: int = 18, maximum_age: int = 90) -> date:
        return BIRTH_DATE

    def foreign_mobile(self) -> str:
        return MOBILE

    def portuguese_mobile(self) -> str:
        # The Chave Móvel Digital's number, new on the portal for every citizen (the contact
        # mobile is the planted foreign one: see RecordingControl).
        return "+351 96" + self.numerify("# ### ###")

    def cmd_pin(self) -> str:
        return PIN

    def portal_password(self) -> str:
        # provision() draws the password, then the new one for a password reset.
        self.passwords += 1
        return PASSWORD if self.passwords % 2 else NEW_PASSWORD


def planted_faker() -> Faker:
    """The harness's Faker with the planted values: what `provision` then gives a citizen."""
    fake = synthetic_faker()
    fake.add_provider(PlantedProvider)
    return fake


class RecordingControl(TestControl):
    """The test-control API client, noting every citizen the portal creates; a citizen with
    a contact mobile gets the planted foreign one."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, token)
        self.created: list[dict[str, Any]] = []

    def create_citizen(self, **record: Any) -> dict[str, Any]:
        if "mobile" in record:
            record["mobile"] = MOBILE  # the planted foreign number, with its + and spaces
        created = super().create_citizen(**record)
        self.created.append(created)
        return created

    def citizens(self) -> list[Citizen]:
        """Every citizen created, with the planted secrets provisioning gave them."""
        return [citizen_of(created) for created in self.created]

    def codes(self) -> list[str]:
        return [m["code"] for c in self.created for m in self.outbox(c["niss"]) if m["code"]]


def citizen_of(created: dict[str, Any]) -> Citizen:
    """The citizen the portal created from a planted record (as the API answered)."""
    return Citizen(
        niss=created["niss"],
        name=created["name"],
        birth_date=date.fromisoformat(created["birth_date"]),
        password=PASSWORD,
        new_password=NEW_PASSWORD,
        email=created["email"],
        mobile=created["mobile"],
        address=created["address"],
        cmd_mobile=created["cmd"]["mobile"] if created["cmd"] else None,
        cmd_pin=PIN if created["cmd"] else None,
    )


# The values ------------------------------------------------------------------------------
def planted_values(citizens: Iterable[Citizen], codes: Iterable[str] = ()) -> list[str]:
    """What must be found nowhere: the planted values and the forms the screens give them,
    listed here on their own, and whatever else the product's own list names."""
    codes = list(codes)
    values = {PASSWORD, NEW_PASSWORD, NAME, EMAIL, ADDRESS, PIN, *codes}
    values |= {*NAME.split(), "Rua d'Além & Cª", "4000-123 Porto"}
    values |= {f"{BIRTH_DATE:%Y-%m-%d}", f"{BIRTH_DATE:%d-%m-%Y}", f"{BIRTH_DATE:%d/%m/%Y}"}
    values |= {MOBILE, "+447700900123", "447700900123", "7700 900123"}
    for citizen in citizens:
        values.add(citizen.niss)
        if citizen.cmd_mobile:
            national = citizen.cmd_mobile.removeprefix("+351")
            values |= {citizen.cmd_mobile, national}
            values.add(f"{national[:3]} {national[3:6]} {national[6:]}")
        values |= set(secret_values(citizen, codes))
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


# Encodings -------------------------------------------------------------------------------
def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _browser_form(value: str) -> str:
    """application/x-www-form-urlencoded as browsers write it (WHATWG): only alphanumerics
    and ``*-._`` stay, a space is ``+``."""
    out = []
    for byte in value.encode():
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char in "*-._"):
            out.append(char)
        else:
            out.append("+" if char == " " else f"%{byte:02X}")
    return "".join(out)


def _entities(value: str, *, named: bool, hexadecimal: bool, every: bool) -> str:
    out = []
    for char in value:
        point = ord(char)
        if not (every or point > 127 or char in "&<>\"'"):
            out.append(char)
        elif named and point in html.entities.codepoint2name:
            out.append(f"&{html.entities.codepoint2name[point]};")
        else:
            out.append(f"&#x{point:X};" if hexadecimal else f"&#{point};")
    return "".join(out)


def _base64_cores(raw: bytes) -> set[str]:
    cores = set()
    for start in range(3):
        whole = raw[start : start + (len(raw) - start) // 3 * 3]
        if len(whole) >= 6:  # shorter cores match random base64 by chance
            core = base64.b64encode(whole).decode()
            cores |= {core, core.replace("+", "-").replace("/", "_")}
    return cores


def encodings(value: str) -> dict[str, str]:
    """Every form of ``value`` to look for, by the name of its encoding."""
    forms = {
        "raw": value,
        "quote": quote(value),
        "quote-safe-none": quote(value, safe=""),
        "quote-js": quote(value, safe="-_.!~*'()"),  # encodeURIComponent
        "quote_plus": quote_plus(value),
        "browser-form": _browser_form(value),
        "json": json.dumps(value)[1:-1],
        "json-utf8": json.dumps(value, ensure_ascii=False)[1:-1],
        "json-slash": json.dumps(value)[1:-1].replace("/", "\\/"),
        "json-apostrophe": json.dumps(value)[1:-1].replace("'", "\\u0027"),
        "html": html.escape(value),
        "html-text": html.escape(value, quote=False),
        "markupsafe": str(markupsafe.escape(value)),
        "entities-named": _entities(value, named=True, hexadecimal=False, every=False),
        "entities-decimal": _entities(value, named=False, hexadecimal=False, every=False),
        "entities-hex": _entities(value, named=False, hexadecimal=True, every=False),
        "entities-all": _entities(value, named=False, hexadecimal=False, every=True),
    }
    for name in ("quote", "quote-safe-none", "quote-js", "quote_plus", "browser-form"):
        forms[f"{name}-lower"] = _lower_hex(forms[name])
    forms["json-upper"] = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m[1].upper(), forms["json"])
    for index, core in enumerate(sorted(_base64_cores(value.encode()))):
        forms[f"base64-{index}"] = core
    for index, core in enumerate(sorted(_base64_cores(_browser_form(value).encode()))):
        forms[f"base64-form-{index}"] = core
    return forms


# Scanning --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leak:
    where: str
    value: str
    encoding: str

    def __str__(self) -> str:
        return f"{self.where}: {self.value!r} as {self.encoding}"


class Scanner:
    """Looks for every encoding of every value in bytes, text, files, folders and zips."""

    def __init__(self, values: Iterable[str]):
        self.needles: list[tuple[str, str, re.Pattern[bytes]]] = []
        for value in values:
            seen: set[str] = set()
            for encoding, form in encodings(value).items():
                if form in seen or len(form) < 3:
                    continue
                seen.add(form)
                self.needles.append((value, encoding, _needle(form)))

    def bytes(self, data: bytes, where: str, depth: int = 0) -> list[Leak]:
        if data[:4] == b"PK\x03\x04" and depth < 4:
            return self.zip(data, where, depth + 1)
        strings = _json_strings(data)
        # A JSON document's strings, one a line (a value never spans two).
        text = data if strings is None else "\n".join(strings).encode()
        leaks = [
            Leak(where, value, encoding)
            for value, encoding, needle in self.needles
            if needle.search(text)
        ]
        if depth < 3:
            for label, inner in _payloads(text):
                leaks += self.bytes(inner, f"{where} ({label})", depth + 1)
        return leaks

    def text(self, text: str, where: str) -> list[Leak]:
        return self.bytes(text.encode(), where)

    def zip(self, data: bytes, where: str, depth: int = 1) -> list[Leak]:
        leaks = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item in archive.infolist():
                if not item.is_dir():
                    leaks += self.bytes(archive.read(item), f"{where}!{item.filename}", depth)
        return leaks

    def files(self, root: Path) -> list[Leak]:
        """Every file under ``root`` (or ``root`` itself), zips opened recursively."""
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        return [leak for path in paths for leak in self.bytes(path.read_bytes(), str(path))]


def _needle(form: str) -> re.Pattern[bytes]:
    """A number on its own is looked for as a whole token, or it would be found inside
    every longer number and hex identifier; after a %XX escape it counts as on its own."""
    literal = re.escape(form.encode())
    if form.isdigit():
        alone = rb"(?:(?<![0-9A-Za-z])|(?<=%[0-9A-Fa-f]{2}))"
        return re.compile(alone + literal + rb"(?![0-9A-Za-z])")
    return re.compile(literal)


def _json_strings(data: bytes) -> list[str] | None:
    """The strings (keys too) of a JSON or JSON-lines document, or None if it is not one.
    Its numbers (time stamps, coordinates) are not text and would match digits by chance."""
    head = data.lstrip()[:1]
    if head not in (b"{", b"["):
        return None
    try:
        text = data.decode()
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError):
        try:
            documents = [json.loads(data)]
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
    found: list[str] = []
    _collect(documents, found)
    return found


def _collect(node: Any, found: list[str]) -> None:
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found)
    elif isinstance(node, dict):
        for key, item in node.items():
            found.append(key)
            _collect(item, found)


_BASE64 = re.compile(rb"[A-Za-z0-9+/]{12,}={0,2}|[A-Za-z0-9_-]{12,}={0,2}")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def _payloads(data: bytes) -> Iterator[tuple[str, bytes]]:
    """What is encoded inside: base64 runs (data: URLs, tokens) and compressed PDF streams."""
    for match in _BASE64.finditer(data):
        run = match.group()
        altchars = b"-_" if (b"-" in run or b"_" in run) else None
        try:
            decoded = base64.b64decode(run + b"=" * (-len(run) % 4), altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
        yield "base64", decoded
    if data.startswith(b"%PDF"):
        for match in _PDF_STREAM.finditer(data):
            try:
                yield "pdf stream", zlib.decompress(match.group(1))
            except zlib.error:
                continue
