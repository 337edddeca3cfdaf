"""When a timed attempt's time is up: the deadline-plus-grace rule, written once.

An attempt's deadline is fixed when it starts. Answers and submissions are accepted
until the deadline plus :data:`GRACE` (network latency: a save sent just before the
deadline still counts); after that the attempt is *past grace*: nothing more is saved
and it is graded on what was saved in time. :func:`attempt_is_past_grace` is the rule
for an attempt in hand and :func:`attempts_past_grace` the same rule as a ``Q``, for the
sweeper's query. Services, selectors and views all ask these.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

# Network latency allowance: a save or submit sent just before the deadline still counts.
GRACE = datetime.timedelta(seconds=30)


def attempt_deadline(
    *, started_at: datetime.datetime, time_limit_minutes: int | None
) -> datetime.datetime | None:
    """The deadline of an attempt starting at ``started_at`` (``None`` when untimed)."""
    return started_at + datetime.timedelta(minutes=time_limit_minutes) if time_limit_minutes else None


def attempt_is_past_grace(attempt, now: datetime.datetime | None = None) -> bool:
    """Whether ``attempt``'s time, grace included, is up (never for an untimed attempt)."""
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + GRACE


def attempts_past_grace(now: datetime.datetime | None = None) -> Q:
    """:func:`attempt_is_past_grace` as a filter on ``Attempt``."""
    return Q(deadline__isnull=False, deadline__lt=(now or timezone.now()) - GRACE)
