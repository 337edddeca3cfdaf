"""The credit arithmetic (courses.credits): Decimal only, nearest step half up, capped at the maximum."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.credits import claimed_credits, credits_supported, is_on_step, minutes_label

STEPS = st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("0.1"), Decimal("0.05")])
UNITS = st.sampled_from([60, 50, 45, 30, 90, 1])
MAXIMA = st.integers(min_value=1, max_value=4000).map(lambda quarters: Decimal(quarters) / 4)
MINUTES = st.integers(min_value=0, max_value=20_000)


def _claim(minutes, unit=60, step=Decimal("0.25"), maximum=Decimal("6")):
    return claimed_credits(minutes=minutes, minutes_per_credit=unit, step=step, maximum=maximum)


@pytest.mark.parametrize(
    "minutes, maximum, expected",
    [
        (5 * 60 + 10, "6", "5.25"),  # the example: 5 h 10 min → nearest quarter hour
        (7 * 60, "6", "6.00"),  # capped at what was designated
        (5 * 60 + 7, "6", "5.00"),  # 5.1167 → 5.00
        (5 * 60 + 8, "6", "5.25"),  # 5.1333 → 5.25 (closer than 5.00)
        (7 + 30, "6", "0.50"),  # 37 min = 0.6167 → 0.50
        (0, "6", "0.00"),
        (7, "6", "0.00"),  # 0.1167 → 0.00
        (8, "6", "0.25"),  # 0.1333 → 0.25
    ],
)
def test_examples(minutes, maximum, expected):
    result = _claim(minutes, maximum=Decimal(maximum))
    assert result == Decimal(expected) and str(result) == expected


def test_an_exact_half_step_rounds_up():
    # 3 min at 60 a credit in tenth steps is exactly half a step (0.05).
    assert _claim(3, step=Decimal("0.1")) == Decimal("0.10")
    assert _claim(9, step=Decimal("0.1")) == Decimal("0.20")  # 0.15 → 0.20, not banker's 0.20/0.10
    assert _claim(15, step=Decimal("0.1")) == Decimal("0.30")  # 0.25 → 0.30 (half up, not half even)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        claimed_credits(minutes=310, minutes_per_credit=60, step=0.25, maximum=Decimal("6"))
    with pytest.raises(TypeError):
        claimed_credits(minutes=310, minutes_per_credit=60, step=Decimal("0.25"), maximum=6.0)
    with pytest.raises(TypeError):
        claimed_credits(minutes=310.0, minutes_per_credit=60, step=Decimal("0.25"), maximum=Decimal("6"))
    with pytest.raises(ValueError):
        _claim(-1)
    with pytest.raises(ValueError):
        _claim(10, unit=0)


@given(minutes=MINUTES, unit=UNITS, step=STEPS, maximum=MAXIMA)
def test_claim_is_a_decimal_on_the_step_never_above_the_maximum(minutes, unit, step, maximum):
    result = claimed_credits(minutes=minutes, minutes_per_credit=unit, step=step, maximum=maximum)
    assert isinstance(result, Decimal)
    assert Decimal(0) <= result <= maximum
    assert result == result.quantize(Decimal("0.01"))
    if result < maximum:
        assert is_on_step(result, step)


@given(minutes=MINUTES, unit=UNITS, step=STEPS, maximum=MAXIMA)
def test_claim_is_the_nearest_step_half_up_of_the_exact_time(minutes, unit, step, maximum):
    # Independent oracle: exact rationals (fractions), rounding half up by hand.
    exact = Fraction(minutes, unit)
    steps = exact / Fraction(step)
    nearest = int(steps) + (1 if steps - int(steps) >= Fraction(1, 2) else 0)
    expected = min(Fraction(nearest) * Fraction(step), Fraction(maximum))
    result = claimed_credits(minutes=minutes, minutes_per_credit=unit, step=step, maximum=maximum)
    assert Fraction(result) == expected  # every step and maximum here has at most two decimals


@given(a=MINUTES, b=MINUTES, unit=UNITS, step=STEPS, maximum=MAXIMA)
def test_more_time_never_claims_less(a, b, unit, step, maximum):
    low, high = sorted((a, b))
    assert claimed_credits(
        minutes=low, minutes_per_credit=unit, step=step, maximum=maximum
    ) <= claimed_credits(minutes=high, minutes_per_credit=unit, step=step, maximum=maximum)


@given(minutes=MINUTES, unit=UNITS)
def test_supported_credit_is_exact(minutes, unit):
    supported = credits_supported(minutes=minutes, minutes_per_credit=unit)
    assert isinstance(supported, Decimal)
    assert abs(Fraction(supported) - Fraction(minutes, unit)) < Fraction(1, 10**40)


def test_is_on_step_and_labels():
    assert is_on_step(Decimal("6.00"), Decimal("0.25")) and is_on_step(Decimal("5.25"), Decimal("0.25"))
    assert not is_on_step(Decimal("5.30"), Decimal("0.25"))
    assert [minutes_label(m) for m in (310, 120, 45)] == ["5 h 10 min", "2 h", "45 min"]
