"""Counting the SQL a piece of code runs."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryCount:
    def __init__(self, captured: CaptureQueriesContext):
        self._captured = captured

    @property
    def statements(self) -> list[str]:
        """Every SQL statement except transaction control (BEGIN, COMMIT, savepoints).

        Transaction markers depend on who opened the transaction (a test wraps everything in
        one and turns BEGIN/COMMIT into savepoints), not on the work being measured.
        """
        control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
        return [q["sql"] for q in self._captured.captured_queries if not q["sql"].startswith(control)]

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries():
    with CaptureQueriesContext(connection) as captured:
        yield QueryCount(captured)
