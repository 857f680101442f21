"""The label catalogue: every documented label, its English gloss, and other documented wordings.

The Portuguese text is what a citizen sees and what page objects look for; the English gloss
comes from the portal's English guide. Where the two public guides word a label differently,
both wordings are real and page objects accept either. ``source`` says where a label is
documented (a ``Source``: the guide, ``000`` the portal's own English page or ``001`` a
relocation guide, its part and step), so a missing label can be reported as documentation drift
at the right step, and a guide can name that step in its own language.

``origin`` says how far a wording can be trusted on a portal we did not write:

- ``QUOTED``: a guide (or a public how-to page) quotes it in Portuguese: the portal shows it.
- ``CUSTOMARY``: a label of a screen no guide covers (the login's one-time code, the contacts
  prompt, Autenticação.gov's consent), worded as such screens word it: an assumption.
- ``TRANSLATED``: our Portuguese for what the guides give only in English. The portal words
  it its own way, so such a label is matched by ``meaning`` only (its key words, anywhere in
  the text), and never proves on its own which screen the citizen is on
  (``tests/unit/test_landmarks.py`` holds every page object to that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal

GUIDE_000: Final = "000_a0bd499d4e80e2a3.txt"
GUIDE_001: Final = "001_366f566992ce04bf.txt"
Guide = Literal["000_a0bd499d4e80e2a3.txt", "001_366f566992ce04bf.txt"]
Part = Literal["registration", "activation", "Digital Mobile Key"]

# The two seed guides, named for a reader rather than by file name.
GUIDES: dict[str, dict[str, str]] = {
    GUIDE_000: {
        "pt": "guia do portal da Segurança Social",
        "en": "the Social Security portal's guide",
    },
    GUIDE_001: {"pt": "guia de mudança para Portugal", "en": "a relocation guide"},
}
# The parts of the guides, by their English headings: the Portuguese name and its article
# ("depois da ativação", "depois do registo").
PARTS: dict[str, tuple[str, str]] = {
    "registration": ("registo", "do"),
    "activation": ("ativação", "da"),
    "Digital Mobile Key": ("Chave Móvel Digital", "da"),
}


@dataclass(frozen=True)
class Source:
    """Where a guide documents a label: ``Source(GUIDE_000, "registration", 4)``.

    ``step`` is the number of the guide's step, or None for the part as a whole; ``after``
    says the guide gives the label just after that step (or after the part) rather than in it.
    ``str()`` is the form of one-line messages (``000_a0bd499d4e80e2a3.txt registration 4``);
    ``for_reader`` the form of a guide's page.
    """

    guide: Guide
    part: Part
    step: int | None = None
    after: bool = False

    def __post_init__(self) -> None:
        if self.guide not in GUIDES:
            raise ValueError(f"{self.guide!r} is not a documented guide: {sorted(GUIDES)}")
        if self.part not in PARTS:
            raise ValueError(f"{self.part!r} is not a documented part: {sorted(PARTS)}")
        if self.step is not None and self.step < 1:
            raise ValueError(f"step {self.step} is not a documented step: they count from 1")

    def __str__(self) -> str:
        return f"{self.guide} {self._where_en()}"

    def for_reader(self, language: str) -> str:
        """The guide by its name, then the place in it: ``guia do portal da Segurança Social,
        registo, passo 4`` or ``the Social Security portal's guide, registration 4``."""
        if language not in ("pt", "en"):
            raise ValueError(f"a source is written in 'pt' or 'en', not {language!r}")
        where = self._where_pt() if language == "pt" else self._where_en()
        return f"{GUIDES[self.guide][language]}, {where}"

    def _where_en(self) -> str:
        if self.step is None:
            return f"after {self.part}" if self.after else self.part
        return f"{self.part}, after step {self.step}" if self.after else f"{self.part} {self.step}"

    def _where_pt(self) -> str:
        part, article = PARTS[self.part]
        if self.step is None:
            return f"depois {article} {part}" if self.after else part
        return f"{part}, {'depois do passo' if self.after else 'passo'} {self.step}"


QUOTED = "quoted"
CUSTOMARY = "customary"
TRANSLATED = "translated"


