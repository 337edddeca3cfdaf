"""schemathesis against the live OpenAPI document: every operation, generated requests, every check.

The document is fetched from the application (``/api/v1/openapi.json``), and every
operation is called with requests generated from it — valid and invalid — by a doctor
holding a token with every learner scope, over data that exists (a course, a run, an
enrolment, an attempt, an issued certificate). Any 5xx, any response that breaks its
documented schema, status or content type, fails the test.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from quizzes.services import attempt_start
from tests.api.conftest import authorization_code_token
from tests.certificates.factories import issued_certificate
from tests.courses.factories import CourseRunFactory
from tests.quizzes.factories import make_question, make_quiz

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def one_connection(api_token):
    """Keep the test's database connection (and its transaction) across WSGI requests, as Django's test client does.

    After the token is made: Django's test client, which that uses, reconnects the handlers when it is done.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(doctor, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    issued_certificate(doctor)
    run = CourseRunFactory(capacity=3)
    quiz = make_quiz(run.course, questions=[make_question()])
    from courses.services import enrolment_create

    enrolment_create(learner=doctor, run=run)
    attempt_start(learner=doctor, quiz=quiz)
    return authorization_code_token(user=doctor, scope="catalogue:read learning certificates:read")


# Fetched from the running application, as a client would (serving it reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_keeps_its_contract(case, api_token, one_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})
