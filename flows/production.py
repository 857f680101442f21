"""Is a URL on the production portal? Read the host the way Chromium does.

A browser parses URLs by the WHATWG URL Standard, not by ``urllib.parse``: it drops tabs and
newlines anywhere, reads ``\\`` as ``/``, takes the host after the last ``@``, percent-decodes the
host, maps it by UTS #46 (case, full-width letters, ``。`` ``．`` ``｡`` as dots, ``xn--`` forms) and
keeps a trailing dot that DNS ignores. Reading it any other way lets a URL reach
``www.seg-social.pt`` while a check says it does not. So this module reads hosts that way, and
errs towards calling a host production where a browser would refuse the URL anyway.

    >>> is_production_url("https://www.seg-social.pt\\\\@example.com")
    True
    >>> host_of("HTTPS://WWW。SEG-SOCIAL．PT.")
    'www.seg-social.pt.'

Pure logic (no browser): the runner, the targets of the command line and the tests share it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

import idna

if TYPE_CHECKING:
    from flows.flow import Flow

PRODUCTION_DOMAIN = "seg-social.pt"

# WHATWG "special" schemes: their authority may be written with backslashes and any number of
# slashes, and they always have a host.
SPECIAL_SCHEMES = ("http", "https", "ws", "wss", "ftp")

# The URLs, as Chromium reports them (canonical: lower-case ASCII host), whose authority mentions
# the production domain. A prefilter for the browser's router, so that other requests never
# reach Python; the handler decides with ``is_production_url``. Plain syntax: Playwright hands
# the pattern to JavaScript.
ROUTE_PATTERN = re.compile(r"^[a-z][a-z0-9+.\-]*://[^/?#]*seg-social", re.IGNORECASE)
# The same prefilter in the wildcard syntax of the DevTools protocol's request interception.
WILDCARD_PATTERN = "*seg-social*"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_PORT_AFTER_HOST = re.compile(r"\d+(?:[/\\?#]|$)")
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


@dataclass(frozen=True)
class Address:
    """A URL cut the way a browser cuts it. ``scheme`` is "" when the text had none."""

    scheme: str
    userinfo: str
    host: str  # canonical: lower-case ASCII, ``xn--`` labels, a trailing dot kept
    port: str
    rest: str  # path, query and fragment, backslashes read as slashes

    @property
    def web(self) -> bool:
        return self.scheme in ("", "http", "https")


def parse(url: str) -> Address:
    """Cut ``url`` into its parts as Chromium would; text with no scheme (``seg-social.pt``,
    ``//seg-social.pt``, ``localhost:8000``) is read as a host, as a browser's address bar does."""
    text = url.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    scheme, rest = _split_scheme(text)
    if scheme and scheme not in SPECIAL_SCHEMES:
        return Address(scheme, "", "", "", rest)  # data:, about:, javascript:, file: ...
    rest = rest.lstrip("/\\")
    end = next((i for i, c in enumerate(rest) if c in "/\\?#"), len(rest))
    authority, tail = rest[:end], rest[end:]
    userinfo, _, hostport = authority.rpartition("@")
    if hostport.startswith("["):  # an IPv6 address: its colons are not the port's
        close = hostport.find("]") + 1 or len(hostport)
        host, port = hostport[:close], hostport[close:].removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    query = next((i for i, c in enumerate(tail) if c in "?#"), len(tail))
    path = tail[:query].replace("\\", "/")  # in the query and fragment a backslash stays
    return Address(scheme, userinfo, canonical_host(host), port, path + tail[query:])


def host_of(url: str) -> str:
    """The host a browser would contact for ``url`` ("" when the URL has none)."""
    return parse(url).host


# Characters no valid host holds, even percent-encoded (the WHATWG "forbidden domain code
# points"): a browser refuses a URL whose host decodes to one of them.
FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")


def is_production_host(host: str) -> bool:
    """``seg-social.pt`` or a subdomain, with any trailing dots (which DNS ignores). A host
    holding characters no host may hold (``seg-social.pt/``, ``evil@seg-social.pt`` once
    decoded) is production when any part of it is: whoever rebuilds a URL from it reaches
    the part after the character."""
    return any(_production_name(part) for part in FORBIDDEN_IN_HOST.split(host))


def _production_name(name: str) -> bool:
    name = name.rstrip(".")
    return name == PRODUCTION_DOMAIN or name.endswith("." + PRODUCTION_DOMAIN)


def has_invalid_host(address: Address) -> bool:
    """Whether a browser would refuse the URL's host (a forbidden character once decoded)."""
    host = address.host
    if host.startswith("[") and host.endswith("]"):
        return False  # an IPv6 address, whose colons are its own
    return bool(FORBIDDEN_IN_HOST.search(host))


def is_production_url(url: str) -> bool:
    """True when a browser given ``url`` would contact the production portal."""
    return is_production_host(host_of(url))


def canonical_host(raw: str) -> str:
    """The WHATWG host parser, for names: percent-decode, then UTS #46 to ASCII."""
    if raw.startswith("["):
        return raw.lower()
    decoded = unquote(raw, errors="replace")
    try:
        mapped = idna.uts46_remap(decoded, std3_rules=False, transitional=False)
    except idna.IDNAError:
        # Our Unicode tables may be older or newer than the browser's: rather than call the
        # host invalid (and not production), read it as loosely as any browser could.
        mapped = unicodedata.normalize("NFKC", decoded.translate(_DOTS)).casefold()
    return ".".join(_ascii_label(label) for label in mapped.split("."))


def _ascii_label(label: str) -> str:
    if label.isascii():
        if label.startswith("xn--"):
            # An xn-- label that encodes plain ASCII: a browser refuses it; read what it says.
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                return label
            return decoded if decoded.isascii() else label
        return label
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:
        return label


def _split_scheme(text: str) -> tuple[str, str]:
    """("https", "//host/...") or ("", text) when there is no scheme. ``host:8000`` is a host
    and its port, not a scheme called ``host``."""
    match = _SCHEME.match(text)
    if match is None:
        return "", text
    scheme, rest = match.group(1).lower(), text[match.end() :]
    if scheme not in SPECIAL_SCHEMES and _PORT_AFTER_HOST.match(rest):
        return "", text
    return scheme, rest


def writers_refused(flows: Iterable[Flow], host: str) -> str | None:
    """Why ``flows`` may not run against ``host``, or None: flows that create or change
    accounts never run on the production portal; read-only ones may watch it. The one
    wording of the refusal, for a target refused up front and for the runner."""
    if not is_production_host(host):
        return None
    writing = sorted({flow.name for flow in flows if flow.writes})
    if not writing:
        return None
    these = "these flows create or change" if len(writing) > 1 else "it creates or changes"
    return (
        f"refusing to run {', '.join(writing)} against {host}, the production portal: {these} "
        "accounts, and only read-only checks (portal) may watch the production "
        "portal. Use the bundled mock or a staging URL."
    )
