"""Two markups of the same screens, so a harness can prove it relies only on roles and labels.

``classic``: every choice loads a new page, actions are buttons, labels wrap their inputs.
``modern``: the login form is revealed in place by its choice, actions that navigate are links
styled as buttons, labels point to inputs with ``for``, and paths and field names differ.
Both sets of paths always answer; pages link with the paths of the current markup.
"""

from __future__ import annotations

STYLES = ("classic", "modern")
DEFAULT = "classic"

# Screen name -> (classic path, modern path).
ROUTES: dict[str, tuple[str, str]] = {
    "home": ("/", "/inicio"),
    "login_choice": ("/login", "/app/entrar"),
    "login_user": ("/login/utilizador", "/app/entrar/utilizador"),
    "login_code": ("/login/codigo", "/app/entrar/verificacao"),
    "contacts": ("/conta/contactos", "/app/contactos"),
    "contacts_code": ("/conta/contactos/validar", "/app/contactos/validacao"),
    "area": ("/conta", "/app/area-pessoal"),
    "logout": ("/sair", "/app/sair"),
    "reg_terms": ("/registo", "/app/registo/termos"),
    "reg_ident": ("/registo/identificacao", "/app/registo/dados"),
    "reg_channel": ("/registo/canal", "/app/registo/envio"),
    "reg_done": ("/registo/concluido", "/app/registo/sucesso"),
    "act_code": ("/ativar", "/app/ativacao"),
    "act_password": ("/ativar/palavra-passe", "/app/ativacao/credenciais"),
    "act_done": ("/ativar/concluido", "/app/ativacao/sucesso"),
    "reset_start": ("/recuperar", "/app/recuperacao"),
    "reset_channel": ("/recuperar/canal", "/app/recuperacao/envio"),
    "reset_sent": ("/recuperar/enviado", "/app/recuperacao/pedido"),
    "reset_code": ("/recuperar/codigo", "/app/recuperacao/codigo"),
    "reset_password": ("/recuperar/palavra-passe", "/app/recuperacao/credenciais"),
    "reset_done": ("/recuperar/concluido", "/app/recuperacao/sucesso"),
    "gov_choice": ("/autenticacao-gov", "/app/autenticacao-gov"),
    "gov_cmd": ("/autenticacao-gov/cmd", "/app/autenticacao-gov/chave-movel"),
    "gov_authorize": ("/autenticacao-gov/autorizar", "/app/autenticacao-gov/autorizacao"),
    "gov_code": ("/autenticacao-gov/codigo", "/app/autenticacao-gov/seguranca"),
}

# Logical field -> (classic name, modern name).
FIELDS: dict[str, tuple[str, str]] = {
    "account_type": ("tipo_conta", "accountType"),
    "niss": ("niss", "nissNumber"),
    "birth_date": ("data_nascimento", "birthDate"),
    "robot": ("nao_sou_robo", "captchaConfirm"),
    "channel": ("canal", "deliveryChannel"),
    "code": ("codigo", "verificationCode"),
    "password": ("palavra_passe", "newPassword"),
    "password_confirm": ("confirmacao", "newPasswordConfirm"),
    "email": ("email", "contactEmail"),
    "mobile": ("telemovel", "contactMobile"),
    "cmd_mobile": ("telemovel", "phoneNumber"),
    "pin": ("pin", "cmdPin"),
    "decision": ("decisao", "consent"),
}


def path(name: str, style: str) -> str:
    classic, modern = ROUTES[name]
    return modern if style == "modern" else classic


def field(name: str, style: str) -> str:
    classic, modern = FIELDS[name]
    return modern if style == "modern" else classic
