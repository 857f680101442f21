"""Login, Chave Móvel Digital PIN and code lockouts hold under simultaneous requests.

Every request here is real HTTP to a real ``sentinel mock`` process; the guesses of one burst
are released together by a barrier, each from a browser (cookie jar) of its own.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mock_portal import codes, store
from pages import labels as catalogue
from tests.portal.browserless import Screen

PASSWORD = "Verao-Lisboa-2025"
CMD_MOBILE = "+351 913 000 222"
PIN = "4821"
GUESSES = 30
LOGIN_MAX_ATTEMPTS = 5  # the portal's documented defaults (mock_portal.config)
CMD_MAX_ATTEMPTS = 3
CODE_MAX_ATTEMPTS = 5
BLOCK_MINUTES = 30

Prepared = tuple[httpx.Client, str, dict[str, str]]


class _Deferred(Screen):
    """A screen whose ``submit`` fills the form but keeps the request instead of sending it."""

    def _go(self, method: str, url: str, data: dict[str, str] | None) -> Screen:
        self.prepared = (url, data or {})
        return self


def prepare(screen: Screen, button: str, fields: dict[str, str]) -> Prepared:
    deferred = _Deferred(screen.client, screen.response).submit(button, fields=fields)
    url, data = deferred.prepared  # type: ignore[attr-defined]
    return screen.client, url, data


@pytest.fixture
def browsers(portal) -> Iterator[Callable[[], Screen]]:
    """New browsers on the portal's home page; all closed at the end."""
    opened: list[httpx.Client] = []

    def open_one() -> Screen:
        client = httpx.Client(base_url=portal.url, follow_redirects=True, timeout=120)
        opened.append(client)
        return Screen(client, client.get("/"))

    yield open_one
    for client in opened:
        client.close()


def login_form(home: Screen) -> Screen:
    screen = home.click("Iniciar sessão")
    if "Entrar" not in screen.html:  # the classic markup has the form on a page of its own
        screen = screen.click(catalogue.SS_USER.pt)
    return screen


def password_post(home: Screen, niss: str, password: str) -> Prepared:
    fields = {"NISS": niss, "Palavra-passe": password}
    return prepare(login_form(home), "Entrar", fields)


def pin_post(home: Screen, pin: str) -> Prepared:
    form = home.click("Iniciar sessão").click("Autenticação.gov").click("Chave Móvel Digital")
    return prepare(form, "Continuar", {"Número de telemóvel": CMD_MOBILE, "PIN": pin})


def wrong_passwords(browsers: Callable[[], Screen], niss: str) -> list[Prepared]:
    return [password_post(browsers(), niss, f"Errada-Senha-{i}") for i in range(GUESSES)]


def send(request: Prepared) -> int:
    client, url, data = request
    return client.post(url, data=data, follow_redirects=False).status_code


def burst(wrong: list[Prepared], right: Prepared | None = None) -> tuple[Counter[int], int | None]:
    """Every wrong guess at the same moment; the right secret while they are still in flight,
    as soon as the first guess is refused (429). The wrong answers' statuses, and the right's.

    The right secret waits for that first refusal because the portal rightly checks it when
    it comes in among the first allowed attempts; sent after the refusal it must be refused.
    """
    start = threading.Barrier(len(wrong))
    refused = threading.Event()

    def guess(request: Prepared) -> int:
        start.wait()
        status = send(request)
        if status == 429:
            refused.set()
        return status

    def the_right_one() -> int | None:
        if right is None:
            return None
        assert refused.wait(timeout=120), "no guess was ever refused"
        return send(right)

    with ThreadPoolExecutor(max_workers=len(wrong) + 1) as pool:
        late = pool.submit(the_right_one)
        statuses = list(pool.map(guess, wrong))
        return Counter(statuses), late.result()


