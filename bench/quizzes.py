"""Quiz submission under load, item statistics at scale, and submit query counts.

1. 200 learners submit their attempts over HTTP on loopback to gunicorn (4 sync
   workers) on PostgreSQL — spread over 10 seconds (the headline p50/p95), and all at
   the same instant (the worst case: throughput) — beside a one-at-a-time floor.
2. Item statistics for 10,000 graded attempts × 20 questions (constant queries + the
   pure statistics module).
3. SQL queries of one submission with 5 questions and with 50.

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from urllib.parse import urlencode

from _setup import ROOT, bench_database, tree_database

from tests.support.processes import free_port, session_key_for

LEARNERS = 200
STATS_ATTEMPTS = 10_000
STATS_QUESTIONS = 20


def make_quiz(course, size, **options):
    from tests.quizzes.factories import make_question, make_quiz

    questions = [
        make_question(stem=f"Vignette {i}: which is the most appropriate next step?") for i in range(size)
    ]
    return make_quiz(course, questions=questions, **options), questions


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--backlog",
            "512",
            "--log-level",
            "warning",
            "--env",
            "DJANGO_SETTINGS_MODULE=lms.settings.test",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz?format=json")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def submit_over_http(port: int, attempts: list, *, window_s: float = 0.0) -> tuple[list[float], int]:
    """Submit every attempt over HTTP. ``window_s`` = 0: all at the same instant (a barrier);
    otherwise each learner submits at a random moment within the window."""
    barrier = threading.Barrier(len(attempts))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    rng = random.Random(11)
    delays = [rng.uniform(0, window_s) for _ in attempts]

    def one(item, delay):
        nonlocal errors
        attempt_id, session_key, answers = item
        token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and field
        body = urlencode([("csrfmiddlewaretoken", token), ("submit", "1"), *answers])
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session_key}; csrftoken={token}",
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        time.sleep(delay)
        started = time.perf_counter()
        try:
            connection.request("POST", f"/attempts/{attempt_id}/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 302 and f"/attempts/{attempt_id}/result/" in response.getheader(
                "Location", ""
            )
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            if not ok:
                errors += 1

    threads = [
        threading.Thread(target=one, args=(item, delay)) for item, delay in zip(attempts, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def seed_graded_attempts(quiz, questions, enrolment_factory) -> None:
    """10,000 graded attempts with realistic, varied answers (graded by the real grader)."""
    from quizzes.grading import GradingPolicy, QuestionKey, QuestionKind, grade
    from quizzes.models import Attempt, AttemptState

    keys = []
    choices = {}
    for question in questions:
        options = [str(c.pk) for c in question.choices.all()]
        correct = [str(c.pk) for c in question.choices.all() if c.is_correct]
        keys.append(
            QuestionKey(
                question_id=str(question.pk),
                kind=QuestionKind.SINGLE,
                choice_ids=frozenset(options),
                correct_ids=frozenset(correct),
            )
        )
        choices[str(question.pk)] = (options, correct[0])
    policy = GradingPolicy(pass_mark_percent=Decimal(60))
    rng = random.Random(7)
    difficulty = {qid: rng.uniform(0.3, 0.95) for qid in choices}
    enrolments = enrolment_factory(STATS_ATTEMPTS)
    rows = []
    for i in range(STATS_ATTEMPTS):
        ability = rng.gauss(0, 1)
        responses = {}
        for qid, (options, correct) in choices.items():
            p = min(max(difficulty[qid] + 0.15 * ability, 0.02), 0.98)
            responses[qid] = [correct if rng.random() < p else rng.choice(options)]
        result = grade(keys=keys, responses=responses, policy=policy)
        rows.append(
            Attempt(
                quiz=quiz,
                enrolment=enrolments[i],
                learner_id=enrolments[i].learner_id,
                number=1,
                state=AttemptState.GRADED,
                pass_mark_percent=Decimal(60),
                review_policy=quiz.review_policy,
                multiple_response_scoring=quiz.multiple_response_scoring,
                score_percent=result.percent,
                passed=result.passed,
                result=result.as_dict(),
            )
        )
    Attempt.objects.bulk_create(rows, batch_size=1000)


def main() -> None:
    logging.disable(logging.WARNING)
    with bench_database(tree_database("lms_bench_quizzes")):
        from django.contrib.auth import get_user_model
        from django.core.cache import cache

        from courses.models import Enrolment
        from courses.services import enrolment_create
        from quizzes.selectors import quiz_item_analysis
        from quizzes.services import attempt_start, attempt_submit
        from tests.courses.factories import CourseRunFactory, ModulePageFactory
        from tests.factories import learner
        from tests.quizzes.factories import correct_ids
        from tests.support.queries import count_queries

        cache.clear()

        # 3. Query counts of one submission: 5 questions and 50.
        submit_queries = {}
        for size in (5, 50):
            run = CourseRunFactory()
            ModulePageFactory(parent=run.course)
            quiz, questions = make_quiz(run.course, size)
            doctor = learner()
            enrolment_create(learner=doctor, run=run)
            attempt = attempt_start(learner=doctor, quiz=quiz)
            by_pk = {q.pk: q for q in questions}
            answers = {aq.position: correct_ids(by_pk[aq.question_id]) for aq in attempt.questions.all()}
            with count_queries() as captured:
                attempt_submit(attempt=attempt, learner=doctor, answers=answers)
            submit_queries[size] = len(captured)

        # 1. 200 learners submitting over HTTP: spread over a 10-second window (a class
        #    finishing an exam), and all at the same instant (the worst case), plus a
        #    sequential floor measured in the same run.
        def prepare(n: int):
            run = CourseRunFactory(capacity=n + 10)
            ModulePageFactory(parent=run.course)
            quiz, questions = make_quiz(run.course, 10, time_limit_minutes=30)
            by_pk = {q.pk: q for q in questions}
            items = []
            for _ in range(n):
                doctor = learner()
                enrolment_create(learner=doctor, run=run)
                attempt = attempt_start(learner=doctor, quiz=quiz)
                answers = [
                    (f"q{aq.position}", choice)
                    for aq in attempt.questions.all()
                    for choice in correct_ids(by_pk[aq.question_id])
                ]
                items.append((attempt.pk, session_key_for(doctor), answers))
            return quiz, items

        from quizzes.models import Attempt, AttemptState

        scenarios = {"floor": prepare(20), "spread": prepare(LEARNERS), "burst": prepare(LEARNERS)}
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_gunicorn(port)
        results = {}
        try:
            floor = []
            for item in scenarios["floor"][1]:
                latencies, _ = submit_over_http(port, [item])
                floor += latencies
            results["floor"] = (floor, 0, 0.0)
            for name, window in (("spread", 10.0), ("burst", 0.0)):
                started = time.perf_counter()
                latencies, errors = submit_over_http(port, scenarios[name][1], window_s=window)
                results[name] = (latencies, errors, time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=20)
        for name in ("spread", "burst"):
            quiz = scenarios[name][0]
            graded = Attempt.objects.filter(quiz=quiz, state=AttemptState.GRADED).count()
            latencies, errors, wall = results[name]
            results[name] = (latencies, errors + max(LEARNERS - graded, 0), wall)

        # 2. Item statistics over 10,000 attempts × 20 questions.
        stats_run = CourseRunFactory(capacity=STATS_ATTEMPTS + 10)
        stats_quiz, stats_questions = make_quiz(stats_run.course, STATS_QUESTIONS)
        User = get_user_model()

        def enrolments(n):
            users = User.objects.bulk_create(
                [User(username=f"stats{i}", email=f"stats{i}@example.org") for i in range(n)], batch_size=1000
            )
            return Enrolment.objects.bulk_create(
                [Enrolment(learner=u, run=stats_run) for u in users], batch_size=1000
            )

        seed_graded_attempts(stats_quiz, stats_questions, enrolments)
        with count_queries() as stats_captured:
            started = time.perf_counter()
            analysis = quiz_item_analysis(quiz=stats_quiz)
            stats_s = time.perf_counter() - started
        assert analysis.summary.n == STATS_ATTEMPTS and len(analysis.items) == STATS_QUESTIONS

        def p95(values):
            values = sorted(values)
            return values[int(0.95 * (len(values) - 1))]

        floor_ms = statistics.median(results["floor"][0])
        spread, spread_errors, spread_wall = results["spread"]
        burst, burst_errors, burst_wall = results["burst"]
        print(f"submit floor (one at a time): median {floor_ms:.1f} ms")
        print(
            f"{LEARNERS} learners within 10 s: {spread_errors} errors, p50 {statistics.median(spread):.1f} ms, "
            f"p95 {p95(spread):.1f} ms"
        )
        print(
            f"{LEARNERS} learners at the same instant: {burst_errors} errors, p50 {statistics.median(burst):.1f} ms, "
            f"p95 {p95(burst):.1f} ms, {LEARNERS / burst_wall:.1f} submits/s"
        )
        print(
            f"item statistics: {STATS_ATTEMPTS} attempts x {STATS_QUESTIONS} questions in {stats_s:.3f} s, "
            f"{len(stats_captured)} queries"
        )
        print(f"submit queries: 5 questions {submit_queries[5]}, 50 questions {submit_queries[50]}")
        print(
            json.dumps(
                {
                    "learners": LEARNERS,
                    "errors": spread_errors + burst_errors,
                    "submit_floor_ms": round(floor_ms, 1),
                    "submit_p50_ms": round(statistics.median(spread), 1),
                    "submit_p95_ms": round(p95(spread), 1),
                    "burst_p50_ms": round(statistics.median(burst), 1),
                    "burst_p95_ms": round(p95(burst), 1),
                    "submits_per_s": round(LEARNERS / burst_wall, 1),
                    "stats_s": round(stats_s, 3),
                    "stats_queries": len(stats_captured),
                    "submit_queries_5": submit_queries[5],
                    "submit_queries_50": submit_queries[50],
                }
            )
        )


if __name__ == "__main__":
    sys.exit(main())
