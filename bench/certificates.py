"""Certificates: the rendering floor against the full pipeline, on this machine, in alternating rounds.

(a) Floor: bare renders — the certificate template rendered by Django and turned into a
    PDF by WeasyPrint, with the same data the pipeline prints — in a pool of 2 processes.
    Nothing else: no database, no broker, no storage.
(b) Pipeline: completions through Redis and 2 Celery worker processes (the same
    concurrency; each a single-process worker), on PostgreSQL, with production settings
    (persistent database connections, files in media storage, the learner's e-mail).

The machine is shared, and a burst of someone else's load during one side's run would
flip a single comparison. So the two sides **alternate**: ``ROUNDS`` rounds of floor,
pipeline, floor, …, ``N`` certificates each; each round's ratio is its pipeline
throughput over the mean of the floors just before and after it, and the verdict is the
**median** of those ratios. Both sides are warm and stay up for the whole run: the
floor's two processes render every document once before the first round, and the workers
render a warm-up batch.

* throughput — a round's completions are committed first (their render messages wait
  in the private Redis) while both workers idle on a holding queue; then both are told
  to consume at once; certificates per second = N / (that moment → the last
  certificate's ``issued_at``); then they are sent back to the holding queue.
* latency — ``LATENCY_N`` further completions arrive one by one at 60 % of the median
  pipeline throughput while the workers run; p95 of completion → issued.
* SQL queries per certificate — counted in-process for one render task and its e-mail
  task; the completion's own statements on certificates are reported apart.
* CPU time per certificate on each side (renderers; worker processes, their PostgreSQL
  backends and Redis), summed over the rounds, as ``cpu_ratio``.

Runs against its own PostgreSQL database (``lms_bench_certificates_<work tree>``, dropped
afterwards) and a private ``redis-server`` (``LMS_TEST_REDIS_PORTS`` if set). The last line
is one JSON object.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal

from _setup import ROOT, bench_database, tree_database

sys.path.insert(0, str(ROOT))

from tests.certificates.processes import CeleryWorker, PrivateRedis, wait_until  # noqa: E402

N = int(os.environ.get("BENCH_CERTIFICATES_PER_ROUND", "60"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
LATENCY_N = 100
POOL = 2
LATENCY_LOAD = 0.6
WARM_UP = 4

NAMES = [
    "Dr Ananya Rao",
    "Dr Zoë Ñúñez-Ørsted",
    "डॉ. अनन्या राव",
    "Dr Kavya Raghunathan",
    "Dr Mohammed Iqbal Shaikh",
    "Dr Siddharth Venkataraman-Iyer",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Set-up -----------------------------------------------------------------------------------


def seed(learners: int):
    """One course with one module, a run, two signatories, and ``learners`` enrolled doctors."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.images import ImageFile
    from django.utils import timezone
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image
    from wagtail.models import Page, Site

    from certificates.models import Signatory
    from courses.models import CourseIndexPage, CoursePage, CourseRun, HomePage, ModulePage, Track
    from courses.services import enrolment_create
    from lms.models import DoctorProfile, MedicalCouncil, Specialty

    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = root.add_child(
        instance=HomePage(title="IPSC Pain Academy", slug="home", hero_heading="Pain", hero_text="x")
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    course = index.add_child(
        instance=CoursePage(
            title="Multidisciplinary Management of Chronic Pain",
            slug="chronic",
            summary="x",
            track=Track.MULTIDISCIPLINARY,
            cme_credit_hours=Decimal("12.5"),
        )
    )
    course.save_revision().publish()
    module = course.add_child(instance=ModulePage(title="Regenerative therapy for joint pain", slug="regen"))
    module.save_revision().publish()
    module = ModulePage.objects.get(pk=module.pk)
    today = timezone.localdate()
    run = CourseRun.objects.create(
        course=course,
        label=today.strftime("%B %Y"),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
        enrolment_opens_at=timezone.now() - datetime.timedelta(days=10),
        enrolment_closes_at=timezone.now() + datetime.timedelta(days=10),
        capacity=learners + 10,
    )
    for order, (name, title) in enumerate(
        [
            ("Dr Meera Iyer", "Dean, Faculty of Pain Medicine"),
            ("Dr Rahul Menon", "Director, IPSC Pain Academy"),
        ]
    ):
        canvas = PILImage.new("RGBA", (360, 120), (255, 255, 255, 0))
        ImageDraw.Draw(canvas).line(
            [(10, 90), (80, 20 + 10 * order), (160, 85), (250, 30), (350, 70)],
            fill=(20, 30, 90, 255),
            width=5,
        )
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        image = Image.objects.create(
            title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name="signature.png")
        )
        Signatory.objects.create(name=name, title=title, signature=image, sort_order=order)

    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"bench{i}", email=f"bench{i}@example.org", password="!")
            for i in range(learners)
        ]
    )
    DoctorProfile.objects.bulk_create(
        [
            DoctorProfile(
                user=user,
                full_name=f"{NAMES[i % len(NAMES)]} {i}",
                council=MedicalCouncil.KARNATAKA,
                registration_number=f"KMC-{50000 + i}",
                specialty=Specialty.ANAESTHESIOLOGY,
                institution="IPSC Pain and Spine Hospital",
                city="Bengaluru",
                country="IN",
            )
            for i, user in enumerate(users)
        ]
    )
    for user in users:
        enrolment_create(learner=user, run=run)
    return module, users


