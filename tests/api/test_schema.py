"""schemathesis against the live OpenAPI document: every operation, generated requests, every check.

The document is fetched from the application (``/api/v1/openapi.json``), and every
operation is called with requests generated from it — valid and invalid — by a doctor
holding a token with every learner scope, over data that exists (a course, a run, an
enrolment, an attempt, an issued certificate). Any 5xx, any response that breaks its
documented schema, status or content type, fails the test.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import transaction
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


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The doctor's data and token, made once for the module's operations: (media root, token).

    They stay in an open transaction for the module (as ``seeded_demo`` does): each
    operation's test runs in a savepoint inside it, so what its requests change rolls
    back and the next operation starts from the same data; the data rolls back after the
    module. Making it once (a certificate is rendered) saves seconds per operation.
    """
    from django.db import transaction
    from django.test import override_settings

    from courses.services import enrolment_create
    from tests.courses.factories import site_tree
    from tests.factories import learner

    media = str(tmp_path_factory.mktemp("api-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        site_tree()
        doctor = learner()
        issued_certificate(doctor)
        run = CourseRunFactory(capacity=3)
        quiz = make_quiz(run.course, questions=[make_question()])
        enrolment_create(learner=doctor, run=run)
        attempt_start(learner=doctor, quiz=quiz)
        token = authorization_code_token(user=doctor, scope="catalogue:read learning certificates:read")
        yield media, token
        transaction.set_rollback(True)


@pytest.fixture
def api_token(api_data, settings):
    media, token = api_data
    settings.MEDIA_ROOT = media
    return token


@contextmanager
def example_rolled_back():
    """Undo what one generated example's requests change before the next example runs.

    Every example then starts from the same data and from empty rate-limit counters, so
    a response depends only on the request: Hypothesis replays an example (to explore
    from it, or to shrink a failure) and must see the same responses, or it stops with
    "Inconsistent data generation" (a withdrawn enrolment answering 409 the second time).
    """
    savepoint = transaction.savepoint()
    cache.clear()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


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
    with example_rolled_back():
        case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})


def test_linked_operations_keep_their_contract(api_token, one_connection):
    """Stateful: sequences of calls that feed each response into the next request.

    schemathesis infers the links from the schema (an enrolment's id leads to its
    assessments, an assessment to a new attempt, an attempt to its answers, submission and
    result, a certificate to its PDF and credential, a run to its report), so the chained
    calls reach real objects instead of random ids.
    """
    machine = schema.as_state_machine()
    linked = [name for name in machine.__dict__ if "___" in name]
    assert any("POST_api_v1_assessments_assessment_id_attempts___201" in name for name in linked)
    assert any("GET_api_v1_certificates___200" in name for name in linked)

    reached = set()

    class Doctor(machine):
        def setup(self):
            # Each scenario (a sequence of calls) starts from the module's data.
            self.rolled_back = example_rolled_back()
            self.rolled_back.__enter__()

        def teardown(self):
            self.rolled_back.__exit__(None, None, None)

        def after_call(self, response, case):
            super().after_call(response, case)
            if response.status_code < 300:
                reached.add(f"{case.method} {case.operation.path}")

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {api_token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # As call_and_validate does in the test above: the checks are told which headers
            # were sent, so the authentication probes know the bearer token came from us.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Doctor.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The chains got somewhere: an object found through a previous response, not only 404s.
    assert any("{" in operation for operation in reached), reached
