"""The label catalogue: every documented label, its English gloss, and other documented wordings.

The Portuguese text is what a citizen sees and what page objects look for; the English gloss
comes from the portal's English guide. Where the two public guides word a label differently,
both wordings are real and page objects accept either. ``source`` says where a label is
documented (``000``: the portal's own English page; ``001``: a relocation guide), so a missing
label can be reported as documentation drift at the right step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

GUIDE_000 = "000_a0bd499d4e80e2a3.txt"
GUIDE_001 = "001_366f566992ce04bf.txt"


@dataclass(frozen=True)
class Label:
    pt: str
    en: str
    variants: tuple[str, ...] = ()
    source: str = ""
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        alternatives = "|".join(_tolerant(w) for w in self.wordings)
        pattern = rf"^{_AROUND}(?:{alternatives}){_AROUND}$"
        object.__setattr__(self, "_pattern", re.compile(pattern, re.IGNORECASE))

    @property
    def wordings(self) -> tuple[str, ...]:
        """Every documented wording, the portal's own first."""
        return (self.pt, *self.variants)

    @property
    def pattern(self) -> re.Pattern[str]:
        """Matches one of the wordings, whatever changes no meaning: letter case, spaces
        (repeated or non-breaking) and punctuation around the label (``Entrar »``, ``NISS *``,
        ``Seguinte:``). Nothing else: ``Registar empresa`` is not ``Registar``."""
        return self._pattern

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


def _g(step: str) -> str:
    return f"{GUIDE_000} {step}"


# Portal and login -------------------------------------------------------------------------
PORTAL = Label("Portal da Segurança Social", "Social Security Portal", source=_g("registration 1"))
LOG_IN = Label("Iniciar sessão", "Log In", source=_g("registration 2"))
SS_USER = Label(
    "Autenticação com o seu utilizador da Segurança Social",
    "Authentication with your Social Security user account",
    variants=("Autenticar com utilizador da Segurança Social",),
    source=_g("registration 3"),
)
GOV = Label("Autenticação.gov", "Autenticação.gov", source=_g("Digital Mobile Key 2"))
NISS = Label("NISS", "Social Security Identification Number", source=_g("registration 7"))
PASSWORD = Label("Palavra-passe", "Password", source=_g("activation 5"))
ENTER = Label("Entrar", "Sign in")
# Public how-to pages of the live portal (a bank's, a financial magazine's) quote its labels
# in other letter case ("Efetuar registo", "Seguinte: canal de verificação"), which matching
# ignores, and name the password reset otherwise: their wordings are variants too.
PUBLIC_HOW_TO = "public how-to pages of the live portal"
LOST_PASSWORD = Label(
    "Perdi a minha palavra-passe",
    "I forgot my password",
    variants=("Recuperar Senha",),  # PUBLIC_HOW_TO
    source=f"{GUIDE_001} activation 5",
)

# Registration -----------------------------------------------------------------------------
REGISTER = Label("Registar", "Register", variants=("Efetuar Registo",), source=_g("registration 4"))
ACCEPT_TERMS = Label(
    "Li e aceito os termos e condições",
    "I have read and accept the terms and conditions",
    variants=(
        "Li e aceito os termos e condições do serviço",
        "Eu li e aceito os termos e condições do serviço",
    ),
    source=_g("registration 5"),
)
ACCOUNT_TYPE = Label("Tipo de conta", "type of account", source=_g("registration 6"))
CITIZEN = Label("Cidadão", "Citizen", source=f"{GUIDE_001} registration 3")
COMPANY = Label("Empresa", "Company")
BIRTH_DATE = Label("Data de nascimento", "Birth date", source=_g("registration 7"))
NOT_A_ROBOT = Label("Não sou robô", "I'm not a robot")
IDENTIFICATION = Label(
    "Dados de identificação", "identification details", source=_g("registration 7")
)
NEXT_CHANNEL = Label(
    "Seguinte: Canal de verificação", "Next: Verification Channel", source=_g("registration 8")
)
CHANNEL = Label("Canal de verificação", "Verification channel", source=_g("registration 9"))
EMAIL = Label("Email", "email", source=_g("registration 9"))
SMS = Label("SMS", "SMS (text message to your mobile phone)", source=_g("registration 9"))
LETTER = Label("Por carta", "by letter", source=_g("registration 9"))
REQUEST_CODE = Label(
    "Pedir código de verificação", "Request verification code", source=_g("registration 10")
)
REGISTRATION_DONE = Label(
    "O pedido de acesso à Segurança Social Direta foi efetuado com sucesso.",
    "The request to access the Social Security Portal has been successfully completed.",
    source=_g("registration, after step 10"),
)

