"""Run functions truly at once: one thread and one database connection each."""

import threading

from django.db import connection


def race(functions, timeout: float = 60):
    """Start every function together (behind a barrier); return ``[("ok", value) | ("error", exc)]``."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", function())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
