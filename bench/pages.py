"""Page latency and SQL queries: catalogue, course, module and dashboard pages.

In-process (Django's test client) on PostgreSQL and Redis, with 3 and 30 modules side
by side (1 and 20 enrolments for the dashboard), so growth shows as a difference.
The last line is one JSON object with the figures.

    make bench            # or: .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import json
import logging
import statistics
import time

from _setup import bench_database

REPEAT = 40


def measure(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), len(captured)


def main() -> None:
    logging.disable(logging.INFO)
    with bench_database("lms_bench_pages"):
        from django.core.cache import cache
        from django.test import Client

        from courses.services import enrolment_create, module_complete
        from tests.courses.factories import CourseRunFactory, ModulePageFactory, site_tree
        from tests.factories import learner

        cache.clear()
        index = site_tree()
        reader = learner()
        courses = {}
        for size in (3, 30):
            run = CourseRunFactory()
            modules = [ModulePageFactory(parent=run.course) for _ in range(size)]
            enrolment_create(learner=reader, run=run)
            module_complete(learner=reader, module=modules[0])
            courses[size] = (run.course, modules)
        dashboards = {}
        for count in (1, 20):
            doctor = learner()
            for _ in range(count):
                run = CourseRunFactory()
                ModulePageFactory(parent=run.course)
                enrolment_create(learner=doctor, run=run)
            dashboards[count] = doctor

        client = Client()
        figures: dict[str, float | int] = {}
        rows = []

        def record(name, url, key):
            ms, queries = measure(client, url)
            figures[f"{key}_queries"] = queries
            figures[f"{key}_median_ms"] = round(ms, 2)
            rows.append((name, queries, ms))

        record("catalogue (anonymous)", index.url, "catalogue")
        for size in (3, 30):
            record(f"course, {size} modules (anonymous)", courses[size][0].url, f"course_{size}")
        client.force_login(reader)
        for size in (3, 30):
            record(
                f"course, {size} modules (enrolled learner)", courses[size][0].url, f"course_learner_{size}"
            )
        for size in (3, 30):
            record(f"module, {size} modules (enrolled learner)", courses[size][1][1].url, f"module_{size}")
        for count in (1, 20):
            client.force_login(dashboards[count])
            record(f"dashboard, {count} enrolments", "/dashboard/", f"dashboard_{count}")

        print(f"{'page':<42} {'queries':>8} {'median ms':>10}")
        for name, queries, ms in rows:
            print(f"{name:<42} {queries:>8} {ms:>10.2f}")
        summary = {
            "course_queries_3": figures["course_3_queries"],
            "course_queries_30": figures["course_30_queries"],
            "course_learner_queries_3": figures["course_learner_3_queries"],
            "course_learner_queries_30": figures["course_learner_30_queries"],
            "module_queries_3": figures["module_3_queries"],
            "module_queries_30": figures["module_30_queries"],
            "dashboard_queries_1": figures["dashboard_1_queries"],
            "dashboard_queries_20": figures["dashboard_20_queries"],
            "catalogue_queries": figures["catalogue_queries"],
            "catalogue_median_ms": figures["catalogue_median_ms"],
            "course_median_ms_30": figures["course_30_median_ms"],
            "module_median_ms_3": figures["module_3_median_ms"],
            "module_median_ms_30": figures["module_30_median_ms"],
            "dashboard_median_ms_20": figures["dashboard_20_median_ms"],
        }
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
