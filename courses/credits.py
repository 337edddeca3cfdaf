"""Credit arithmetic for accredited (CME / CPD) courses: pure functions over ``Decimal``.

Accreditors count credit in a unit of time (AMA: one credit per hour, claimed to the
nearest quarter hour; Indian councils: credit hours) and never allow a claim above what
the provider designated in advance. These functions hold those rules, with no ORM and no
floats: a float cannot hold 0.1 exactly, and a transcript must add up to the last digit.

* :func:`claimed_credits` — the credit a doctor's attested time earns in one credit type.
* :func:`credits_supported` — the most credit a course's study time can support.
* :func:`is_on_step` — whether an amount is a whole number of the type's steps.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")


def _require_decimal(value, name: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(value).__name__}.")
    return Decimal(value)


def _check_unit(minutes_per_credit: int, step: Decimal) -> None:
    if not isinstance(minutes_per_credit, int) or minutes_per_credit < 1:
        raise ValueError("A credit must be worth at least one minute.")
    if step <= 0:
        raise ValueError("The step must be more than zero.")


def claimed_credits(*, minutes: int, minutes_per_credit: int, step: Decimal, maximum: Decimal) -> Decimal:
    """The credit ``minutes`` of attested time earns: rounded half up to the nearest ``step``, capped at ``maximum``.

    ``minutes / minutes_per_credit`` is exact arithmetic on ``Decimal``; the result is a
    whole number of steps (two decimal places), never above ``maximum`` and never below
    zero. 5 h 10 min at 60 minutes a credit in quarter steps is 5.25; 7 h against 6
    designated is 6.00. Raises ``TypeError`` for a float and ``ValueError`` for negative
    time or a unit that is not a unit.
    """
    step = _require_decimal(step, "step")
    maximum = _require_decimal(maximum, "maximum")
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise TypeError("minutes must be a whole number of minutes.")
    if minutes < 0:
        raise ValueError("Time spent cannot be negative.")
    _check_unit(minutes_per_credit, step)
    with localcontext() as context:
        context.prec = 50  # far more digits than any real quotient needs, so halves are exact
        steps = (Decimal(minutes) / (Decimal(minutes_per_credit) * step)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        earned = steps * step
    return max(min(earned, maximum), Decimal(0)).quantize(CENT)


def credits_supported(*, minutes: int, minutes_per_credit: int) -> Decimal:
    """The most credit ``minutes`` of study time support (exact; not rounded to a step)."""
    if minutes < 0:
        raise ValueError("Study time cannot be negative.")
    _check_unit(minutes_per_credit, Decimal(1))
    with localcontext() as context:
        context.prec = 50
        return Decimal(minutes) / Decimal(minutes_per_credit)


def is_on_step(amount: Decimal, step: Decimal) -> bool:
    """Whether ``amount`` is a whole number of ``step``\\ s (6.00 and 5.25 are on 0.25; 5.30 is not)."""
    amount = _require_decimal(amount, "amount")
    step = _require_decimal(step, "step")
    if step <= 0:
        raise ValueError("The step must be more than zero.")
    return amount % step == 0


def minutes_label(minutes: int) -> str:
    """``310`` → ``"5 h 10 min"``: study time as the academy writes it."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"
