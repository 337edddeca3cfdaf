"""The catalogue: live courses with their upcoming runs (seats, enrolment windows). Public, with ETags."""

from django.http import Http404
from ninja import Path, Query, Router, Schema

from api.auth import CATALOGUE, public_or_token
from api.conditional import conditional_json
from api.paging import PageParams, page_of
from api.schemas import MAX_ID, CourseOut, CoursePageOut, Problem, RunOut
from courses.api import Track, course_cards, course_run_get, live_course_get, live_courses

router = Router(tags=["Catalogue"], auth=public_or_token(CATALOGUE))

ERRORS = {400: Problem, 401: Problem, 403: Problem, 422: Problem}


class CourseFilter(Schema):
    track: Track | None = None


@router.get("/courses", response={200: CoursePageOut, 304: None, **ERRORS}, summary="List courses")
def list_courses(request, filters: Query[CourseFilter], paging: Query[PageParams]):
    """Live courses in catalogue order, each with its runs that have not ended.

    Send the ``ETag`` you got back as ``If-None-Match`` to be answered ``304`` while nothing changed.
    """
    page = page_of(request, live_courses(track=filters.track), paging)
    payload = CoursePageOut.model_validate(
        page.with_items(course_cards(page.items)), context={"request": request}
    )
    return conditional_json(request, payload)


@router.get(
    "/courses/{course_id}", response={200: CourseOut, 304: None, 404: Problem, **ERRORS}, summary="One course"
)
def get_course(request, course_id: int = Path(..., ge=1, le=MAX_ID)):
    course = live_course_get(course_id=course_id)
    if course is None:
        raise Http404("No published course has this id.")
    payload = CourseOut.model_validate(course_cards([course])[0], context={"request": request})
    return conditional_json(request, payload)


@router.get("/runs/{run_id}", response={200: RunOut, 304: None, 404: Problem, **ERRORS}, summary="One run")
def get_run(request, run_id: int = Path(..., ge=1, le=MAX_ID)):
    run = course_run_get(run_id=run_id)
    if run is None or not run.course.live:
        raise Http404("No run of a published course has this id.")
    return conditional_json(request, RunOut.model_validate(run))