@dataclass(frozen=True)
class Label:
    pt: str
    en: str
    variants: tuple[str, ...] = ()
    source: Source | None = None
    origin: str = QUOTED
    # Key words (a regular expression) that any wording of a TRANSLATED label keeps.
    meaning: str = ""
    _exact: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.origin not in (QUOTED, CUSTOMARY, TRANSLATED):
            raise ValueError(f"{self.pt!r}: unknown origin {self.origin!r}")
        if (self.origin == TRANSLATED) != bool(self.meaning):
            raise ValueError(f"{self.pt!r}: a translated label, and only one, has a meaning")
        alternatives = "|".join(_tolerant(w) for w in self.wordings)
        exact = re.compile(rf"^{_AROUND}(?:{alternatives}){_AROUND}$", re.IGNORECASE)
        object.__setattr__(self, "_exact", exact)
        meaning = re.compile(self.meaning, re.IGNORECASE) if self.meaning else exact
        object.__setattr__(self, "_pattern", meaning)

    @property
    def wordings(self) -> tuple[str, ...]:
        """Every documented wording, the portal's own first."""
        return (self.pt, *self.variants)

    @property
    def exact(self) -> re.Pattern[str]:
        """Matches one of the wordings, whatever changes no meaning: letter case, spaces
        (repeated or non-breaking) and punctuation around the label (``Entrar »``, ``NISS *``,
        ``Seguinte:``). Nothing else: ``Registar empresa`` is not ``Registar``."""
        return self._exact

    @property
    def pattern(self) -> re.Pattern[str]:
        """What page objects look for: the exact wordings of a quoted or customary label,
        the key words of a translated one (a portal words those its own way)."""
        return self._pattern

    @property
    def translated(self) -> bool:
        return self.origin == TRANSLATED

    def gloss(self) -> str:
        """``Registar (Register)``: the Portuguese label with its English gloss, as the guides
        write it."""
        return self.pt if self.pt == self.en else f"{self.pt} ({self.en})"


# What may surround a label without changing it: spaces and punctuation (a required-field
# star, a colon, quotes, an arrow). Python's and JavaScript's \s both take non-breaking spaces,
# and Playwright hands these patterns to the page as JavaScript regular expressions.
_AROUND = r"[\s.,:;!?…*«»\"'“”‘’()\[\]>–—-]*"


def _tolerant(wording: str) -> str:
    """A wording's pattern: its words in order, any run of spaces between them."""
    return r"\s+".join(re.escape(word) for word in wording.split())


def _g(part: Part, step: int | None = None, *, after: bool = False) -> Source:
    """A place in the portal's own guide (seed 000), which documents most labels."""
    return Source(GUIDE_000, part, step, after)


# Portal and login -------------------------------------------------------------------------
PORTAL = Label(
    "Portal da Segurança Social",
    "Social Security Portal",
    source=_g("registration", 1),
    origin=TRANSLATED,
    meaning=r"segurança\s+social",
)
LOG_IN = Label("Iniciar sessão", "Log In", source=_g("registration", 2))
SS_USER = Label(
    "Autenticação com o seu utilizador da Segurança Social",
    "Authentication with your Social Security user account",
    # How the single-sign-on page words it since 2025 (DESIGN.md, domain facts).
    variants=("Autenticar com utilizador da Segurança Social",),
    source=_g("registration", 3),
)
GOV = Label("Autenticação.gov", "Autenticação.gov", source=_g("Digital Mobile Key", 2))
NISS = Label("NISS", "Social Security Identification Number", source=_g("registration", 7))
PASSWORD = Label("Palavra-passe", "Password", source=Source(GUIDE_001, "activation", 6))
ENTER = Label("Entrar", "Sign in", origin=CUSTOMARY)
# Public how-to pages of the live portal (a bank's, a financial magazine's) quote its labels
# in other letter case ("Efetuar registo", "Seguinte: canal de verificação"), which matching
# ignores, and name the password reset otherwise: their wordings are variants too.
LOST_PASSWORD = Label(
    "Perdi a minha palavra-passe",
    "I forgot my password",
    variants=("Recuperar Senha",),  # as public how-to pages name it
    source=Source(GUIDE_001, "activation", 5),
)

