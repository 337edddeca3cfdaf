"""Counting the SQL a piece of code runs."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryCount:
    def __init__(self, captured: CaptureQueriesContext):
        self._captured = captured

    @property
    def statements(self) -> list[str]:
        """Every statement except savepoints, which only exist because tests run in a transaction."""
        return [
            q["sql"]
            for q in self._captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries():
    with CaptureQueriesContext(connection) as captured:
        yield QueryCount(captured)
