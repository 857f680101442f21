"""The ``paraphrase`` wording: a portal we did not write, as far as our sentences go.

Every screen of every flow (with its confirmations and errors) is walked once on the official
wording and once on the paraphrase; no sentence may appear on both, except the labels the
documentation quotes in Portuguese (and the customary labels of screens no guide covers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from html.parser import HTMLParser

import httpx
import pytest
from faker import Faker

from pages import labels as catalogue
from tests.conftest import TOKEN
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import (
    OFFICIAL,
    PARAPHRASE,
    PASSWORD,
    citizen_maker,
    dmy,
    latest_code,
    other_valid_niss,
)

CMD_MOBILE = "+351 913 000 222"
PIN = "4821"
# Names, not sentences: the same on any portal; and the sso markup's answer to its cookie
# banner, customary, which the catalogue does not hold (the harness never refuses cookies).
PROPER_NAMES = ("Cartão de Cidadão", "Rejeitar")
_AROUND = re.compile(r"^[\s.,:;!?…*«»\"'“”‘’()\[\]>–—-]+|[\s.,:;!?…*«»\"'“”‘’()\[\]>–—-]+$")
_LETTER = re.compile(r"[^\W\d_]")


def key(text: str) -> str:
    """A sentence as the harness compares it: letter case, spaces and punctuation around it
    change nothing."""
    return _AROUND.sub("", " ".join(text.split())).casefold()


KEPT = {
    key(wording)
    for label in catalogue.catalogue().values()
    if not label.translated
    for wording in label.wordings
} | {key(name) for name in PROPER_NAMES}


class _Sentences(HTMLParser):
    """The text a citizen sees or hears: text nodes (the title too), accessible names given
    by ``aria-label``, and the values of buttons that are inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        named = dict(attrs)
        self._add(named.get("aria-label"))
        if tag == "input" and named.get("type") in ("submit", "button"):
            self._add(named.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._add(data)

    def _add(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        # A masked contact ("+351 *** *** 12") is data, not a sentence.
        if _LETTER.search(text) and "***" not in text:
            self.found.append(text)


def sentences(screen: Screen) -> list[str]:
    parser = _Sentences()
    parser.feed(screen.html)
    return parser.found


# The walk: every screen of every flow, with its errors -------------------------------------
MakeCitizen = Callable[..., dict]

NEXT_CHANNEL = "Seguinte: Canal de verificação"
BIRTH = catalogue.BIRTH_DATE.pattern
ACCOUNT_TYPE = catalogue.ACCOUNT_TYPE.pattern
CODE = catalogue.VERIFICATION_CODE.pattern
CONFIRMATION = catalogue.PASSWORD_CONFIRMATION.pattern
CMD_NUMBER = catalogue.CMD_MOBILE.pattern


class Walk:
    """One citizen's browser per journey; every screen seen is kept."""

    def __init__(self, url: str, api: httpx.Client, make_citizen: MakeCitizen, labels: dict):
        self.url = url
        self.api = api
        self.make_citizen = make_citizen
        self.labels = labels
        self.seen: list[Screen] = []
        self.named: dict[str, Screen] = {}
        self._clients = ExitStack()
        # One connection pool for every browser: making a client's own costs ~0.1 s.
        self._transport = self._clients.enter_context(httpx.HTTPTransport())

    def __enter__(self) -> Walk:
        return self

    def __exit__(self, *_: object) -> None:
        self._clients.close()

    def keep(self, screen: Screen, name: str | None = None) -> Screen:
        """Keep a screen seen, under ``name`` for the tests that look at it again."""
        assert screen.status < 500, screen.text
        self.seen.append(screen)
        if name:
            self.named[name] = screen
        return screen

    def home(self) -> Screen:
        client = self._clients.enter_context(
            httpx.Client(
                base_url=self.url, follow_redirects=True, timeout=30, transport=self._transport
            )
        )
        return self.keep(Screen(client, client.get("/")))

    def login_form(self) -> Screen:
        choice = self.keep(self.home().click("Iniciar sessão"))
        return self.keep(choice.click(self.labels["ss_user"]))

    def identification(self) -> Screen:
        terms = self.keep(self.login_form().click(self.labels["register"]))
        return self.keep(terms.click(self.labels["accept_terms"]))

    def identify(
        self, screen: Screen, citizen: dict, kind: str = "Cidadão", over: dict | None = None
    ) -> Screen:
        fields = {"NISS": citizen["niss"], BIRTH: dmy(citizen["birth_date"]), **(over or {})}
        return self.keep(
            screen.submit(
                NEXT_CHANNEL,
                fields=fields,
                choices={ACCOUNT_TYPE: kind},
                checks=["Não sou robô"],
            )
        )

    def register(self, citizen: dict, channel: str = "SMS") -> Screen:
        channels = self.identify(self.identification(), citizen)
        assert channels.status == 200, channels.errors
        return self.keep(
            channels.submit(
                "Pedir código de verificação", choices={"Canal de verificação": channel}
            )
        )

    def code_form(self) -> Screen:
        return self.keep(self.login_form().click(self.labels["activate"]))

    def enter_code(self, form: Screen, niss: str, code: str) -> Screen:
        return self.keep(
            form.submit("Confirmar código de verificação", fields={"NISS": niss, CODE: code})
        )

    def choose_password(self, form: Screen, password: str, again: str | None = None) -> Screen:
        fields = {"Palavra-passe": password, CONFIRMATION: password if again is None else again}
        return self.keep(form.submit("Confirmar palavra-passe", fields=fields))

    def activate(self, citizen: dict) -> Screen:
        code = latest_code(self.api, citizen["niss"], "registration")
        chosen = self.enter_code(self.code_form(), citizen["niss"], code)
        assert chosen.status == 200, chosen.errors
        return self.choose_password(chosen, PASSWORD)

    def log_in(self, citizen: dict, password: str = PASSWORD) -> Screen:
        fields = {"NISS": citizen["niss"], "Palavra-passe": password}
        return self.keep(self.login_form().submit("Entrar", fields=fields))


def registration(walk: Walk) -> None:
    citizen = walk.make_citizen()
    form = walk.identification()
    walk.keep(form.submit(NEXT_CHANNEL))  # nothing given: every field's error
    for niss in ("12a", "123", "31234567890", citizen["niss"][:-1] + "x"):
        walk.identify(form, citizen, over={"NISS": niss})
    last = int(citizen["niss"][-1])
    walk.identify(form, citizen, over={"NISS": citizen["niss"][:-1] + str((last + 1) % 10)})
    walk.identify(form, citizen, over={"NISS": other_valid_niss()})  # not in the records
    walk.identify(form, citizen, kind="Empresa")
    for born in ("", "31-02-1980", "1980/02/31/1", "01-01-2999", "01-01-1850", "01-01-1950"):
        walk.identify(form, citizen, over={BIRTH: born})
    channels = walk.identify(form, citizen)
    walk.keep(channels.submit("Pedir código de verificação"))  # no channel chosen
    chosen = {"Canal de verificação": "SMS"}
    walk.keep(channels.submit("Pedir código de verificação", choices=chosen), "registered")
    walk.register(walk.make_citizen(email=None, mobile=None), channel="Por carta")
    walk.identify(walk.identification(), citizen)  # registered already: pending
    active = walk.make_citizen(account={"status": "active", "password": PASSWORD})
    walk.identify(walk.identification(), active)


def activation(walk: Walk) -> None:
    citizen = walk.make_citizen()
    walk.register(citizen)
    form = walk.code_form()
    walk.keep(form.submit("Confirmar código de verificação"))  # nothing given
    walk.enter_code(form, citizen["niss"], "12")
    walk.enter_code(form, walk.make_citizen()["niss"], "123456")  # never registered
    good = latest_code(walk.api, citizen["niss"], "registration")
    walk.enter_code(form, citizen["niss"], _wrong(good))
    chosen = walk.enter_code(form, citizen["niss"], good)
    for weak in ("", "abc", "\x01", "a" * 129, citizen["niss"] + "Ab!", "Ab!" + _compact(citizen)):
        walk.choose_password(chosen, weak)
    walk.choose_password(chosen, PASSWORD, again=PASSWORD + "x")
    done = walk.choose_password(chosen, PASSWORD)
    url, data = chosen.form_data("Confirmar palavra-passe")
    walk.keep(Screen(chosen.client, chosen.client.post(url, data=data)))  # the step is gone
    walk.keep(done.click(catalogue.ACCESS_LINK.pt))
    walk.enter_code(walk.code_form(), citizen["niss"], good)  # active already
    blocked = walk.make_citizen()
    walk.register(blocked)
    code = _wrong(latest_code(walk.api, blocked["niss"], "registration"))
    for _ in range(6):
        walk.enter_code(walk.code_form(), blocked["niss"], code)


def login(walk: Walk) -> None:
    pending = walk.make_citizen()
    walk.register(pending)
    walk.log_in(pending)  # not activated yet
    citizen = walk.make_citizen(account={"status": "active", "password": PASSWORD})
    walk.keep(walk.login_form().submit("Entrar"))  # nothing given
    walk.log_in(citizen, "wrong-Password-1")
    channels = walk.log_in(citizen)
    walk.keep(channels.submit("Enviar código"))
    code_form = walk.keep(channels.submit("Enviar código", choices={"Canal de verificação": "SMS"}))
    walk.keep(code_form.submit("Validar código"))
    walk.keep(code_form.submit("Validar código", fields={"Código de autenticação": "000000"}))
    code = latest_code(walk.api, citizen["niss"], "login")
    contacts = walk.keep(
        code_form.submit("Validar código", fields={"Código de autenticação": code}), "contacts"
    )
    walk.keep(contacts.submit("Guardar e validar", fields={"Email": "", "Telemóvel": ""}))
    walk.keep(contacts.submit("Guardar e validar", fields={"Email": "x@", "Telemóvel": "12"}))
    validate = walk.keep(contacts.submit("Guardar e validar", fields={"Telemóvel": "912345678"}))
    walk.keep(validate.submit("Validar contactos"))
    walk.keep(validate.submit("Validar contactos", fields={"Código de validação": "000000"}))
    area = walk.keep(
        validate.submit(
            "Validar contactos",
            fields={"Código de validação": latest_code(walk.api, citizen["niss"], "contacts")},
        )
    )
    walk.keep(area.submit("Terminar sessão"))
    walk.keep(Screen(area.client, area.client.get(area.url)))  # logged out: not there
    locked = walk.make_citizen(account={"status": "active", "password": PASSWORD})
    for _ in range(6):
        walk.log_in(locked, "wrong-Password-1")


def password_reset(walk: Walk) -> None:
    citizen = walk.make_citizen(account={"status": "active", "password": PASSWORD})
    start = walk.keep(walk.login_form().click("Perdi a minha palavra-passe"))
    walk.keep(start.submit("Seguinte"))
    for other, born in (
        (citizen, "01-01-1950"),  # not his birth date
        (walk.make_citizen(), None),  # never registered
        (_pending(walk), None),  # not activated
    ):
        fields = {"NISS": other["niss"], BIRTH: born or dmy(other["birth_date"])}
        walk.keep(start.submit("Seguinte", fields=fields))
    fields = {"NISS": citizen["niss"], BIRTH: dmy(citizen["birth_date"])}
    channels = walk.keep(start.submit("Seguinte", fields=fields))
    walk.keep(channels.submit("Pedir código de verificação"))
    sent = walk.keep(
        channels.submit("Pedir código de verificação", choices={"Canal de verificação": "Email"})
    )
    form = walk.keep(sent.click("Introduzir código"))
    code = latest_code(walk.api, citizen["niss"], "password_reset")
    walk.enter_code(form, citizen["niss"], _wrong(code))
    chosen = walk.enter_code(form, citizen["niss"], code)
    walk.choose_password(chosen, "short")
    walk.choose_password(chosen, PASSWORD + "2")
    again = walk.keep(walk.login_form().click("Perdi a minha palavra-passe"))
    walk.enter_code(walk.keep(again.click("Introduzir código")), citizen["niss"], code)  # used


def autenticacao_gov(walk: Walk) -> None:
    citizen = walk.make_citizen(cmd={"mobile": CMD_MOBILE, "pin": PIN})
    security = catalogue.SECURITY_CODE.pattern
    for authorise in (True, False):
        choice = walk.keep(walk.home().click("Iniciar sessão"))
        gov = walk.keep(choice.click("Autenticação.gov"))
        form = walk.keep(gov.click("Chave Móvel Digital"))
        walk.keep(form.submit("Continuar", fields={CMD_NUMBER: "", "PIN": ""}))
        walk.keep(form.submit("Continuar", fields={CMD_NUMBER: "12", "PIN": "12a"}))
        walk.keep(form.submit("Continuar", fields={CMD_NUMBER: "912", "PIN": "0000"}))
        if authorise:
            walk.keep(form.submit("Continuar", fields={CMD_NUMBER: CMD_MOBILE, "PIN": "0000"}))
        consent = walk.keep(form.submit("Continuar", fields={CMD_NUMBER: CMD_MOBILE, "PIN": PIN}))
        if not authorise:
            walk.keep(consent.submit(re.compile(r"^(?!Autorizar$)")))  # the other action
            continue
        code_form = walk.keep(consent.submit("Autorizar"))
        walk.keep(code_form.submit("Confirmar", fields={security: ""}))
        walk.keep(code_form.submit("Confirmar", fields={security: "000000"}))
        code = latest_code(walk.api, citizen["niss"], "cmd")
        contacts = walk.keep(code_form.submit("Confirmar", fields={security: code}))
        walk.keep(contacts.click("Lembrar mais tarde"))


def sessions_and_strays(walk: Walk) -> None:
    form = walk.identification()
    walk.keep(form.submit(NEXT_CHANNEL, extra={"csrf_token": "stale"}), "expired")
    home = walk.home()
    walk.keep(Screen(home.client, home.client.get("/nao-existe")))
    citizen = walk.make_citizen()
    walk.register(citizen)
    code = latest_code(walk.api, citizen["niss"], "registration")
    walk.api.post("/__test__/clock", json={"advance_seconds": 61 * 60}).raise_for_status()
    walk.enter_code(walk.code_form(), citizen["niss"], code)  # expired


JOURNEYS = (registration, activation, login, password_reset, autenticacao_gov, sessions_and_strays)


def _status(screen: Screen) -> str:
    region = screen.soup.find(attrs={"role": "status"})
    return region.get_text(" ", strip=True) if region else ""


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _compact(citizen: dict) -> str:
    return citizen["birth_date"].replace("-", "")


def _pending(walk: Walk) -> dict:
    citizen = walk.make_citizen()
    walk.register(citizen)
    return citizen


# The tests ----------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["classic", "modern", "sso"])
def walked(request: pytest.FixtureRequest, portal) -> Iterator[dict[str, Walk]]:
    """Every screen walked on each wording, in one markup (a walk takes a few seconds)."""
    walks = {}
    with mock_server.api_client(portal, TOKEN) as api:
        make_citizen = citizen_maker(api, Faker("pt_PT"))
        for profile, labels in (("official", OFFICIAL), ("paraphrase", PARAPHRASE)):
            api.post("/__test__/reset").raise_for_status()
            api.post("/__test__/markup", json={"style": request.param}).raise_for_status()
            api.post("/__test__/wording", json={"profile": profile}).raise_for_status()
            with Walk(portal.url, api, make_citizen, labels) as walk:
                for journey in JOURNEYS:
                    journey(walk)
            walks[profile] = walk
        yield walks
        api.post("/__test__/reset").raise_for_status()


def said(walk: Walk) -> set[str]:
    return {key(s) for screen in walk.seen for s in sentences(screen)}


def test_no_sentence_of_ours_survives_the_paraphrase(walked) -> None:
    official = {key(s): s for screen in walked["official"].seen for s in sentences(screen)}
    shared = sorted(official[k] for k in official.keys() & said(walked["paraphrase"]) - KEPT)
    assert not shared, f"worded as in the official profile: {shared}"


def test_the_documented_labels_stay_as_documented(walked) -> None:
    official, paraphrase = said(walked["official"]), said(walked["paraphrase"])
    for wording in PARAPHRASE.values():  # the relocation guide's wording (seed 001)
        assert key(wording) in paraphrase, wording
    missing = [
        label.pt
        for label in catalogue.catalogue().values()
        if not label.translated
        and {key(w) for w in label.wordings} & official
        and not {key(w) for w in label.wordings} & paraphrase
    ]
    assert not missing, f"shown on the official wording, not on the paraphrase: {missing}"


def test_translated_landmarks_keep_their_meaning(walked) -> None:
    for profile, walk in walked.items():
        done, contacts = walk.named["registered"], walk.named["contacts"]
        assert catalogue.REGISTRATION_DONE.pattern.search(_status(done)), profile
        assert catalogue.CONTACTS.pattern.search(contacts.heading), (profile, contacts.heading)


def test_an_expired_session_says_so_in_any_wording(walked) -> None:
    headings = set()
    for walk in walked.values():
        expired = walk.named["expired"]
        assert expired.status == 403
        # The harness knows the page by its heading (flows.detours), the alert says what to do.
        assert catalogue.SESSION_EXPIRED.pattern.search(expired.heading), expired.heading
        assert expired.soup.find(attrs={"role": "alert"}).get_text(strip=True)
        headings.add(expired.heading)
    assert len(headings) == 2, headings
