"""The two wordings of the portal's labels that the public guides document.

``official`` is the wording of the portal's own page (Registar, Ativar conta, ...); ``guide`` is
the wording a relocation guide quotes (Efetuar Registo, Ativar a minha conta, ...) together with
the login choice as the portal has worded it since 2025. Only labels that differ live here; the
rest of the text is written in the templates, as on a real site.
"""

from __future__ import annotations

PROFILES: dict[str, dict[str, str]] = {
    "official": {
        "ss_user": "Autenticação com o seu utilizador da Segurança Social",
        "register": "Registar",
        "activate": "Ativar conta",
        "accept_terms": "Li e aceito os termos e condições",
        "done_title": "Pedido de registo efetuado",
    },
    "guide": {
        "ss_user": "Autenticar com utilizador da Segurança Social",
        "register": "Efetuar Registo",
        "activate": "Ativar a minha conta",
        "accept_terms": "Li e aceito os termos e condições do serviço",
        "done_title": "Registo efetuado",
    },
}
DEFAULT = "official"
