"""The catalogue over the API: courses with runs, seats and windows; filters, pages, ETags, flat queries."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import Track
from tests.courses.factories import CoursePageFactory, CourseRunFactory, ModulePageFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def _course_with_runs(**kwargs):
    course = CoursePageFactory(**kwargs)
    ModulePageFactory(parent=course)
    ModulePageFactory(parent=course)
    CourseRunFactory(course=course, capacity=12)
    return course


def test_lists_live_courses_with_their_runs_seats_and_windows():
    course = _course_with_runs(title="Cancer pain", track=Track.CANCER)
    draft = CoursePageFactory()
    draft.unpublish()
    response = Client().get("/api/v1/courses")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == course.pk
    assert item["title"] == "Cancer pain"
    assert item["module_count"] == 2
    assert item["cme_credit_hours"] == "8.0"
    (run,) = item["runs"]
    assert run["capacity"] == 12
    assert run["seats_left"] == 12
    assert run["enrolment_open"] is True
    assert datetime.datetime.fromisoformat(run["enrolment_closes_at"]) > timezone.now()


def test_filters_by_track_and_refuses_an_unknown_one_readably():
    _course_with_runs(track=Track.CANCER)
    _course_with_runs(track=Track.CHRONIC)
    body = Client().get("/api/v1/courses", {"track": Track.CANCER}).json()
    assert [c["track"] for c in body["items"]] == [Track.CANCER]
    refused = Client().get("/api/v1/courses", {"track": "astrology"})
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["status"] == 422
    assert "track" in problem["detail"]
    assert problem["errors"][0]["location"] == "query.track"


def test_pages_link_to_each_other():
    for _ in range(3):
        _course_with_runs()
    first = Client().get("/api/v1/courses", {"limit": 2}).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and first["previous"] is None
    second = Client().get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    assert Client().get("/api/v1/courses", {"limit": 101}).status_code == 422


def test_etag_answers_not_modified_until_a_seat_is_taken():
    course = _course_with_runs()
    client = Client()
    first = client.get("/api/v1/courses")
    etag = first["ETag"]
    again = client.get("/api/v1/courses", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(f"/api/v1/courses/{course.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 200
    run = course.runs.get()
    run.seats_taken = 1
    run.save()
    changed = client.get("/api/v1/courses", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["items"][0]["runs"][0]["seats_left"] == 11


def test_unknown_and_unpublished_courses_are_404_problems():
    draft = CoursePageFactory()
    draft.unpublish()
    for course_id in (draft.pk, 10**12, 2**63 - 1):
        response = Client().get(f"/api/v1/courses/{course_id}")
        assert response.status_code == 404
        assert response.json()["detail"] == "No published course has this id."
    assert Client().get(f"/api/v1/courses/{2**63}").status_code == 422


def test_list_query_count_is_flat_in_the_page_size():
    for _ in range(12):
        _course_with_runs()
    client = Client()
    client.get("/api/v1/courses", {"limit": 1})  # warm the site lookup
    with count_queries() as small:
        assert len(client.get("/api/v1/courses", {"limit": 2}).json()["items"]) == 2
    with count_queries() as large:
        assert len(client.get("/api/v1/courses", {"limit": 12}).json()["items"]) == 12
    assert len(large) == len(small), large.statements
