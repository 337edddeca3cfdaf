"""Academy operations at scale: the run dashboard at 10,000 enrolments, exports of 100,000 rows,
bulk enrolment of 10,000 rows, the reminder sweep at 10,000 enrolments.

1. The run dashboard (``courses_courserun:dashboard``) for a run of 10,000 learners
   spread over every step (``tests.support.operations``): the median of 15 requests
   through Django's test client as an academy administrator, and its SQL queries,
   alternating with the same page for a run of 10 learners (the floor): the median
   ratio says what the 10,000 cost on a loaded machine too. The issue's target is under
   300 ms on this machine.

2. Exports of a run of 100,000 enrolments (CSV and XLSX), each built by
   ``courses.exports.run_export_build`` — what the Celery task runs — in a fresh child
   process, so its peak RSS is the export's own: rows/s and peak RSS (MiB).

3. Bulk enrolment of a hospital's file of 10,000 doctors into one run (as Excel saves
   it: BOM, semicolons, quoted names): 6,000 with accounts and complete profiles, 4,000
   new doctors (account, profile, invitation queued). Parsing and keeping the upload,
   then ``courses.bulk_enrolment.bulk_enrolment_apply`` — what the Celery job runs — with
   its outbox rows dispatched after each chunk commits to an in-memory broker (the
   invitations are queued, not sent): rows/s of the apply, and of upload + apply.
4. The reminder sweep (``courses.reminders.reminders_sweep``, what Celery beat runs
   hourly) over a run of 10,000 enrolments that closes in two days, spread over every
   step as above (beside the dashboard's run of 10,000, where nothing is due): seconds
   for recording and sending every reminder due (to Django's in-memory mail backend),
   its SQL queries, and the seconds of the next sweep, which finds nothing to do.

Figures go to stderr as they come; the last line on stdout is one JSON object.
``python bench/operations.py reminders`` (or ``dashboard``, ``bulk``, ``exports``) runs only those parts.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from decimal import Decimal

from _setup import ROOT, bench_database, tree_database

DASHBOARD_ENROLMENTS = int(os.environ.get("BENCH_DASHBOARD_ENROLMENTS", 10_000))
# The dashboard's floor: the same page for a run this small, measured alternately with it.
DASHBOARD_FLOOR_ENROLMENTS = 10
REMINDER_ENROLMENTS = 10_000
EXPORT_ROWS = 100_000
BULK_ROWS = 10_000
BULK_EXISTING = 6_000

_EXPORT_CHILD = """
import sys, time, django
django.setup()
from courses.exports import run_export_build
started = time.perf_counter()
export = run_export_build(export_id=int(sys.argv[1]))
elapsed = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent (the seeding).
peak_kib = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(export.status, export.rows_written, elapsed, peak_kib)
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed_run(n: int, **run_fields):
    from tests.courses.factories import CourseRunFactory, ModulePageFactory
    from tests.quizzes.factories import make_quiz
    from tests.support.operations import populate_run

    run = CourseRunFactory(capacity=n + 10, **run_fields)
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