# Registration -----------------------------------------------------------------------------
REGISTER = Label(
    "Registar", "Register", variants=("Efetuar Registo",), source=_g("registration", 4)
)
ACCEPT_TERMS = Label(
    "Li e aceito os termos e condições",
    "I have read and accept the terms and conditions",
    variants=(
        "Li e aceito os termos e condições do serviço",
        "Eu li e aceito os termos e condições do serviço",
    ),
    source=_g("registration", 5),
)
ACCOUNT_TYPE = Label(
    "Tipo de conta",
    "type of account",
    source=_g("registration", 6),
    origin=TRANSLATED,
    meaning=r"\bconta\b",
)
CITIZEN = Label("Cidadão", "Citizen", source=Source(GUIDE_001, "registration", 3))
COMPANY = Label("Empresa", "Company", origin=CUSTOMARY)
# reCAPTCHA's own wording on the live portal (DESIGN.md, domain facts).
NOT_A_ROBOT = Label("Não sou robô", "I'm not a robot", origin=CUSTOMARY)
IDENTIFICATION = Label(
    "Dados de identificação",
    "identification details",
    source=_g("registration", 7),
    origin=TRANSLATED,
    meaning=r"identifica",
)
BIRTH_DATE = Label(
    "Data de nascimento",
    "Birth date",
    source=_g("registration", 7),
    origin=TRANSLATED,
    meaning=r"nascimento",
)
NEXT_CHANNEL = Label(
    "Seguinte: Canal de verificação", "Next: Verification Channel", source=_g("registration", 8)
)
CHANNEL = Label("Canal de verificação", "Verification channel", source=_g("registration", 8))
# The guides name the channel in English sentences only: the screens' word, either spelling.
EMAIL = Label("Email", "email", variants=("E-mail",), origin=CUSTOMARY)
SMS = Label("SMS", "SMS (text message to your mobile phone)", source=_g("registration", 9))
LETTER = Label("Por carta", "by letter", source=_g("registration", 9))
REQUEST_CODE = Label(
    "Pedir código de verificação", "Request verification code", source=_g("registration", 10)
)
REGISTRATION_DONE = Label(
    "O pedido de acesso à Segurança Social Direta foi efetuado com sucesso.",
    "The request to access the Social Security Portal has been successfully completed.",
    source=_g("registration", 10, after=True),
    origin=TRANSLATED,
    # Done, made, sent: not "registado", which an account already registered says too.
    meaning=r"sucesso|efetuad|conclu|envi[áa]mos|foi\s+enviad",
)

# Activation -------------------------------------------------------------------------------
ACTIVATE = Label(
    "Ativar conta",
    "Activate account",
    variants=("Ativar a minha conta",),
    source=_g("activation", 1),
)
VERIFICATION_CODE = Label(
    "Código de verificação",
    "verification code",
    source=_g("activation", 3),
    origin=TRANSLATED,
    meaning=r"c[óo]digo",
)
CONFIRM_CODE = Label(
    "Confirmar código de verificação", "Confirm verification code", source=_g("activation", 4)
)
PASSWORD_CONFIRMATION = Label(
    "Confirmação da palavra-passe",
    "Confirm your password",
    variants=("Confirmar a palavra-passe", "Repetir palavra-passe"),
    source=_g("activation", 6),
    origin=TRANSLATED,
    # Confirm, repeat or type again, before or after the word: never the password itself.
    meaning=r"(confirm|repet|repit|reintroduz|volte\s+a|novamente|outra\s+vez).*palavra-passe"
    r"|palavra-passe.*(confirm|repet|repit|novamente|outra\s+vez)",
)
CONFIRM_PASSWORD = Label("Confirmar palavra-passe", "Confirm password", source=_g("activation", 7))
ACCESS_LINK = Label(
    "pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe",
    "you can access the Social Security Online Service with your password",
    source=_g("activation", 8),
)
PASSWORD_RULES = Label(
    "Regras de formação da palavra-passe",
    "password formation rules",
    source=Source(GUIDE_001, "activation", 6),
    origin=TRANSLATED,
    meaning=r"regras|requisitos",
)

