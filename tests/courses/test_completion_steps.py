"""The completion sequence other apps plug into through courses.api.register_completion_step."""

import pytest

from courses import completion
from courses.api import CompletionStep, StepStatus, enrolments_progress, register_completion_step
from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create, module_complete
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Steps registered by a test are gone after it (the apps' own stay)."""
    saved = dict(completion._steps)
    yield
    completion._steps.clear()
    completion._steps.update(saved)


@pytest.fixture
def enrolled():
    run = CourseRunFactory()
    module = ModulePageFactory(parent=run.course)
    doctor = learner()
    return enrolment_create(learner=doctor, run=run), module


def _fixed(done, total, label="Step"):
    return lambda enrolments, reads: {
        e.pk: StepStatus(key="x", label=label, done=done, total=total) for e in enrolments
    }


def _progress(enrolment):
    return enrolments_progress([Enrolment.objects.select_related("run__course").get(pk=enrolment.pk)])[
        enrolment.pk
    ]


def test_steps_come_in_sequence_order_and_next_step_is_the_first_unmet_required_one(registry, enrolled):
    enrolment, module = enrolled
    register_completion_step(
        CompletionStep(key="pre_test", label="Pre-test", statuses=_fixed(0, 1), order=10, required=False)
    )
    register_completion_step(
        CompletionStep(key="evaluation", label="Evaluation", statuses=_fixed(0, 1), order=40)
    )

    progress = _progress(enrolment)
    assert [s.key for s in progress.steps] == ["pre_test", "modules", "evaluation"]
    assert [s.key for s in progress.required_steps] == ["modules", "evaluation"]
    assert progress.next_step.key == "modules"
    assert (progress.done, progress.total) == (0, 2)  # the optional pre-test does not count

    module_complete(learner=enrolment.learner, module=module)
    progress = _progress(enrolment)
    assert progress.next_step.key == "evaluation" and not progress.is_complete
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # a required step is still open


def test_an_optional_step_never_gates_completion(registry, enrolled):
    enrolment, module = enrolled
    register_completion_step(
        CompletionStep(key="pre_test", label="Pre-test", statuses=_fixed(0, 1), order=10, required=False)
    )
    assert module_complete(learner=enrolment.learner, module=module).course_completed
    progress = _progress(enrolment)
    assert progress.is_complete and progress.next_step is None
    assert [s.is_met for s in progress.steps] == [False, True]


def test_a_step_registered_again_under_its_key_replaces_the_first(registry, enrolled):
    enrolment, _ = enrolled
    register_completion_step(
        CompletionStep(key="evaluation", label="Evaluation", statuses=_fixed(0, 1), order=40)
    )
    register_completion_step(
        CompletionStep(key="evaluation", label="Evaluation", statuses=_fixed(1, 1), order=40)
    )
    assert [(s.key, s.done) for s in _progress(enrolment).steps] == [("modules", 0), ("evaluation", 1)]


def test_a_step_with_nothing_to_do_for_a_course_does_not_apply_to_it(registry, enrolled):
    enrolment, _ = enrolled
    register_completion_step(
        CompletionStep(key="evaluation", label="Evaluation", statuses=_fixed(0, 0), order=40)
    )
    assert [s.key for s in _progress(enrolment).steps] == ["modules"]