def bench_dashboard(run, floor_run, admin) -> dict:
    """The dashboard of ``run`` against its floor: the same page for ``floor_run`` (a run of
    a few learners), requested alternately (floor, subject, floor, subject…), so the ratio
    says what the 10,000 learners cost whatever else the machine is doing."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(admin)
    url = reverse("courses_courserun:dashboard", args=[run.pk])
    floor_url = reverse("courses_courserun:dashboard", args=[floor_run.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
        assert client.get(floor_url).status_code == 200
    timings, floor_timings = [], []
    for _ in range(15):
        for target, bucket in ((floor_url, floor_timings), (url, timings)):
            started = time.perf_counter()
            response = client.get(target)
            bucket.append((time.perf_counter() - started) * 1000)
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
        "dashboard_floor_enrolments": DASHBOARD_FLOOR_ENROLMENTS,
        "dashboard_floor_ms_median": round(statistics.median(floor_timings), 1),
        "dashboard_ratio_to_floor": round(
            statistics.median(subject / floor for floor, subject in zip(floor_timings, timings, strict=True)),
            2,
        ),
        "load_average_1min": round(__import__("os").getloadavg()[0], 2),
    }
    log(
        f"dashboard at {DASHBOARD_ENROLMENTS} enrolments: median {result['dashboard_ms_median']} ms, "
        f"p90 {result['dashboard_ms_p90']} ms, filtered+search {result['dashboard_filtered_ms_median']} ms, "
        f"{result['dashboard_queries']} queries; {result['dashboard_ratio_to_floor']}× its floor "
        f"(the same page for {DASHBOARD_FLOOR_ENROLMENTS} learners: {result['dashboard_floor_ms_median']} ms)"
    )
    return result


def bench_exports(run) -> dict:
    import os
    import subprocess

    from courses.exports import run_export_request

    result = {"export_rows": EXPORT_ROWS}
    for file_format in ("csv", "xlsx"):
        export = run_export_request(
            kind="enrolments", file_format=file_format, course=run.course, run=run, by=None
        )
        child = subprocess.run(
            [sys.executable, "-c", _EXPORT_CHILD, str(export.pk)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        status, rows, elapsed, rss_kib = child.stdout.strip().splitlines()[-1].split()
        assert status == "ready" and int(rows) == EXPORT_ROWS, child.stdout + child.stderr
        result[f"export_{file_format}_rows_per_s"] = round(int(rows) / float(elapsed))
        result[f"export_{file_format}_peak_rss_mib"] = round(int(rss_kib) / 1024, 1)
        log(
            f"{file_format} export of {rows} rows: {float(elapsed):.1f} s, {result[f'export_{file_format}_rows_per_s']} rows/s, "
            f"peak RSS {result[f'export_{file_format}_peak_rss_mib']} MiB"
        )
    return result


def bench_bulk_enrolment(admin) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.bulk_enrolment import bulk_enrolment_apply, bulk_enrolment_confirm, bulk_enrolment_upload
    from courses.models import BulkEnrolmentStatus, Enrolment
    from tests.certificates.processes import point_celery_at
    from tests.courses.factories import CourseRunFactory
    from tests.factories import DoctorProfileFactory

    point_celery_at("memory://")
    run = CourseRunFactory(capacity=BULK_ROWS + 10)
    started = time.perf_counter()
    existing = [DoctorProfileFactory(user__verified=False).user.email for _ in range(BULK_EXISTING)]
    log(f"seeded {BULK_EXISTING} doctors in {time.perf_counter() - started:.1f} s")
    lines = [f'{email};"Dr Existing, {i}";' for i, email in enumerate(existing)]
    lines += [
        f'new{i}@hospital.example.org;"Dr New ""{i}""";KMC-9{i:05d}' for i in range(BULK_ROWS - BULK_EXISTING)
    ]
    data = (
        "\ufeffE-mail address;Name as printed;Registration number\r\n" + "\r\n".join(lines) + "\r\n"
    ).encode()
    analyze()
    started = time.perf_counter()
    bulk = bulk_enrolment_upload(
        run=run, upload=SimpleUploadedFile("hospital.csv", data, content_type="text/csv"), by=admin
    )
    bulk_enrolment_confirm(bulk=bulk, by=admin)
    uploaded = time.perf_counter() - started
    started = time.perf_counter()
    done = bulk_enrolment_apply(bulk_id=bulk.pk)
    applied = time.perf_counter() - started
    assert done.status == BulkEnrolmentStatus.DONE and done.rows_done == BULK_ROWS, done.error
    assert Enrolment.objects.filter(run=run).count() == BULK_ROWS
    result = {
        "bulk_enrolment_rows": BULK_ROWS,
        "bulk_enrolment_rows_per_s": round(BULK_ROWS / applied),
        "bulk_enrolment_with_upload_rows_per_s": round(BULK_ROWS / (applied + uploaded)),
    }
    log(
        f"bulk enrolment of {BULK_ROWS} rows ({BULK_EXISTING} existing doctors): upload {uploaded:.1f} s, "
        f"apply {applied:.1f} s, {result['bulk_enrolment_rows_per_s']} rows/s"
    )
    return result


def bench_reminders() -> dict:
    import datetime

    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.reminders import reminders_sweep

    today = timezone.localdate()
    run = seed_run(
        REMINDER_ENROLMENTS,
        starts_on=today - datetime.timedelta(days=25),
        ends_on=today + datetime.timedelta(days=2),
    )
    # Certificates issued yesterday whose own e-mail never went out: "certificate ready" is due.
    Certificate.objects.filter(enrolment__run=run).update(
        issued_at=timezone.now() - datetime.timedelta(days=1)
    )
    analyze()
    mail.outbox = []
    captured = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            captured.append(sql),
            execute(sql, params, many, context),
        )[1]
    ):
        started = time.perf_counter()
        swept = reminders_sweep()
        elapsed = time.perf_counter() - started
    assert swept.sent == len(mail.outbox) == REMINDER_ENROLMENTS, (swept, len(mail.outbox))
    started = time.perf_counter()
    again = reminders_sweep()
    again_elapsed = time.perf_counter() - started
    assert again.sent == 0 and again.recorded == 0
    result = {
        "reminder_sweep_enrolments": REMINDER_ENROLMENTS,
        "reminder_sweep_seconds": round(elapsed, 2),
        "reminder_sweep_sent": swept.sent,
        "reminder_sweep_queries": len(captured),
        "reminder_sweep_again_seconds": round(again_elapsed, 2),
    }
    log(
        f"reminder sweep at {REMINDER_ENROLMENTS} enrolments: {elapsed:.2f} s for {swept.sent} reminders "
        f"in {len(captured)} queries; the next sweep {again_elapsed:.2f} s"
    )
    return result


def main() -> None:
    with bench_database(os.environ.get("BENCH_OPERATIONS_DATABASE") or tree_database("lms_bench_operations")):
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
        # ``python bench/operations.py reminders`` runs only the parts named (default: all).
        parts = set(sys.argv[1:]) or {"dashboard", "bulk", "reminders", "exports"}
        figures = {}
        if "dashboard" in parts:
            floor_run = seed_run(DASHBOARD_FLOOR_ENROLMENTS)
            run = seed_run(DASHBOARD_ENROLMENTS)
            figures.update(bench_dashboard(run, floor_run, admin))
        if "bulk" in parts:
            figures.update(bench_bulk_enrolment(admin))
        if "reminders" in parts:
            figures.update(bench_reminders())
        if "exports" in parts:
            big = seed_run(EXPORT_ROWS)
            figures.update(bench_exports(big))
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