def new_citizen(api: httpx.Client, **extra: object) -> dict:
    body = {
        "name": "Rita Teste",
        "birth_date": "1980-02-03",
        "mobile": "+351912345678",
        **extra,
    }
    response = api.post("/__test__/citizens", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def advance(api: httpx.Client, seconds: float) -> None:
    api.post("/__test__/clock", json={"advance_seconds": seconds}).raise_for_status()


def test_simultaneous_wrong_passwords_get_no_more_checks_than_allowed(api, browsers) -> None:
    citizen = new_citizen(api, account={"status": "active", "password": PASSWORD})
    wrong = wrong_passwords(browsers, citizen["niss"])
    right = password_post(browsers(), citizen["niss"], PASSWORD)

    statuses, right_status = burst(wrong, right)

    assert set(statuses) <= {401, 429}, statuses
    assert statuses[401] <= LOGIN_MAX_ATTEMPTS, statuses  # was 24: every guess was checked
    assert right_status == 429  # the right password during the block does not log in
    alone = password_post(browsers(), citizen["niss"], PASSWORD)
    assert send(alone) == 429  # ... nor did it lift the block


def test_a_block_lasts_its_full_time_whatever_comes_next(api, browsers) -> None:
    citizen = new_citizen(api, account={"status": "active", "password": PASSWORD})
    wrong = wrong_passwords(browsers, citizen["niss"])
    burst(wrong)
    advance(api, (BLOCK_MINUTES - 1) * 60)
    assert send(password_post(browsers(), citizen["niss"], PASSWORD)) == 429
    advance(api, 2 * 60)
    assert send(password_post(browsers(), citizen["niss"], PASSWORD)) == 303  # on to the code


def test_simultaneous_wrong_pins_get_no_more_checks_than_allowed(api, browsers) -> None:
    new_citizen(api, cmd={"mobile": CMD_MOBILE, "pin": PIN})
    wrong = [pin_post(browsers(), f"{i:04d}") for i in range(GUESSES) if f"{i:04d}" != PIN]
    right = pin_post(browsers(), PIN)

    statuses, right_status = burst(wrong, right)

    assert set(statuses) <= {401, 429}, statuses
    assert statuses[401] <= CMD_MAX_ATTEMPTS, statuses
    assert right_status == 429
    assert send(pin_post(browsers(), PIN)) == 429


def test_simultaneous_wrong_login_codes_get_no_more_checks_than_allowed(api, browsers) -> None:
    """A guard: code checks were already one transaction each; they must stay so."""
    citizen = new_citizen(api, account={"status": "active", "password": PASSWORD})
    at_code: list[Screen] = []
    for _ in range(GUESSES):
        choice = login_form(browsers()).submit(
            "Entrar", fields={"NISS": citizen["niss"], "Palavra-passe": PASSWORD}
        )
        at_code.append(choice.submit("Enviar código", choices={"Canal de verificação": "SMS"}))
    newest = api.get("/__test__/outbox", params={"niss": citizen["niss"]}).json()[0]["code"]
    wrong_code = f"{(int(newest) + 1) % 10**6:06d}"
    wrong = [prepare(s, "Validar código", {"Código de autenticação": wrong_code}) for s in at_code]

    statuses, _ = burst(wrong)

    assert set(statuses) <= {400, 429}, statuses
    assert statuses[400] < CODE_MAX_ATTEMPTS, statuses


# The attempt ledger itself, step by step (no timing involved) ------------------------------
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def conn():
    connection = store.connect(":memory:")
    yield connection
    connection.close()


def begin(conn, max_attempts: int = 2) -> codes.Check | None:
    with store.transaction(conn):
        return codes.begin_attempt(
            conn, "11115611236", "login", NOW, max_attempts=max_attempts, block_minutes=30
        )


def finish(conn, good: bool, max_attempts: int = 2) -> codes.Check:
    with store.transaction(conn):
        return codes.finish_attempt(
            conn, "11115611236", "login", NOW, good, max_attempts=max_attempts, block_minutes=30
        )


def test_a_right_secret_checked_while_a_wrong_one_blocked_does_not_get_in(conn) -> None:
    assert begin(conn) is None  # a wrong guess is being checked
    assert begin(conn) is None  # and the right password, at the same time
    assert begin(conn).verdict is codes.Verdict.BLOCKED  # no third check while both run
    assert finish(conn, good=False).verdict is codes.Verdict.BLOCKED  # the last allowed one
    assert finish(conn, good=True).verdict is codes.Verdict.BLOCKED  # too late: not in
    later = NOW + timedelta(minutes=29)
    assert codes.blocked_until(conn, "11115611236", "login", later)  # and the block holds


def test_wrong_then_right_one_at_a_time_behaves_as_before(conn) -> None:
    assert begin(conn, 5) is None
    assert finish(conn, False, 5) == codes.Check(codes.Verdict.WRONG, attempts_left=4)
    assert begin(conn, 5) is None
    assert finish(conn, True, 5).verdict is codes.Verdict.ACCEPTED
    assert begin(conn, 5) is None
    assert finish(conn, False, 5).attempts_left == 4  # a good login starts the count again
