"""Registration + activation: the harness against a bare Playwright script and plain HTTP.

All in one run, against the same mock, in the same warm browser, so the ratios compare like
with like: the harness without observers; with the Allure observer's masked screenshots, by
default (a picture as each screen is left) and one per step; with the accessibility audit;
with Web Vitals; the same clicks and fills as a bare script (the floor for a browser), alone
and with the production guard the harness puts on its contexts; and the same journey as HTTP
form posts (the server's own share); and the Playwright Test peer (``bench.peer``), the bare
script's journey in Node, whose journeys are timed there.

Every harness kind carries a ``StepClock`` last, so each documented step's time includes what
the observers before it did after that step: the per-step comparison of ``bench.targets``.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from statistics import median

import httpx
from playwright.sync_api import Browser, Page

from bench.peer import Peer
from bench.stats import summary
from fixtures.allure_observer import AllureObserver
from flows.context import Citizen, CodeRequest, Run
from flows.flow import Flow, Step
from flows.guard import guard_context
from flows.runner import Observer, StepResult
from runtime.accessibility import AccessibilityObserver
from runtime.citizens import provision, synthetic_faker
from runtime.codes import OutboxCodes
from runtime.journey import Journey, context_options
from runtime.testapi import TestControl
from runtime.vitals import VitalsObserver

PEER = "playwright-test"
KINDS = (
    PEER,
    "bare",
    "bare+guard",
    "harness",
    "harness+screenshots",
    "harness+screenshot-per-step",
    "harness+a11y",
    "harness+vitals",
    "http",
)
# The observers of each harness kind, made anew for each journey (an accessibility observer
# with a cache of its own, as a monitor check has: every screen is audited).
OBSERVERS: dict[str, Callable[[], list[Observer]]] = {
    "harness": list,
    "harness+screenshots": lambda: [AllureObserver()],
    "harness+screenshot-per-step": lambda: [AllureObserver(screenshots="every")],
    "harness+a11y": lambda: [AccessibilityObserver()],
    "harness+vitals": lambda: [VitalsObserver()],
}


class StepClock(Observer):
    """Each step's time as the journey sees it: from the end of the step before (or the start
    of the flow) to the end of this one, what the observers before the clock did included."""

    def __init__(self) -> None:
        self.durations: dict[str, list[float]] = defaultdict(list)
        self.flow = ""
        self._mark = 0.0

    def flow_started(self, flow: Flow, run: Run) -> None:
        self.flow = flow.name
        self._mark = time.perf_counter()

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        now = time.perf_counter()
        self.durations[f"{self.flow} {step.number}"].append(now - self._mark)
        self._mark = now


def harness(page: Page, url: str, citizen: Citizen, api: TestControl, observers) -> None:
    Journey(url, OutboxCodes(api), observers).run(page, "activation", citizen)


def bare(page: Page, url: str, citizen: Citizen, api: TestControl) -> None:
    """The same journey as a plain script: the fewest calls a browser needs (the Playwright
    Test peer, bench/playwright_test/registration.spec.mjs, makes the same ones)."""
    role = page.get_by_role
    page.goto(url)
    role("button", name="Iniciar sessão").click()
    role("button", name="Autenticação com o seu utilizador da Segurança Social").click()
    role("button", name="Registar", exact=True).click()
    role("button", name="Li e aceito os termos e condições").click()
    page.get_by_label("Cidadão").check()
    page.get_by_label("NISS").fill(citizen.niss)
    page.get_by_label("Data de nascimento").fill(citizen.birth_date.strftime("%d-%m-%Y"))
    page.get_by_label("Não sou robô").check()
    role("button", name="Seguinte: Canal de verificação").click()
    page.get_by_label("SMS").check()
    role("button", name="Pedir código de verificação").click()
    page.get_by_text("foi efetuado com sucesso").wait_for()
    page.goto(url)
    role("button", name="Iniciar sessão").click()
    role("button", name="Autenticação com o seu utilizador da Segurança Social").click()
    role("button", name="Ativar conta").click()
    page.get_by_label("NISS").fill(citizen.niss)
    page.get_by_label("Código de verificação").fill(
        OutboxCodes(api).latest(CodeRequest(citizen.niss, "registration", citizen.channel)).code
    )
    role("button", name="Confirmar código de verificação").click()
    page.get_by_label("Palavra-passe", exact=True).fill(citizen.password)
    page.get_by_label("Confirmação da palavra-passe").fill(citizen.password)
    role("button", name="Confirmar palavra-passe").click()
    role(
        "link", name="pode efetuar o acesso na Segurança Social Direta com a sua palavra-passe"
    ).click()
    page.get_by_label("Palavra-passe", exact=True).wait_for()


def bare_guarded(page: Page, url: str, citizen: Citizen, api: TestControl) -> None:
    """The bare script in a context with the harness's production guard: what the guard
    costs, apart from everything else the harness does."""
    guard_context(page.context)
    bare(page, url, citizen, api)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def http(url: str, citizen: Citizen, api: TestControl) -> None:
    """The same journey as form posts: what the server itself costs."""
    with httpx.Client(base_url=url, follow_redirects=True) as client:

        def post(path: str, data: dict[str, str], page: str) -> str:
            token = CSRF.search(client.get(page).text).group(1)
            response = client.post(path, data={"csrf_token": token, **data})
            response.raise_for_status()
            return response.text

        post("/registo", {}, "/registo")
        post(
            "/registo/identificacao",
            {
                "tipo_conta": "cidadao",
                "niss": citizen.niss,
                "data_nascimento": citizen.birth_date.strftime("%d-%m-%Y"),
                "nao_sou_robo": "sim",
            },
            "/registo/identificacao",
        )
        post("/registo/canal", {"canal": "sms"}, "/registo/canal")
        code = (
            OutboxCodes(api).latest(CodeRequest(citizen.niss, "registration", citizen.channel)).code
        )
        post("/ativar", {"niss": citizen.niss, "codigo": code}, "/ativar")
        post(
            "/ativar/palavra-passe",
            {"palavra_passe": citizen.password, "confirmacao": citizen.password},
            "/ativar/palavra-passe",
        )


def measure(
    browser: Browser,
    url: str,
    api: TestControl,
    runs: int,
    peer: Peer | None,
    kinds: Sequence[str] = KINDS,
) -> dict:
    """``runs`` journeys of each of ``kinds``, interleaved (the peer's run in Node)."""
    fake = synthetic_faker()
    samples: dict[str, list[float]] = defaultdict(list)
    clocks = {kind: StepClock() for kind in OBSERVERS if kind in kinds}
    audits: dict[str, list[float]] = defaultdict(list)
    audited: set[str] = set()
    for _ in range(runs):
        for kind in kinds:
            citizen = provision(api, fake, channel="sms")
            if kind == PEER:
                assert peer is not None
                samples[kind].append(peer.journey(citizen))
                continue
            if kind == "http":
                started = time.perf_counter()
                http(url, citizen, api)
                samples[kind].append(time.perf_counter() - started)
                continue
            context = browser.new_context(**context_options())
            page = context.new_page()
            observers = [*OBSERVERS[kind](), clocks[kind]] if kind in OBSERVERS else []
            started = time.perf_counter()
            if kind == "bare":
                bare(page, url, citizen, api)
            elif kind == "bare+guard":
                bare_guarded(page, url, citizen, api)
            else:
                harness(page, url, citizen, api, observers)
            samples[kind].append(time.perf_counter() - started)
            context.close()
            for observer in observers:
                if isinstance(observer, AccessibilityObserver):
                    _collect_audits(observer, audits, audited)
    result: dict = {kind: summary(values) for kind, values in samples.items()}
    result["runs"] = runs
    result["step_kinds"] = {kind: _medians(clock.durations) for kind, clock in clocks.items()}
    # The documented steps in order; their medians without observers, as before.
    result["steps"] = next(iter(result["step_kinds"].values()), {})
    if "harness" in result["step_kinds"]:
        result["steps"] = result["step_kinds"]["harness"]
    result["audit_s"] = _medians(audits)
    # The steps whose screen was audited (not a step that typed into the screen before it,
    # nor one seen earlier in the journey): those the audit adds to.
    result["audited_steps"] = sorted(audited, key=list(result["steps"]).index)
    return result


def _collect_audits(
    observer: AccessibilityObserver, seconds: dict[str, list[float]], audited: set[str]
) -> None:
    for audit in observer.audits:
        name = f"{audit.flow} {audit.step}"
        if audit.error:
            raise RuntimeError(f"the accessibility audit of step {name} failed: {audit.error}")
        seconds[name].append(audit.seconds)
        if not audit.same_as and not audit.cached:
            audited.add(name)


def _medians(durations: dict[str, Sequence[float]]) -> dict[str, float]:
    return {name: median(values) for name, values in durations.items()}
