"""The portal's virtual clock, business days, and the date formats people type.

The clock is real UTC time plus an offset kept in the database, so tests can move it forward
(``POST /__test__/clock``) and a restarted server keeps the time it had reached.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
OLDEST_BIRTH_YEAR = 1900


class DateProblem(ValueError):
    """A date that cannot be read or cannot be a birth date; the message is for the page."""


def now(offset_seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=offset_seconds)


def iso(moment: datetime) -> str:
    """Timestamps are stored as ISO text in UTC to the second, so they sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def add_business_days(start: datetime, days: int) -> datetime:
    """``days`` working days (Monday to Friday) after ``start``, at the same time of day."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def parse_date(raw: str) -> date:
    """A date typed as dd-mm-aaaa (also / or .) or sent by a date input as aaaa-mm-dd."""
    text = raw.strip()
    if not text:
        raise DateProblem("Indique a data.")
    if len(text) > 10:
        raise DateProblem("A data deve estar no formato dd-mm-aaaa.")
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            raise DateProblem("A data deve estar no formato dd-mm-aaaa.")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem("A data indicada não existe.") from None


def parse_birth_date(raw: str, today: date) -> date:
    """A date that can be a birth date: it exists, is not in the future, not before 1900."""
    value = parse_date(raw)
    if value > today:
        raise DateProblem("A data de nascimento não pode ser no futuro.")
    if value.year < OLDEST_BIRTH_YEAR:
        raise DateProblem(f"A data de nascimento não pode ser anterior a {OLDEST_BIRTH_YEAR}.")
    return value
