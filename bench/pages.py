"""Page latency and SQL queries: catalogue, course, module and dashboard pages.

In-process (Django's test client) on PostgreSQL and Redis, with 3 and 30 modules side
by side (1 and 20 enrolments for the dashboard), so growth shows as a difference.
In the same run: a bare view (``/bench/floor/``, :mod:`_load_urls`) behind the same
middleware is the floor, and each page's ``*_floor_ratio`` is its median over the
floor's; and a first visit to the course and module pages in headless Chromium, against
a server with production's static files (collected, hashed, compressed by whitenoise),
gives their bytes on the wire, their bytes uncompressed (the page weight) and requests.
The last line is one JSON object with the figures.

    make bench            # or: .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import json
import logging
import statistics
import time

from _setup import bench_database, tree_database

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


def first_visits(urls: dict[str, str], user) -> dict[str, dict[str, int]]:
    """Bytes received and requests of a first visit (empty cache) to each of ``urls``, signed
    in as ``user``, in headless Chromium, with static files as production serves them."""
    import tempfile

    from django.conf import settings
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.support.processes import session_key_for

    production_static = {
        "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }
    result = {}
    with override_settings(**production_static):
        call_command("collectstatic", interactive=False, verbosity=0)
        server = LiveServerThread("localhost", static_handler=lambda handler: handler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        base = f"http://localhost:{server.port}"
        # One session per visit, made before Playwright's event loop (no ORM inside it).
        sessions = {key: session_key_for(user) for key in urls}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                for key, url in urls.items():
                    context = browser.new_context(base_url=base)
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": sessions[key], "url": base}]
                    )
                    page = context.new_page()
                    finished = []
                    page.on("requestfinished", lambda request, finished=finished: finished.append(request))
                    page.goto(url, wait_until="load")
                    sizes = [request.sizes() for request in finished]
                    result[key] = {
                        "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
                        # What the browser holds once each body is decompressed: the page weight.
                        "bytes_uncompressed": sum(len(request.response().body()) for request in finished),
                        "requests": len(sizes),
                    }
                    context.close()
                browser.close()
        finally:
            server.terminate()
    return result


def main() -> None:
    logging.disable(logging.INFO)
    with bench_database(tree_database("lms_bench_pages")):
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

        from django.test.utils import override_settings

        override_settings(ROOT_URLCONF="_load_urls").enable()
        client = Client()
        figures: dict[str, float | int] = {}
        rows = []
        floor_ms, _ = measure(client, "/bench/floor/")

        def record(name, url, key):
            ms, queries = measure(client, url)
            figures[f"{key}_queries"] = queries
            figures[f"{key}_median_ms"] = round(ms, 2)
            figures[f"{key}_floor_ratio"] = round(ms / floor_ms, 1)
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

        weights = first_visits({"course": courses[3][0].url, "module": courses[3][1][1].url}, reader)

        print(f"{'page':<42} {'queries':>8} {'median ms':>10} {'x floor':>8}")
        print(f"{'floor (bare view, same middleware)':<42} {'':>8} {floor_ms:>10.2f} {1:>8.1f}")
        for name, queries, ms in rows:
            print(f"{name:<42} {queries:>8} {ms:>10.2f} {ms / floor_ms:>8.1f}")
        for key, weight in weights.items():
            print(
                f"first visit, {key} page: {weight['bytes']} bytes on the wire "
                f"({weight['bytes_uncompressed']} uncompressed) in {weight['requests']} requests"
            )
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
            "floor_median_ms": round(floor_ms, 2),
            **{key: value for key, value in figures.items() if key.endswith("_floor_ratio")},
            "course_first_visit_bytes": weights["course"]["bytes"],
            "course_first_visit_bytes_uncompressed": weights["course"]["bytes_uncompressed"],
            "course_first_visit_requests": weights["course"]["requests"],
            "module_first_visit_bytes": weights["module"]["bytes"],
            "module_first_visit_bytes_uncompressed": weights["module"]["bytes_uncompressed"],
            "module_first_visit_requests": weights["module"]["requests"],
        }
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