# Activation -------------------------------------------------------------------------------
ACTIVATE = Label(
    "Ativar conta",
    "Activate account",
    variants=("Ativar a minha conta",),
    source=_g("activation 1"),
)
VERIFICATION_CODE = Label("Código de verificação", "verification code", source=_g("activation 3"))
CONFIRM_CODE = Label(
    "Confirmar código de verificação", "Confirm verification code", source=_g("activation 4")
)
PASSWORD_CONFIRMATION = Label(
    "Confirmação da palavra-passe",
    "Confirm your password",
    variants=("Confirmar a palavra-passe", "Repetir palavra-passe"),
    source=_g("activation 6"),
)
CONFIRM_PASSWORD = Label("Confirmar palavra-passe", "Confirm password", source=_g("activation 7"))
ACCESS_LINK = Label(
    "pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe",
    "you can access the Social Security Online Service with your password",
    source=_g("activation 8"),
)
PASSWORD_RULES = Label(
    "Regras de formação da palavra-passe",
    "password formation rules",
    source=f"{GUIDE_001} activation 6",
)

# Login: one-time code and contacts ---------------------------------------------------------
SEND_CODE = Label("Enviar código", "Send code")
LOGIN_CODE = Label("Código de autenticação", "Authentication code")
VALIDATE_CODE = Label("Validar código", "Validate code")
CONTACTS = Label(
    "Atualize e valide os seus contactos",
    "update and validate your contacts",
    source=_g("after activation"),
)
CONTACT_EMAIL = Label("Email", "Email")
CONTACT_MOBILE = Label("Telemóvel", "Mobile phone")
SAVE_CONTACTS = Label("Guardar e validar", "Save and validate")
CONTACTS_CODE = Label("Código de validação", "Validation code")
VALIDATE_CONTACTS = Label("Validar contactos", "Validate contacts")
REMIND_LATER = Label("Lembrar mais tarde", "Remind me later")
LOG_OUT = Label("Terminar sessão", "Log out")
PERSONAL_AREA = Label("Segurança Social Direta", "Social Security Online Service")

# Password reset ---------------------------------------------------------------------------
NEXT = Label("Seguinte", "Next")
ENTER_CODE = Label("Introduzir código", "Enter the code")
PASSWORD_CHANGED = Label("Palavra-passe alterada", "Password changed")

# Autenticação.gov with the Chave Móvel Digital --------------------------------------------
CMD = Label("Chave Móvel Digital", "Digital Mobile Key", source=_g("Digital Mobile Key 3"))
CMD_MOBILE = Label("Número de telemóvel", "Mobile phone number", source=_g("Digital Mobile Key 3"))
PIN = Label("PIN", "PIN", source=_g("Digital Mobile Key 3"))
CONTINUE = Label("Continuar", "Continue", source=_g("Digital Mobile Key 3"))
AUTHORISE = Label("Autorizar", "Authorise", source=_g("Digital Mobile Key 3"))
SECURITY_CODE = Label(
    "Código de segurança", "numeric security code", source=_g("Digital Mobile Key 3")
)
CONFIRM = Label("Confirmar", "Confirm")


def catalogue() -> dict[str, Label]:
    """Every label by its name in this module."""
    return {name: value for name, value in globals().items() if isinstance(value, Label)}
