"""Three markups of the same screens, so a harness can prove it relies only on roles and labels.

``classic``: every choice loads a new page, actions are buttons, labels wrap their inputs.
``modern``: the login form is revealed in place by its choice, actions that navigate are links
styled as buttons, labels point to inputs with ``for``, and paths and field names differ.
``sso``: as the single-sign-on page the portal has had since 2025: the login form is collapsed
behind its choice on every arrival at the login screen, actions are ``<input type="submit">``
or links, fields are named by ``aria-labelledby`` (no ``<label>``), choices are fieldsets
whose radios are named the same way, a cookie-consent banner blocks the first visit of a
browser session until it is answered, and paths and field names differ again.
Every set of paths always answers; pages link with the paths of the current markup, and a
form is read by any of the three names of each field.
"""

from __future__ import annotations

STYLES = ("classic", "modern", "sso")
DEFAULT = "classic"

# Screen name -> (classic path, modern path, sso path).
ROUTES: dict[str, tuple[str, str, str]] = {
    "home": ("/", "/inicio", "/portal"),
    "login_choice": ("/login", "/app/entrar", "/sso/login"),
    "login_user": ("/login/utilizador", "/app/entrar/utilizador", "/sso/login/credenciais"),
    "login_code": ("/login/codigo", "/app/entrar/verificacao", "/sso/login/otp"),
    "contacts": ("/conta/contactos", "/app/contactos", "/portal/perfil/contactos"),
    "contacts_code": (
        "/conta/contactos/validar",
        "/app/contactos/validacao",
        "/portal/perfil/contactos/codigo",
    ),
    "area": ("/conta", "/app/area-pessoal", "/portal/area-reservada"),
    "logout": ("/sair", "/app/sair", "/sso/logout"),
    "reg_terms": ("/registo", "/app/registo/termos", "/portal/adesao"),
    "reg_ident": ("/registo/identificacao", "/app/registo/dados", "/portal/adesao/identificacao"),
    "reg_channel": ("/registo/canal", "/app/registo/envio", "/portal/adesao/canal"),
    "reg_done": ("/registo/concluido", "/app/registo/sucesso", "/portal/adesao/pedido-efetuado"),
    "act_code": ("/ativar", "/app/ativacao", "/portal/ativacao"),
    "act_password": (
        "/ativar/palavra-passe",
        "/app/ativacao/credenciais",
        "/portal/ativacao/definir-senha",
    ),
    "act_done": ("/ativar/concluido", "/app/ativacao/sucesso", "/portal/ativacao/ativada"),
    "reset_start": ("/recuperar", "/app/recuperacao", "/sso/recuperar-senha"),
    "reset_channel": ("/recuperar/canal", "/app/recuperacao/envio", "/sso/recuperar-senha/canal"),
    "reset_sent": (
        "/recuperar/enviado",
        "/app/recuperacao/pedido",
        "/sso/recuperar-senha/enviado",
    ),
    "reset_code": ("/recuperar/codigo", "/app/recuperacao/codigo", "/sso/recuperar-senha/codigo"),
    "reset_password": (
        "/recuperar/palavra-passe",
        "/app/recuperacao/credenciais",
        "/sso/recuperar-senha/nova",
    ),
    "reset_done": (
        "/recuperar/concluido",
        "/app/recuperacao/sucesso",
        "/sso/recuperar-senha/alterada",
    ),
    "gov_choice": ("/autenticacao-gov", "/app/autenticacao-gov", "/sso/gov"),
    "gov_cmd": ("/autenticacao-gov/cmd", "/app/autenticacao-gov/chave-movel", "/sso/gov/cmd"),
    "gov_authorize": (
        "/autenticacao-gov/autorizar",
        "/app/autenticacao-gov/autorizacao",
        "/sso/gov/consentimento",
    ),
    "gov_code": ("/autenticacao-gov/codigo", "/app/autenticacao-gov/seguranca", "/sso/gov/otp"),
    # The answer to the cookie-consent banner (shown by the sso markup only).
    "cookies": ("/cookies", "/app/cookies", "/portal/cookies"),
}

# Logical field -> (classic name, modern name, sso name).
FIELDS: dict[str, tuple[str, str, str]] = {
    "account_type": ("tipo_conta", "accountType", "userType"),
    "niss": ("niss", "nissNumber", "username"),
    "birth_date": ("data_nascimento", "birthDate", "dataNascimento"),
    "robot": ("nao_sou_robo", "captchaConfirm", "recaptchaOk"),
    "channel": ("canal", "deliveryChannel", "otpChannel"),
    "code": ("codigo", "verificationCode", "otp"),
    "password": ("palavra_passe", "newPassword", "password"),
    "password_confirm": ("confirmacao", "newPasswordConfirm", "passwordConfirmation"),
    "email": ("email", "contactEmail", "emailAddress"),
    "mobile": ("telemovel", "contactMobile", "mobilePhone"),
    "cmd_mobile": ("telemovel", "phoneNumber", "cmdPhone"),
    "pin": ("pin", "cmdPin", "cmdPinCode"),
    "decision": ("decisao", "consent", "consentDecision"),
}


def _index(style: str) -> int:
    return STYLES.index(style) if style in STYLES else 0


def path(name: str, style: str) -> str:
    return ROUTES[name][_index(style)]


def field(name: str, style: str) -> str:
    return FIELDS[name][_index(style)]
