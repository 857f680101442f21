"""Codes by SMS: the gateway's inbound webhook, posted to over real HTTP."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from flows.codes import CodeNotFound, CodeRequest, CodeSourceError
from runtime.sms_webhook import SmsWebhook, normalise_number

NUMBER = "+351 912 345 678"


@pytest.fixture
def webhook() -> Iterator[SmsWebhook]:
    with SmsWebhook("127.0.0.1", 0, timeout_s=5) as server:
        yield server


def request(number: str = NUMBER, asked_at: float | None = None) -> CodeRequest:
    return CodeRequest("11115611236", "login", "sms", number, asked_at)


def post(webhook: SmsWebhook, **form: str) -> httpx.Response:
    return httpx.post(webhook.url, data=form, timeout=10)


def test_a_twilio_style_post_is_answered_with_empty_twiml(webhook: SmsWebhook) -> None:
    answer = post(webhook, From="SegSocial", To="+351912345678", Body="Código: 482913")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert answer.text.endswith("<Response/>")


def test_the_code_posted_for_the_number_is_the_latest(webhook: SmsWebhook) -> None:
    asked_at = time.time()
    post(webhook, From="SegSocial", To="+351912345678", Body="Código: 482913")
    arrival = webhook.latest(request(asked_at=asked_at))
    assert arrival.code == "482913"
    assert arrival.arrived_at is not None
    assert asked_at <= arrival.arrived_at <= time.time()


@pytest.mark.parametrize("written", ["+351912345678", "00351 912 345 678", "912345678"])
def test_the_number_matches_however_it_is_written(webhook: SmsWebhook, written: str) -> None:
    post(webhook, To=written, Body="O seu código é 271828")
    assert webhook.latest(request(NUMBER, time.time() - 5)).code == "271828"


def test_vonage_names_and_json_are_accepted(webhook: SmsWebhook) -> None:
    httpx.post(webhook.url, data={"msisdn": "SegSocial", "to": "351912345678", "text": "111222"})
    assert webhook.latest(request()).code == "111222"
    httpx.post(webhook.url, json={"msisdn": "SegSocial", "to": "351912345678", "text": "333444"})
    assert webhook.latest(request()).code == "333444"


def test_json_nested_too_deep_for_the_parser_is_a_bad_request(webhook: SmsWebhook) -> None:
    deep = "[" * 8000 + "]" * 8000  # under the size limit, past Python's recursion limit
    answer = httpx.post(
        webhook.url, content=deep, headers={"Content-Type": "application/json"}, timeout=5
    )
    assert answer.status_code == 400


def test_the_newest_message_wins_and_others_numbers_are_ignored(webhook: SmsWebhook) -> None:
    asked_at = time.time()
    post(webhook, To="+351912345678", Body="Código: 111111")
    post(webhook, To="+351912345678", Body="Código: 222222")
    post(webhook, To="+351912345679", Body="Código: 333333")
    assert webhook.latest(request(asked_at=asked_at)).code == "222222"


def test_a_message_before_the_request_is_not_taken(webhook: SmsWebhook) -> None:
    post(webhook, To="+351912345678", Body="Código: 111111")
    webhook.timeout_s = 0.3
    with pytest.raises(CodeNotFound) as error:
        webhook.latest(request(asked_at=time.time() + 1))
    message = str(error.value)
    assert "no code came: waited 0.3s for the login code by sms to a number ending in 78" in message
    assert "912345678" not in message.replace(" ", "")


def test_latest_waits_for_the_message_to_come(webhook: SmsWebhook) -> None:
    asked_at = time.time()
    waiting = threading.Event()
    results: list[str] = []

    def wait_for_code() -> None:
        waiting.set()
        results.append(webhook.latest(request(asked_at=asked_at)).code)

    waiter = threading.Thread(target=wait_for_code)
    waiter.start()
    waiting.wait(5)
    post(webhook, To="+351912345678", Body="Código: 905531")
    waiter.join(10)
    assert results == ["905531"]


@pytest.mark.parametrize(
    ("form", "content_type"),
    [
        ("To=%2B351912345678", "application/x-www-form-urlencoded"),  # no Body
        ("Body=123456", "application/x-www-form-urlencoded"),  # no To
        ("To=abc&Body=123456", "application/x-www-form-urlencoded"),
        ("&&==&", "application/x-www-form-urlencoded"),
        ('{"to": "351912345678"', "application/json"),
        ("To=1&Body=2", "text/plain"),
    ],
)
def test_a_malformed_post_is_a_400(webhook: SmsWebhook, form: str, content_type: str) -> None:
    answer = httpx.post(webhook.url, content=form, headers={"Content-Type": content_type})
    assert answer.status_code == 400
    assert "Traceback" not in answer.text


def test_a_body_that_is_not_utf8_is_a_400(webhook: SmsWebhook) -> None:
    answer = httpx.post(
        webhook.url,
        content=b"To=351912345678&Body=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 400


def test_a_large_post_is_a_413(webhook: SmsWebhook) -> None:
    answer = post(webhook, To="+351912345678", Body="x" * 100_000)
    assert answer.status_code == 413


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_a_405(webhook: SmsWebhook, method: str) -> None:
    answer = httpx.request(method, webhook.url)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"


def test_a_port_in_use_names_the_port_and_xdist() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CodeSourceError) as error:
            SmsWebhook("127.0.0.1", port).start()
    assert f"127.0.0.1:{port}: the port is in use" in str(error.value)
    assert "pytest-xdist" in str(error.value)


def test_a_request_without_a_number_is_the_harness_failure(webhook: SmsWebhook) -> None:
    with pytest.raises(CodeSourceError, match="by the number they were sent to"):
        webhook.latest(request(number=""))


def test_neither_the_code_nor_the_number_is_logged(
    webhook: SmsWebhook, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    post(webhook, To="+351912345678", Body="Código: 650213")
    arrival = webhook.latest(request())
    shown = caplog.text + "".join(capsys.readouterr()) + repr(arrival) + repr(webhook)
    assert arrival.code == "650213"
    assert "650213" not in shown
    assert "912345678" not in shown


def test_the_list_of_messages_is_bounded() -> None:
    with SmsWebhook("127.0.0.1", 0, timeout_s=0.2, keep=2) as server:
        post(server, To="+351912345601", Body="Código: 111111")
        for code in ("222222", "333333"):
            post(server, To="+351912345678", Body=f"Código: {code}")
        assert server.latest(request()).code == "333333"
        with pytest.raises(CodeNotFound):
            server.latest(request("+351912345601", time.time() - 60))


def test_numbers_normalise_to_international_digits() -> None:
    assert normalise_number("+44 7700 900123") == "447700900123"
    assert normalise_number("0044 7700 900123") == "447700900123"
    assert normalise_number("912 345 678") == "351912345678"
