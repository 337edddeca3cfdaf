"""Redis stopped: the academy degrades, it does not fail (issue 11).

The cache and the broker are a private ``redis-server`` that the test stops. Every
learner page still answers, a module completion and a quiz submission are committed and
reported as done, and ``/healthz`` tells the operators Redis is down. What the broker
should have carried is kept for later (the outbox, ``lms.outbox``).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from courses.models import Enrolment, EnrolmentStatus, ModuleCompletion
from courses.services import enrolment_create
from quizzes.models import Attempt, AttemptState
from tests.certificates.processes import PrivateRedis, point_celery_at
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner
from tests.quizzes.factories import correct_ids, make_question, make_quiz

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_default_cache_treats_an_unreachable_redis_as_a_cold_cache():
    assert django_settings.CACHES["default"]["BACKEND"] == "lms.cache.DegradingRedisCache"


@pytest.fixture
def redis_down(settings):
    """Cache and broker on a private Redis; yields a function that stops it."""
    from lms.celery import app

    redis = PrivateRedis()
    redis.start()
    settings.REDIS_URL = redis.url
    settings.CACHES = {
        "default": {**django_settings.CACHES["default"], "LOCATION": redis.url},
    }
    previous = app.conf.broker_url
    point_celery_at(redis.url)
    yield redis.stop
    point_celery_at(previous)
    redis.close()


@pytest.fixture
def doctor_half_way():
    """A doctor enrolled in a course of two modules and its final quiz, one module done."""
    run = CourseRunFactory()
    first = ModulePageFactory(parent=run.course, title="Opioid stewardship")
    second = ModulePageFactory(parent=run.course, title="Neuropathic pain")
    question = make_question()
    quiz = make_quiz(run.course, questions=[question], title="Final assessment")
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return run, first, second, quiz, question, doctor


def test_with_redis_stopped_every_learner_page_answers_and_the_work_is_kept(
    redis_down, doctor_half_way, client
):
    run, first, second, quiz, question, doctor = doctor_half_way
    client.force_login(doctor)
    cache.set("warm", "yes")  # Redis is really there before the outage
    assert cache.get("warm") == "yes"

    redis_down()

    assert cache.get("warm") is None  # a miss, not an error
    for name, url in [
        ("home", "/"),
        ("catalogue", "/courses/"),
        ("course", run.course.url),
        ("module", first.url),
        ("dashboard", "/dashboard/"),
        ("quiz", reverse("quiz_detail", args=[quiz.pk])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)

    # Completing a module: committed, and the learner is told so.
    response = client.post(f"/modules/{first.pk}/complete/", follow=True)
    assert response.status_code == 200
    assert ModuleCompletion.objects.filter(enrolment__learner=doctor, module=first).exists()

    # Taking and submitting the final assessment.
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    attempt = Attempt.objects.get(learner=doctor, quiz=quiz)
    response = client.post(
        reverse("attempt_autosave", args=[attempt.pk]),
        data=json.dumps({"answers": {"1": correct_ids(question)}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    response = client.post(
        reverse("attempt_take", args=[attempt.pk]), {"q1": correct_ids(question), "submit": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("attempt_result", args=[attempt.pk])
    assert client.get(response["Location"]).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED

    # The last module completes the course; its certificate waits for the broker.
    response = client.post(f"/modules/{second.pk}/complete/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    enrolment = Enrolment.objects.get(learner=doctor, run=run)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.get(enrolment=enrolment).status == CertificateStatus.PENDING
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200 and "being prepared" in dashboard.content.decode()

    # The operators are told. /healthz is an async view, which the test client runs through
    # AsyncToSync: from a thread of its own, since the browser tests' Playwright keeps an
    # event loop running in the main thread for the rest of the session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        health = pool.submit(client.get, "/healthz", {"format": "json"}).result()
    assert health.status_code == 500
    report = json.loads(health.content)
    assert any("Redis" in name and value != "OK" for name, value in report.items()), report
    assert any("Database" in name and value == "OK" for name, value in report.items()), report
