from __future__ import annotations

import pytest

from mock_portal import niss


@pytest.mark.parametrize("number", ["11115611236", "23456789233", "12000000004"])
def test_documented_examples_are_valid(number: str) -> None:
    assert niss.problem(number) is None


def test_check_digit_follows_the_weighted_sum() -> None:
    # 1*29 + 1*23 + 1*19 + 1*17 + 5*13 + 6*11 + 1*7 + 1*5 + 2*3 + 3*2 = 243 -> 9 - 3 = 6
    assert niss.check_digit("1111561123") == 6


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", niss.NissProblem.EMPTY),
        ("1111561123a", niss.NissProblem.NOT_DIGITS),
        ("١١١١٥٦١١٢٣٦", niss.NissProblem.NOT_DIGITS),  # non-ASCII digits
        ("1111561123", niss.NissProblem.LENGTH),
        ("111156112360", niss.NissProblem.LENGTH),
        ("31115611236", niss.NissProblem.KIND),
        ("11115611237", niss.NissProblem.CHECK_DIGIT),
    ],
)
def test_problems_are_named(raw: str, expected: niss.NissProblem) -> None:
    assert niss.problem(raw) is expected


def test_spaces_typed_inside_the_number_are_dropped() -> None:
    assert niss.normalise(" 111 156 112 36 ") == "11115611236"


@pytest.mark.parametrize("kind", ["person", "company"])
def test_generated_numbers_are_valid_and_of_their_kind(kind: str) -> None:
    numbers = {niss.generate(kind) for _ in range(200)}
    assert all(niss.is_valid(n) and niss.kind_of(n) == kind for n in numbers)
    assert len(numbers) > 150  # random, not a fixed list