# Login: one-time code and contacts ---------------------------------------------------------
SEND_CODE = Label("Enviar código", "Send code", origin=CUSTOMARY)
LOGIN_CODE = Label("Código de autenticação", "Authentication code", origin=CUSTOMARY)
VALIDATE_CODE = Label("Validar código", "Validate code", origin=CUSTOMARY)
CONTACTS = Label(
    "Atualize e valide os seus contactos",
    "update and validate your contacts",
    source=_g("activation", after=True),
    origin=TRANSLATED,
    meaning=r"contactos",
)
# No page object looks for the contacts' fields (a portal shows them filled in), but a portal
# keeps their customary words: tests/portal/test_paraphrase.py holds the mock to them.
CONTACT_MOBILE = Label("Telemóvel", "Mobile phone", origin=CUSTOMARY)
SAVE_CONTACTS = Label("Guardar e validar", "Save and validate", origin=CUSTOMARY)
CONTACTS_CODE = Label("Código de validação", "Validation code", origin=CUSTOMARY)
VALIDATE_CONTACTS = Label("Validar contactos", "Validate contacts", origin=CUSTOMARY)
REMIND_LATER = Label("Lembrar mais tarde", "Remind me later", origin=CUSTOMARY)
LOG_OUT = Label("Terminar sessão", "Log out", origin=CUSTOMARY)
# The service's name (seed 000, activation 8): no screen is known by it, as every screen shows
# it, but a portal keeps it (tests/portal/test_paraphrase.py).
PERSONAL_AREA = Label("Segurança Social Direta", "Social Security Online Service")

# Password reset ---------------------------------------------------------------------------
NEXT = Label("Seguinte", "Next", origin=CUSTOMARY)
ENTER_CODE = Label("Introduzir código", "Enter the code", origin=CUSTOMARY)
# The reset's last screen is known by its link (pages.activation.AccessPage); its heading is
# still the customary wording a portal keeps (tests/portal/test_paraphrase.py).
PASSWORD_CHANGED = Label("Palavra-passe alterada", "Password changed", origin=CUSTOMARY)

# Autenticação.gov with the Chave Móvel Digital --------------------------------------------
CMD = Label(
    "Chave Móvel Digital",
    "Digital Mobile Key",
    source=_g("Digital Mobile Key", 3),
    origin=CUSTOMARY,  # the service's own name; the guide writes it in English
)
CMD_MOBILE = Label(
    "Número de telemóvel",
    "Mobile phone number",
    source=_g("Digital Mobile Key", 3),
    origin=TRANSLATED,
    meaning=r"telem[óo]vel",
)
PIN = Label("PIN", "PIN", source=_g("Digital Mobile Key", 3))
CONTINUE = Label("Continuar", "Continue", source=_g("Digital Mobile Key", 3))
# The guide says "authorise" in a sentence; Autenticação.gov's consent screen labels it so.
AUTHORISE = Label("Autorizar", "Authorise", source=_g("Digital Mobile Key", 3), origin=CUSTOMARY)
SECURITY_CODE = Label(
    "Código de segurança",
    "numeric security code",
    source=_g("Digital Mobile Key", 3),
    origin=TRANSLATED,
    meaning=r"c[óo]digo",
)
CONFIRM = Label("Confirmar", "Confirm", origin=CUSTOMARY)

# Screens a portal may put in between (flows.detours) -------------------------------------
COOKIES_ACCEPT = Label(
    "Aceitar",
    "Accept",
    variants=("Aceitar todos", "Aceitar cookies", "Aceitar todos os cookies"),
    origin=CUSTOMARY,
)
SESSION_EXPIRED = Label(
    "Sessão expirada",
    "Session expired",
    origin=TRANSLATED,
    # Expired or lapsed, or ended for inactivity; not "Sessão terminada", which a log-out says.
    # Not a notice that sessions end after some inactivity, nor an account that is inactive.
    meaning=r"sess[ãa]o\s+(expirou|expirada|caducou|caducada|terminou\s+por\s+inatividade)"
    r"|(expirou|esgotou)\s+o\s+tempo\s+da\s+sess[ãa]o",
)


def catalogue() -> dict[str, Label]:
    """Every label by its name in this module."""
    return {name: value for name, value in globals().items() if isinstance(value, Label)}
