"""Academy operations at scale: the run dashboard at 10,000 enrolments.

1. The run dashboard (``courses_courserun:dashboard``) for a run of 10,000 learners
   spread over every step (``tests.support.operations``): the median of 15 requests
   through Django's test client as an academy administrator, and its SQL queries.
   The issue's target is under 300 ms on this machine.

Figures go to stderr as they come; the last line on stdout is one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from decimal import Decimal

from _setup import bench_database

DASHBOARD_ENROLMENTS = 10_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed_run(n: int):
    from tests.courses.factories import CourseRunFactory, ModulePageFactory
    from tests.quizzes.factories import make_quiz
    from tests.support.operations import populate_run

    run = CourseRunFactory(capacity=n + 10)
    modules = [ModulePageFactory(parent=run.course) for _ in range(5)]
    quiz = make_quiz(run.course, title="Post-test", pass_mark_percent=Decimal("60"))
    started = time.perf_counter()
    populate_run(run, n, modules=modules, quiz=quiz, prefix="bench")
    log(f"seeded {n} enrolments in {time.perf_counter() - started:.1f} s")
    analyze()
    return run


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def administrator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from lms.roles import ADMINISTRATORS

    user = get_user_model().objects.create(
        username="bench-admin", email="admin@bench.example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


def bench_dashboard(run, admin) -> dict:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(admin)
    url = reverse("courses_courserun:dashboard", args=[run.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    from django.db import connection

    captured = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            captured.append(sql),
            execute(sql, params, many, context),
        )[1]
    ):
        client.get(url)
    filtered = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(url, {"filter": "stuck", "q": "kavya"})
        filtered.append((time.perf_counter() - started) * 1000)
    result = {
        "dashboard_enrolments": DASHBOARD_ENROLMENTS,
        "dashboard_ms_median": round(statistics.median(timings), 1),
        "dashboard_ms_p90": round(sorted(timings)[int(len(timings) * 0.9)], 1),
        "dashboard_filtered_ms_median": round(statistics.median(filtered), 1),
        "dashboard_queries": len(captured),
        "load_average_1min": round(__import__("os").getloadavg()[0], 2),
    }
    log(
        f"dashboard at {DASHBOARD_ENROLMENTS} enrolments: median {result['dashboard_ms_median']} ms, "
        f"p90 {result['dashboard_ms_p90']} ms, filtered+search {result['dashboard_filtered_ms_median']} ms, "
        f"{result['dashboard_queries']} queries"
    )
    return result


def main() -> None:
    with bench_database("bench_operations"):
        from django.test.utils import setup_test_environment

        setup_test_environment()
        from django.core import signals
        from django.db import close_old_connections

        # As Django's TestCase does: keep the connection across the client's requests,
        # so its queries can be counted.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        from tests.courses.factories import site_tree

        site_tree()
        admin = administrator()
        figures = {}
        run = seed_run(DASHBOARD_ENROLMENTS)
        figures.update(bench_dashboard(run, admin))
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
