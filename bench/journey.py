"""Registration + activation: the harness against a bare Playwright script and plain HTTP.

All in one run, against the same mock, in the same warm browser, so the ratios compare like
with like: the harness without observers; the harness with the Allure observer's masked
screenshots, by default (a picture as each screen is left) and one per step; the same clicks
and fills as a bare script (the floor for a browser); and the same journey as HTTP form posts
(the server's own share).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict

import httpx
from playwright.sync_api import Browser, Page

from bench.stats import summary
from fixtures.allure_observer import AllureObserver
from flows.context import Citizen, CodeRequest, Run
from flows.flow import Step
from flows.runner import Observer, StepResult
from runtime.citizens import provision, synthetic_faker
from runtime.codes import OutboxCodes
from runtime.journey import Journey, context_options
from runtime.testapi import TestControl

KINDS = ("bare", "harness", "harness+screenshots", "harness+screenshot-per-step", "http")


class StepClock(Observer):
    def __init__(self) -> None:
        self.durations: dict[str, list[float]] = defaultdict(list)
        self.flow = ""

    def flow_started(self, flow, run) -> None:
        self.flow = flow.name

    def step_finished(self, step: Step, run: Run, result: StepResult) -> None:
        self.durations[f"{self.flow} {step.number}"].append(result.duration_s)


def harness(page: Page, url: str, citizen: Citizen, api: TestControl, observers) -> None:
    Journey(url, OutboxCodes(api), observers).run(page, "activation", citizen)


def bare(page: Page, url: str, citizen: Citizen, api: TestControl) -> None:
    """The same journey as a plain script: the fewest calls a browser needs."""
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


def measure(browser: Browser, url: str, api: TestControl, runs: int) -> dict:
    fake = synthetic_faker()
    samples: dict[str, list[float]] = defaultdict(list)
    clock = StepClock()
    for _ in range(runs):
        for kind in KINDS:
            citizen = provision(api, fake, channel="sms")
            context = browser.new_context(**context_options())
            page = context.new_page()
            started = time.perf_counter()
            if kind == "bare":
                bare(page, url, citizen, api)
            elif kind == "harness":
                harness(page, url, citizen, api, [clock])
            elif kind == "harness+screenshots":
                harness(page, url, citizen, api, [AllureObserver()])
            elif kind == "harness+screenshot-per-step":
                harness(page, url, citizen, api, [AllureObserver(screenshots="every")])
            else:
                http(url, citizen, api)
            samples[kind].append(time.perf_counter() - started)
            context.close()
    result = {kind: summary(values) for kind, values in samples.items()}
    floor = result["bare"]["median"]
    result["ratios"] = {
        "harness/bare": result["harness"]["median"] / floor,
        "harness+screenshots/bare": result["harness+screenshots"]["median"] / floor,
        "harness+screenshot-per-step/bare": result["harness+screenshot-per-step"]["median"] / floor,
        "http/bare": result["http"]["median"] / floor,
    }
    result["steps"] = {name: summary(values)["median"] for name, values in clock.durations.items()}
    return result
