"""``runtime.masking.masked_urls``: a URL is shown without its password and its query's
values (a staging portal behind basic authentication, a key in its query), its user kept."""

from __future__ import annotations

import pytest

from runtime.masking import masked_urls


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://qa:S3cretBasicPw@127.0.0.1:8000", "http://qa:***@127.0.0.1:8000"),
        ("https://qa:p%40ss@staging.example.pt/app/", "https://qa:***@staging.example.pt/app/"),
        ("https://qa:p@ss@staging.example.pt", "https://qa:***@staging.example.pt"),
        ("https://qa:it's@staging.example.pt", "https://qa:***@staging.example.pt"),
        (
            'navigating to "http://qa:pw@h/?k=v", waiting',
            'navigating to "http://qa:***@h/?k=***", waiting',
        ),
        ("https://qa:@staging.example.pt", "https://qa:***@staging.example.pt"),
        ("https://qa@staging.example.pt", "https://qa@staging.example.pt"),  # a user alone
        ("https://h.pt/?key=K3y&lang=pt#top", "https://h.pt/?key=***&lang=***#top"),
        ("https://h.pt?K3y", "https://h.pt?***"),
        ("https://h.pt/a#x?y=1", "https://h.pt/a#x?y=1"),  # a fragment's ? is no query
        ("qa:S3cretBasicPw@staging.example.pt", "qa:***@staging.example.pt"),  # no scheme
        ("--base-url=http://qa:pw@h:1/?k=v", "--base-url=http://qa:***@h:1/?k=***"),
        ("baseurl: http://qa:pw@h and http://u:p@g", "baseurl: http://qa:***@h and http://u:***@g"),
        ("https://staging.example.pt/app", "https://staging.example.pt/app"),
        ("127.0.0.1:8000", "127.0.0.1:8000"),
        ("tests/e2e -k 'login and not a:b'", "tests/e2e -k 'login and not a:b'"),
    ],
)
def test_a_urls_password_and_query_values_are_masked(text: str, shown: str) -> None:
    assert masked_urls(text) == shown
