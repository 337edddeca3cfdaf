"""A doctor's enrolments: enrol (idempotent with ``Idempotency-Key``), list, withdraw, progress, assessments.

Another learner's enrolment answers 404, exactly like one that does not exist.
"""

from typing import Literal

from django.http import Http404, JsonResponse
from ninja import Header, Path, Query, Router, Schema

from api.auth import LEARNING, session_or_token
from api.paging import PageParams, page_of
from api.schemas import (
    MAX_ID,
    AssessmentOut,
    EnrolmentCreateIn,
    EnrolmentOut,
    EnrolmentPageOut,
    ModuleRefOut,
    Problem,
    ProgressOut,
)
from api.services import KEY_PATTERN, idempotent_perform
from courses.api import (
    course_run_get,
    enrolment_create,
    enrolment_summaries,
    enrolment_withdraw,
    learner_enrolment_get,
    learner_enrolments,
)
from quizzes.api import quizzes_for_course

router = Router(tags=["Enrolments"], auth=session_or_token(LEARNING))

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class EnrolmentFilter(Schema):
    status: Literal["active", "completed", "withdrawn"] | None = None


class EnrolmentProgressOut(Schema):
    enrolment_id: int
    progress: ProgressOut
    modules_done: int
    modules_total: int
    continue_module: ModuleRefOut | None


def _own_enrolment(request, enrolment_id: int):
    enrolment = learner_enrolment_get(user=request.auth, enrolment_id=enrolment_id)
    if enrolment is None:
        raise Http404("You have no enrolment with this id.")
    return enrolment


def _summary(request, enrolment):
    return enrolment_summaries([enrolment], request)[0]


@router.get("/enrolments", response={200: EnrolmentPageOut, **ERRORS}, summary="List my enrolments")
def list_enrolments(request, filters: Query[EnrolmentFilter], paging: Query[PageParams]):
    """Your enrolments in every status (or one), newest run first, with progress and where to continue."""
    page = page_of(request, learner_enrolments(user=request.auth, status=filters.status), paging)
    return page.with_items(enrolment_summaries(page.items, request))


@router.post(
    "/enrolments",
    response={201: EnrolmentOut, 409: Problem, **ERRORS},
    summary="Enrol in a run",
)
def create_enrolment(
    request,
    data: EnrolmentCreateIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Any unique string (a UUID): retrying with the same key and body returns the first "
        "response instead of enrolling again.",
        pattern=KEY_PATTERN,
    ),
):
    """Take a seat in a run. ``409`` says why not: the window is closed, the run is full, you are already
    enrolled, or your doctor's profile is incomplete."""

    def perform():
        run = course_run_get(run_id=data.run_id)
        if run is None:
            raise Http404("No run has this id: choose one from the catalogue's runs.")
        summary = _summary(request, enrolment_create(learner=request.auth, run=run))
        return 201, EnrolmentOut.model_validate(summary, context={"request": request}).model_dump(mode="json")

    performed = idempotent_perform(
        user=request.auth,
        key=idempotency_key,
        operation="enrolment_create",
        payload=data.model_dump(mode="json"),
        perform=perform,
    )
    # The body is already the schema's JSON (stored for replays): answer it as it is.
    answer = JsonResponse(performed.body, status=performed.status)
    if performed.replayed:
        answer["Idempotent-Replayed"] = "true"
    return answer


@router.get(
    "/enrolments/{enrolment_id}", response={200: EnrolmentOut, **ERRORS}, summary="One of my enrolments"
)
def get_enrolment(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    return _summary(request, _own_enrolment(request, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response={200: EnrolmentOut, 409: Problem, **ERRORS},
    summary="Withdraw from a run",
)
def withdraw_enrolment(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    """Give the seat back. ``409`` if the enrolment is completed, already withdrawn or its run has ended."""
    enrolment = enrolment_withdraw(enrolment=_own_enrolment(request, enrolment_id))
    return _summary(request, enrolment)


@router.get(
    "/enrolments/{enrolment_id}/progress",
    response={200: EnrolmentProgressOut, **ERRORS},
    summary="Progress and the next step",
)
def enrolment_progress(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    summary = _summary(request, _own_enrolment(request, enrolment_id))
    return {
        "enrolment_id": summary.enrolment.pk,
        "progress": summary.progress,
        "modules_done": summary.modules_done,
        "modules_total": summary.modules_total,
        "continue_module": summary.continue_module,
    }


@router.get(
    "/enrolments/{enrolment_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    summary="The course's assessments, with my standing",
)
def enrolment_assessments(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    enrolment = _own_enrolment(request, enrolment_id)
    return quizzes_for_course(course_id=enrolment.run.course_id, enrolment=enrolment)