# --- (a) The floor -----------------------------------------------------------------------------


def _floor_init():
    import django

    # A session of its own, as each Celery worker has (CeleryWorker starts them so): with
    # the kernel's autogroup scheduling every session gets an equal share of a busy
    # machine's CPU, and two renderers sharing the bench's session would get half of
    # what the two workers get.
    os.setsid()
    django.setup()


def _floor_render(document) -> float:
    from certificates.rendering import render_certificate_pdf

    started = time.perf_counter()
    render_certificate_pdf(document)
    return (time.perf_counter() - started) * 1000


def floor_documents(n: int):
    """The documents the pipeline prints, built from the same kind of data without the pipeline."""
    from django.conf import settings
    from django.utils import timezone

    from certificates.models import Signatory, format_serial, new_verification_code
    from certificates.rendering import CertificateDocument, SignatoryLine, stored_image_data_url

    signatories = tuple(
        SignatoryLine(name=s.name, title=s.title, signature_url=stored_image_data_url(s.signature.file.name))
        for s in Signatory.objects.filter(active=True).select_related("signature")
    )
    documents = []
    for i in range(n):
        code = new_verification_code()
        documents.append(
            CertificateDocument(
                holder_name=f"{NAMES[i % len(NAMES)]} {i}",
                council="Karnataka Medical Council",
                registration_number=f"KMC-{50000 + i}",
                course_title="Multidisciplinary Management of Chronic Pain",
                track="Multidisciplinary",
                run_label=timezone.localdate().strftime("%B %Y"),
                cme_credit_hours=Decimal("12.5"),
                completed_on=timezone.localdate(),
                serial=format_serial(year=timezone.localdate().year, number=100000 + i),
                verification_code=code,
                verification_url=f"{settings.LMS_BASE_URL}/certificates/verify/{code}/",
                signatories=signatories,
            )
        )
    return documents


def floor_pool(documents):
    """The floor's two renderer processes, kept for the whole run (as the workers are) and warmed.

    Each renders every document once before any round is timed, so both sides are
    compared in the same steady state (WeasyPrint's and our per-process caches full).
    Returns the pool and its processes' ids.
    """
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(POOL, initializer=_floor_init)
    pids = set(pool.map(_floor_init_barrier, range(POOL * 4)))  # processes up, Django set up
    pool.map(_floor_render, documents, chunksize=1)
    return pool, pids


def run_floor(pool, pids, documents) -> tuple[float, float, float]:
    """Certificates per second, median render ms, and CPU seconds the pool's processes used."""
    before = cpu_seconds(pids)
    started = time.perf_counter()
    durations = pool.map(_floor_render, documents, chunksize=1)
    elapsed = time.perf_counter() - started
    used = cpu_seconds(pids) - before
    return len(documents) / elapsed, statistics.median(durations), used


def cpu_seconds(pids) -> float:
    """User + system CPU seconds consumed so far by these processes (Linux /proc)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def worker_pids(worker: CeleryWorker) -> set[int]:
    """The worker's main process, its pool processes, and their PostgreSQL backends."""
    import subprocess

    from django.db import connection

    children = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True
    ).stdout.split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return {worker.process.pid, *map(int, children), *backends}


def _floor_init_barrier(_):
    return os.getpid()


# --- (b) The pipeline --------------------------------------------------------------------------


def complete_all(module, users, *, rate: float | None = None) -> None:
    from courses.services import module_complete

    interval = 1 / rate if rate else 0
    next_at = time.perf_counter()
    for user in users:
        if interval:
            next_at += interval
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        result = module_complete(learner=user, module=module)
        assert result.course_completed


def issued_count(users) -> int:
    from certificates.models import Certificate

    return Certificate.objects.filter(enrolment__learner__in=users, status="issued").count()


