"""Enrolments over the API: enrol (idempotently), list, withdraw, progress; object-level rules; CSRF."""

import json

import pytest
from django.test import Client

from api.models import IdempotentRequest
from courses.models import CourseRun, Enrolment
from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, EnrolmentFactory, ModulePageFactory
from tests.factories import UserFactory, learner
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def _post(client, path, data=None, **headers):
    return client.post(path, json.dumps(data or {}), content_type="application/json", **headers)


def test_enrolling_takes_a_seat_and_returns_the_enrolment(doctor_client, doctor):
    run = CourseRunFactory(capacity=5)
    response = _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["run"]["id"] == run.pk and body["run"]["course_title"] == run.course.title
    assert body["can_withdraw"] is True
    run.refresh_from_db()
    assert run.seats_taken == 1
    assert Enrolment.objects.get(learner=doctor).pk == body["id"]


def test_a_retry_with_the_same_idempotency_key_replays_without_enrolling_twice(doctor_client, doctor):
    run = CourseRunFactory(capacity=5)
    first = _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    retry = _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    run.refresh_from_db()
    assert run.seats_taken == 1
    # Without the key, the same request is refused: the doctor is already enrolled.
    again = _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk})
    assert again.status_code == 409
    assert again.json()["detail"] == f"You are already enrolled in the {run.label} run."


def test_a_key_reused_for_a_different_request_is_refused_and_changes_nothing(doctor_client):
    run, other = CourseRunFactory(), CourseRunFactory()
    _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="same")
    refused = _post(doctor_client, "/api/v1/enrolments", {"run_id": other.pk}, HTTP_IDEMPOTENCY_KEY="same")
    assert refused.status_code == 422
    assert "different request" in refused.json()["detail"]
    assert not Enrolment.objects.filter(run=other).exists()


def test_keys_belong_to_one_user(doctor_client):
    run = CourseRunFactory(capacity=5)
    _post(doctor_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="shared")
    colleague = Client()
    colleague.force_login(learner())
    response = _post(colleague, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201
    assert response.json()["id"] != Enrolment.objects.order_by("pk").first().pk
    assert IdempotentRequest.objects.count() == 2


def test_refusals_are_problems_with_the_reason_and_store_no_key(doctor_client):
    full = CourseRunFactory(capacity=1)
    enrolment_create(learner=learner(), run=full)
    response = _post(doctor_client, "/api/v1/enrolments", {"run_id": full.pk}, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == f"The {full.label} run is full. Please choose another month."
    assert problem["type"].endswith("/enrolment")
    assert problem["instance"] == "/api/v1/enrolments"
    assert not IdempotentRequest.objects.exists()
    missing = _post(doctor_client, "/api/v1/enrolments", {"run_id": 10**9})
    assert missing.status_code == 404 and "No run has this id" in missing.json()["detail"]


def test_an_incomplete_profile_is_asked_for():
    client = Client()
    client.force_login(UserFactory())
    response = _post(client, "/api/v1/enrolments", {"run_id": CourseRunFactory().pk})
    assert response.status_code == 409
    assert "Complete your doctor's profile" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ("{", "application/json", 400, "not valid JSON"),
        ('{"run_id": 1}', "text/plain", 400, "Send the data as JSON"),
        ('{"run_id": "one"}', "application/json", 422, "body.data.run_id"),
        ("[[[[[[[[1]]]]]]]]", "application/json", 400, "nested too deeply"),
    ],
)
def test_bad_bodies_get_a_readable_problem(doctor_client, body, content_type, status, message):
    response = doctor_client.post("/api/v1/enrolments", body, content_type=content_type)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not Enrolment.objects.exists()


def test_no_credentials_is_401_with_a_challenge():
    response = Client().get("/api/v1/enrolments")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Sign in first" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(csrf_client):
    run = CourseRunFactory()
    refused = _post(csrf_client, "/api/v1/enrolments", {"run_id": run.pk})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Enrolment.objects.exists()
    csrf_client.get("/profile/")  # any page with a form gives the browser its CSRF cookie
    token_value = csrf_client.cookies["csrftoken"].value
    allowed = _post(csrf_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_X_CSRFTOKEN=token_value)
    assert allowed.status_code == 201


def test_another_learners_enrolment_is_404_everywhere(doctor_client):
    theirs = EnrolmentFactory()
    for method, path in [
        ("get", f"/api/v1/enrolments/{theirs.pk}"),
        ("get", f"/api/v1/enrolments/{theirs.pk}/progress"),
        ("get", f"/api/v1/enrolments/{theirs.pk}/assessments"),
        ("post", f"/api/v1/enrolments/{theirs.pk}/withdraw"),
    ]:
        response = getattr(doctor_client, method)(path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "You have no enrolment with this id."
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_withdraw_frees_the_seat_and_a_second_withdraw_says_why_not(doctor_client, doctor):
    run = CourseRunFactory(capacity=3)
    enrolment = enrolment_create(learner=doctor, run=run)
    response = doctor_client.post(f"/api/v1/enrolments/{enrolment.pk}/withdraw")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 0
    again = doctor_client.post(f"/api/v1/enrolments/{enrolment.pk}/withdraw")
    assert again.status_code == 409
    assert again.json()["detail"] == "This enrolment is already withdrawn."


def test_progress_names_the_next_step_and_module(doctor_client, doctor):
    run = CourseRunFactory()
    first = ModulePageFactory(parent=run.course, title="How pain works")
    second = ModulePageFactory(parent=run.course, title="Red flags")
    enrolment = enrolment_create(learner=doctor, run=run)
    module_complete(learner=doctor, module=first)
    body = doctor_client.get(f"/api/v1/enrolments/{enrolment.pk}/progress").json()
    assert body["modules_done"] == 1 and body["modules_total"] == 2
    assert body["progress"]["percent"] == 50
    assert body["progress"]["next_step"]["key"] == "modules"
    assert body["continue_module"]["id"] == second.pk
    assert body["continue_module"]["title"] == "Red flags"


def test_list_filters_by_status_and_its_query_count_is_flat(doctor_client, doctor):
    for _ in range(6):
        run = CourseRunFactory()
        ModulePageFactory(parent=run.course)
        enrolment_create(learner=doctor, run=run)
    EnrolmentFactory()  # someone else's
    body = doctor_client.get("/api/v1/enrolments").json()
    assert body["count"] == 6
    assert doctor_client.get("/api/v1/enrolments", {"status": "completed"}).json()["count"] == 0
    with count_queries() as small:
        assert len(doctor_client.get("/api/v1/enrolments", {"limit": 1}).json()["items"]) == 1
    with count_queries() as large:
        assert len(doctor_client.get("/api/v1/enrolments", {"limit": 6}).json()["items"]) == 6
    assert len(large) == len(small), large.statements


def test_a_malformed_idempotency_key_is_refused_before_anything_happens(doctor_client):
    run = CourseRunFactory()
    response = _post(
        doctor_client, "/api/v1/enrolments", {"run_id": run.pk}, HTTP_IDEMPOTENCY_KEY="has space"
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Enrolment.objects.exists()
