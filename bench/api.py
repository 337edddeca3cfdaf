"""The REST API beside the pages, and credentials beside PDFs.

In-process (Django's test client) on PostgreSQL and Redis, in the same run:

* p50/p95 of ``GET /api/v1/courses`` beside the catalogue page ``/courses/``, and of
  ``GET /api/v1/enrolments`` beside the dashboard ``/dashboard/`` (20 enrolments);
* Open Badges credentials signed per second (eddsa-rdfc-2022: two RDF
  canonicalisations and an Ed25519 signature) beside certificate PDFs rendered per
  second (WeasyPrint), on the same certificate data.

The last line is one JSON object with the figures.

    make bench            # or: .venv/bin/python bench/api.py
"""

from __future__ import annotations

import datetime
import json
import logging
import statistics
import time

from _setup import bench_database, tree_database

REPEAT = 60
ROUNDS = 20


def percentiles(client, url: str) -> dict:
    client.get(url)
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
    }


def per_second(work, rounds: int = ROUNDS) -> float:
    work()
    started = time.perf_counter()
    for _ in range(rounds):
        work()
    return round(rounds / (time.perf_counter() - started), 1)


def main() -> None:
    logging.disable(logging.INFO)
    with bench_database(tree_database("lms_bench_api")):
        from django.core.cache import cache
        from django.test import Client

        from certificates import credentials
        from certificates.issuer import credential_keys, issuer_did
        from certificates.services import _document, _render_pdf
        from courses.services import enrolment_create
        from tests.certificates.factories import issued_certificate
        from tests.courses.factories import CourseRunFactory, ModulePageFactory, site_tree
        from tests.factories import learner

        cache.clear()
        site_tree()
        doctor = learner()
        for _ in range(20):
            run = CourseRunFactory()
            ModulePageFactory(parent=run.course)
            enrolment_create(learner=doctor, run=run)
        client = Client()
        client.force_login(doctor)
        figures = {
            "catalogue": {
                "api": percentiles(client, "/api/v1/courses"),
                "page": percentiles(client, "/courses/"),
            },
            "enrolments": {
                "api": percentiles(client, "/api/v1/enrolments?limit=20"),
                "page": percentiles(client, "/dashboard/"),
            },
        }

        certificate = issued_certificate()
        facts = credentials.BadgeFacts(
            credential_id="urn:uuid:00000000-0000-4000-8000-000000000000",
            issuer_did=issuer_did(),
            issuer_name="IPSC Pain Academy",
            issuer_url="https://academy.example.org",
            holder_name=certificate.holder_name,
            email="doctor@example.org",
            salt="0" * 32,
            course_id="https://academy.example.org/courses/x/",
            course_title=certificate.course_title,
            course_summary="",
            criteria="Completed every module.",
            credit_hours=certificate.cme_credit_hours,
            completed_on=certificate.completed_on,
            issued_at=certificate.issued_at,
            status_list_url="https://academy.example.org/certificates/credentials/status/revocation",
            status_index=7,
            verification_url=certificate.verification_url,
        )
        key = credential_keys()[-1]
        now = datetime.datetime.now(datetime.UTC)
        document = _document(certificate, [])
        figures["credentials_signed_per_second"] = per_second(
            lambda: credentials.sign(
                credentials.badge_credential(facts), key=key, did=issuer_did(), created=now
            )
        )
        figures["pdfs_rendered_per_second"] = per_second(lambda: _render_pdf(document), rounds=5)

        print("Endpoint                      p50 ms   p95 ms")
        for name, pair in (("catalogue", figures["catalogue"]), ("enrolments", figures["enrolments"])):
            for kind in ("api", "page"):
                print(f"{name:<12} {kind:<12} {pair[kind]['p50_ms']:>9} {pair[kind]['p95_ms']:>8}")
        print(f"Credentials signed per second: {figures['credentials_signed_per_second']}")
        print(f"PDFs rendered per second:      {figures['pdfs_rendered_per_second']}")
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