def queries_per_certificate(module, user) -> tuple[int, int, int]:
    """SQL statements run by a worker for one certificate (render + e-mail task), the
    completion's statements on certificates, and the worker's transactions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.models import Certificate
    from certificates.tasks import render_certificate, send_certificate_email
    from courses.services import module_complete

    with CaptureQueriesContext(connection) as completion:
        module_complete(learner=user, module=module)
    certificate = Certificate.objects.get(enrolment__learner=user)
    # Celery's publish is replaced by running the tasks here, so the count is the worker's.
    with CaptureQueriesContext(connection) as worker:
        render_certificate.apply(args=[certificate.pk])
        send_certificate_email.apply(args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.emailed_at

    def counted(captured):
        # Statements that read or write; transaction control is reported apart.
        control = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
        return [q for q in captured.captured_queries if not q["sql"].startswith(control)]

    completion_statements = [q for q in counted(completion) if "certificates_certificate" in q["sql"]]
    transactions = sum(q["sql"] == "COMMIT" for q in worker.captured_queries)
    for query in counted(worker):
        log(f"      worker: {query['sql'][:110]}")
    return len(counted(worker)), len(completion_statements), transactions


TASK_SUCCEEDED = re.compile(r"Task certificates\.render_certificate\[[^\]]+\] succeeded in ([0-9.]+)s")


def pipeline_round(module, users, workers, redis, celery_app) -> tuple[float, float, float]:
    """Drain ``users``' completions with the workers.

    Returns certificates per second, CPU seconds used, and how busy the workers were:
    the time their render tasks took over the time they had (``POOL`` × the round).
    """
    from django.db import connections
    from django.utils import timezone

    from certificates.models import Certificate

    logged = [len(worker.log) for worker in workers]
    complete_all(module, users)
    pids = {pid for worker in workers for pid in worker_pids(worker)} | {redis.process.pid}
    cpu_before = cpu_seconds(pids)
    started_at = timezone.now()
    names = [w.name for w in workers]
    celery_app.control.add_consumer("celery", destination=names, reply=True, timeout=10)
    # Watch the queue drain in Redis (one cheap call a second), not by querying
    # PostgreSQL in a loop, which would take CPU from the workers being measured.
    with celery_app.connection_for_read() as broker:
        client = broker.default_channel.client
        wait_until(lambda: client.llen("celery") == 0, timeout=600, interval=1.0)
    wait_until(lambda: issued_count(users) == len(users), timeout=600, interval=0.5)
    celery_app.control.cancel_consumer("celery", destination=names, reply=True, timeout=10)
    connections.close_all()
    last_issued = Certificate.objects.filter(enrolment__learner__in=users).latest("issued_at")
    drained = (last_issued.issued_at - started_at).total_seconds()
    pids |= {pid for worker in workers for pid in worker_pids(worker)}  # backends opened since
    busy = sum(
        float(seconds)
        for worker, start in zip(workers, logged, strict=True)
        for seconds in TASK_SUCCEEDED.findall(worker.log[start:])
    )
    return len(users) / drained, cpu_seconds(pids) - cpu_before, busy / (len(workers) * drained)


def main() -> None:
    from certificates.credentials import new_key_entry

    redis = PrivateRedis()
    redis.start()
    media = tempfile.mkdtemp(prefix="lms-bench-media-")
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "REDIS_URL": redis.url,
        "DJANGO_MEDIA_ROOT": media,
        "EMAIL_URL": "dummymail://",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LMS_BASE_URL": "https://academy.example.org",
        "DJANGO_TRUSTED_PROXY_COUNT": "0",
        # Production settings demand the key that signs each certificate's credential.
        "DJANGO_CREDENTIAL_KEYS": new_key_entry("bench-key-1"),
    }
    os.environ.update(env)
    workers: list[CeleryWorker] = []
    database = tree_database("lms_bench_certificates")
    try:
        with bench_database(database):
            from django.db.models import F

            from certificates.models import Certificate
            from lms.celery import app as celery_app

            learners = WARM_UP + ROUNDS * N + LATENCY_N + 2
            log(f"seeding {learners} learners…")
            module, users = seed(learners)
            warm_up, users = users[:WARM_UP], users[WARM_UP:]
            rounds = [users[i * N : (i + 1) * N] for i in range(ROUNDS)]
            users = users[ROUNDS * N :]
            latency_users, probes = users[:LATENCY_N], users[LATENCY_N:]
            documents = floor_documents(N)
            pool, pool_pids = floor_pool(documents)

            settings_env = {**env, "DATABASE_URL": os.environ["DATABASE_URL"]}
            # Two single-process workers (the floor's 2 processes) wait on an empty
            # holding queue between pipeline rounds.
            for _ in range(POOL):
                workers.append(
                    CeleryWorker(
                        database_url=settings_env["DATABASE_URL"],
                        redis_url=redis.url,
                        media_root=media,
                        extra_env=settings_env,
                        concurrency=1,
                        pool="solo",
                        queues="hold",
                    )
                )
            pipeline_round(module, warm_up, workers, redis, celery_app)

            floors, floor_cpu, floor_ms = [], 0.0, []
            pipelines, pipeline_cpu, busy = [], 0.0, []

            def floor():
                nonlocal floor_cpu
                per_s, median_ms, cpu = run_floor(pool, pool_pids, documents)
                floors.append(per_s)
                floor_ms.append(median_ms)
                floor_cpu += cpu
                log(f"    floor    {per_s:.2f} certificates/s, median render {median_ms:.0f} ms")

            log(f"{ROUNDS} rounds of {N}: floor, pipeline, floor, …")
            floor()
            for batch in rounds:
                per_s, cpu, busy_fraction = pipeline_round(module, batch, workers, redis, celery_app)
                pipelines.append(per_s)
                pipeline_cpu += cpu
                busy.append(busy_fraction)
                log(f"    pipeline {per_s:.2f} certificates/s, workers busy {busy_fraction:.0%} of the round")
                floor()
            pool.close()
            pool.join()
            ratios = [p / ((floors[i] + floors[i + 1]) / 2) for i, p in enumerate(pipelines)]
            log("    ratios " + ", ".join(f"{r:.3f}" for r in ratios))
            bare_per_s = statistics.median(floors)
            pipeline_per_s = statistics.median(pipelines)

            rate = LATENCY_LOAD * pipeline_per_s
            log(f"latency: {LATENCY_N} completions arriving at {rate:.1f}/s…")
            for worker in workers:
                celery_app.control.add_consumer("celery", destination=[worker.name], reply=True, timeout=10)
            complete_all(module, latency_users, rate=rate)
            wait_until(lambda: issued_count(latency_users) == LATENCY_N, timeout=600, interval=0.1)
            delays = sorted(
                (issued - completed).total_seconds()
                for issued, completed in Certificate.objects.filter(enrolment__learner__in=latency_users)
                .annotate(completed=F("enrolment__completed_at"))
                .values_list("issued_at", "completed")
            )
            p95 = delays[int(0.95 * len(delays)) - 1]
            render_ms = sorted(
                Certificate.objects.filter(status="issued").values_list("render_ms", flat=True)
            )
            render_median_ms = statistics.median(render_ms)
            log(f"    p95 completion → issued {p95:.2f} s; render median {render_median_ms} ms")

            for worker in workers:
                worker.stop()
            workers.clear()

            queries_per_certificate(module, probes[0])  # warm this process's caches (content types)
            queries, completion_queries, transactions = queries_per_certificate(module, probes[1])
            files = sum(name.endswith(".pdf") for _, _, names in os.walk(media) for name in names)
            log(
                f"    {queries} queries per certificate in the worker; {completion_queries} in the completion; {files} PDFs stored"
            )
    finally:
        for worker in workers:
            worker.stop()
        redis.close()
        shutil.rmtree(media, ignore_errors=True)

    bare_cpu_ms = 1000 * floor_cpu / (len(floors) * N)
    pipeline_cpu_ms = 1000 * pipeline_cpu / (ROUNDS * N)
    print(
        json.dumps(
            {
                "rounds": ROUNDS,
                "n_per_round": N,
                "ratio": round(statistics.median(ratios), 3),
                "ratios": [round(r, 3) for r in ratios],
                "bare_per_s": round(bare_per_s, 2),
                "pipeline_per_s": round(pipeline_per_s, 2),
                "bare_per_s_rounds": [round(f, 2) for f in floors],
                "pipeline_per_s_rounds": [round(p, 2) for p in pipelines],
                "p95_completion_to_issued_s": round(p95, 3),
                "queries_per_certificate": queries,
                "render_median_ms": render_median_ms,
                "bare_render_median_ms": round(statistics.median(floor_ms), 1),
                "cpu_ms_per_certificate_bare": round(bare_cpu_ms, 1),
                "cpu_ms_per_certificate_pipeline": round(pipeline_cpu_ms, 1),
                "cpu_ratio": round(bare_cpu_ms / pipeline_cpu_ms, 3),
                "worker_busy_fraction": round(statistics.median(busy), 3),
                "latency_load_per_s": round(rate, 2),
                "completion_certificate_queries": completion_queries,
                "worker_transactions_per_certificate": transactions,
            }
        )
    )


if __name__ == "__main__":
    main()
