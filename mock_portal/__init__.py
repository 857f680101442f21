"""The bundled mock of the Segurança Social Direta portal.

A real web application (Starlette on uvicorn, Jinja2 templates, SQLite in WAL mode) that
reproduces the documented registration, activation, login, password-reset and
Autenticação.gov screens with their rules. It never imports the harness: the harness starts it
and talks HTTP to it, exactly as it talks to a staging portal.

    import secrets
    from mock_portal.app import create_app
    app = create_app("portal.db", test_token=secrets.token_urlsafe(16))
"""

from __future__ import annotations
