"""Every admin listing and custom screen opens for an administrator (no 500s hiding in menus)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.quizzes.factories import make_question

pytestmark = pytest.mark.django_db

LISTINGS = [
    "wagtailsnippets_quizzes_question:list",
    "wagtailsnippets_quizzes_quiz:list",
    "quizzes_attempt:list",
    "courses_courserun:list",
    "courses_enrolment:list",
    "courses_runexport:list",
    "courses_facultymember:list",
    "wagtailsnippets_courses_endorsement:list",
    "courses_courserun:schedule",
    "courses_enrolment:enrol",
    "wagtailsnippets_certificates_certificate:list",
    "wagtailsnippets_certificates_certificate:issue",
    "wagtailsnippets_certificates_certificate:bulk_issue",
    "wagtailadmin_home",
    "wagtailadmin_reports:site_history",
]


@pytest.mark.parametrize("name", LISTINGS)
def test_admin_screen_opens(client, name):
    make_question(tags=["PRP"])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse(name))
    assert response.status_code == 200, name


def test_question_bank_filters_by_tag(client):
    tagged = make_question(stem="Tagged PRP question", tags=["PRP"])
    make_question(stem="Untagged opioid question")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    tag_id = tagged.tags.get().pk
    response = client.get(reverse("wagtailsnippets_quizzes_question:list"), {"tags": tag_id})
    content = response.content.decode()
    assert "Tagged PRP question" in content and "Untagged opioid question" not in content


@pytest.mark.parametrize(
    "namespace",
    [
        "courses_enrolment",
        "wagtailsnippets_courses_endorsement",
        "quizzes_attempt",
        "wagtailsnippets_certificates_certificate",
    ],
)
def test_service_written_rows_cannot_be_added_through_generic_admin_forms(client, namespace):
    """Even a superuser adds enrolments, attempts, endorsements and certificates only through the services."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse(f"{namespace}:add"))
    assert response.status_code in (302, 403)
    assert reverse(f"{namespace}:add") not in client.get(reverse(f"{namespace}:list")).content.decode()
