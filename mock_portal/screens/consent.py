"""The cookie-consent banner of the sso markup: shown until the citizen answers it.

The answer lives in a cookie for the browser session (no expiry date), so it outlasts a login,
a logout and an expired portal session, as the consent of a real portal does. Answering is an
ordinary form (with the CSRF token) that goes back to the page it was shown on: no script.
"""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from mock_portal import sessions
from mock_portal.web import Page, screen


@screen
async def answer(page: Page) -> Response:
    if page.request.method == "GET":
        return page.redirect("home")
    form = await page.form()
    back = form.raw("voltar")
    # Only a path of this portal: never another site (an open redirect).
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = page.url("home")
    response = RedirectResponse(back, status_code=303)
    choice = "todos" if form.raw("escolha") == "todos" else "necessarios"
    response.set_cookie(sessions.CONSENT_COOKIE, choice, httponly=True, samesite="lax", path="/")
    return response
