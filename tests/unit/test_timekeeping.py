from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mock_portal.timekeeping import DateProblem, add_business_days, parse_birth_date, parse_date

TODAY = date(2026, 11, 23)


def test_business_days_skip_weekends() -> None:
    friday = datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert add_business_days(friday, 1) == datetime(2026, 11, 23, 10, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert add_business_days(monday, 8) == datetime(2026, 12, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw", ["02-03-1985", "2-3-1985", "02/03/1985", "02.03.1985", "1985-03-02", " 02-03-1985 "]
)
def test_dates_as_people_type_them(raw: str) -> None:
    assert parse_date(raw) == date(1985, 3, 2)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Indique"),
        ("31-02-2020", "não existe"),
        ("1985/03/02", "formato"),
        ("ontem", "formato"),
        ("02-03-1985' OR 1=1", "formato"),
    ],
)
def test_unreadable_dates_are_refused(raw: str, fragment: str) -> None:
    with pytest.raises(DateProblem, match=fragment):
        parse_date(raw)


def test_birth_dates_cannot_be_in_the_future_or_before_1900() -> None:
    with pytest.raises(DateProblem, match="futuro"):
        parse_birth_date("24-11-2026", TODAY)
    with pytest.raises(DateProblem, match="1900"):
        parse_birth_date("31-12-1899", TODAY)
    assert parse_birth_date("23-11-2026", TODAY) == TODAY
