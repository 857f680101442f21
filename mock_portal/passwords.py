"""Password formation rules and hashing.

The rules follow the public administration's guideline: a minimum length, characters from at
least three of four classes, and nothing guessable from the citizen's own NISS or birth date.
Passwords are hashed with scrypt and a per-password salt; they are never stored or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from datetime import date

from mock_portal.config import PortalConfig

_CLASSES = (
    ("minúsculas", set(string.ascii_lowercase + "áàâãçéêíóôõúü")),
    ("maiúsculas", set(string.ascii_uppercase + "ÁÀÂÃÇÉÊÍÓÔÕÚÜ")),
    ("algarismos", set(string.digits)),
)


def rules_text(config: PortalConfig) -> list[str]:
    """The rules as the page shows them, in Portuguese."""
    return [
        f"Ter pelo menos {config.password_min_length} caracteres "
        f"(no máximo {config.password_max_length}).",
        f"Combinar pelo menos {config.password_min_classes} destes 4 tipos de caracteres: "
        "letras minúsculas, letras maiúsculas, algarismos e símbolos (por exemplo ! ? # %).",
        "Não conter o seu NISS nem a sua data de nascimento.",
        "Ser igual na confirmação.",
    ]


def _class_count(password: str) -> int:
    count = sum(1 for _, chars in _CLASSES if any(c in chars for c in password))
    known = set().union(*(chars for _, chars in _CLASSES))
    if any(c not in known for c in password):
        count += 1  # symbols: anything that is not a letter or digit above
    return count


def _birth_date_forms(birth: date) -> list[str]:
    return [
        birth.strftime("%Y%m%d"),
        birth.strftime("%d%m%Y"),
        birth.strftime("%Y-%m-%d"),
        birth.strftime("%d-%m-%Y"),
        birth.strftime("%d/%m/%Y"),
        birth.strftime("%d%m%y"),
    ]


def problems(
    password: str, confirmation: str, *, niss: str, birth: date, config: PortalConfig
) -> list[str]:
    """Every rule the password breaks, as messages for the page (empty when it is good)."""
    if not password:
        return ["Indique a palavra-passe."]
    found: list[str] = []
    if len(password) < config.password_min_length:
        found.append(
            f"A palavra-passe tem de ter pelo menos {config.password_min_length} caracteres."
        )
    if len(password) > config.password_max_length:
        found.append(
            f"A palavra-passe não pode ter mais de {config.password_max_length} caracteres."
        )
    if any(not c.isprintable() for c in password):
        found.append("A palavra-passe não pode conter caracteres de controlo.")
    if _class_count(password) < config.password_min_classes:
        found.append(
            f"A palavra-passe tem de combinar pelo menos {config.password_min_classes} tipos de "
            "caracteres (minúsculas, maiúsculas, algarismos, símbolos)."
        )
    if niss in password:
        found.append("A palavra-passe não pode conter o seu NISS.")
    if any(form in password for form in _birth_date_forms(birth)):
        found.append("A palavra-passe não pode conter a sua data de nascimento.")
    if not found and password != confirmation:
        found.append("A confirmação não é igual à palavra-passe.")
    return found


def hash_password(password: str, *, n: int) -> str:
    """An scrypt hash with its parameters and salt: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32)
    return "$".join(
        ["scrypt", str(n), "8", "1", _b64(salt), _b64(digest)],
    )


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, _unb64(digest))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
