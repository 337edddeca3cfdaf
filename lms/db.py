"""Database helpers shared by every app's services.

``insert_or`` is the one way a service inserts a row that a unique constraint may refuse
because another request inserted the same thing at the same moment. The rule, written
once: never check-then-insert (two requests both see "absent"); insert inside a
savepoint and let the constraint decide, so the refusal rolls back only the savepoint
and the caller's transaction carries on to report it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

T = TypeVar("T")

# SQLSTATE of a unique-constraint violation (PostgreSQL); SQLite says it in the message.
_UNIQUE_VIOLATION = "23505"


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique constraint's refusal (not a check or foreign-key one)."""
    cause = error.__cause__
    if (
        getattr(cause, "sqlstate", None) == _UNIQUE_VIOLATION
        or getattr(cause, "pgcode", None) == _UNIQUE_VIOLATION
    ):
        return True
    return "UNIQUE constraint failed" in str(error)


def insert_or(create: Callable[[], T], *, on_conflict: Callable[[], T] | Exception) -> T:
    """Run ``create()`` in a savepoint; if a unique constraint refuses it, fall back.

    ``on_conflict`` is either an exception to raise (a domain error with a message a
    person can read; raised ``from None``, the database error is not their business) or
    a function whose result is returned instead (say, the row the other request wrote).
    Any other integrity error (a check or foreign-key constraint) is a bug in the
    caller's validation and propagates unchanged.
    """
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        if isinstance(on_conflict, Exception):
            raise on_conflict from None
        return on_conflict()
