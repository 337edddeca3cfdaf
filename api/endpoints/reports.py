"""Reports for the academy's staff and their integrations (scope ``admin:reports``).

A client-credentials token acts as the staff account that owns its application; that
account needs the same permission as the admin's screen (``certificates.view_certificate``).
"""

from django.http import Http404
from ninja import Path, Router, Schema
from ninja.errors import HttpError

from api.auth import ADMIN_REPORTS, session_or_token
from api.schemas import MAX_ID, Problem
from certificates.api import run_certificate_progress
from courses.api import course_run_get

router = Router(tags=["Reports"], auth=session_or_token(ADMIN_REPORTS, user_required=False))


class RunCertificatesOut(Schema):
    run_id: int
    course_title: str
    run_label: str
    completed_enrolments: int
    by_status: dict[str, int]
    without_valid_certificate: int


@router.get(
    "/reports/runs/{run_id}/certificates",
    response={200: RunCertificatesOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Certificates of a run, by status",
)
def run_certificates(request, run_id: int = Path(..., ge=1, le=MAX_ID)):
    if not request.auth.has_perm("certificates.view_certificate"):
        raise HttpError(403, "This account may not read certificate reports.")
    run = course_run_get(run_id=run_id)
    if run is None:
        raise Http404("No run has this id.")
    progress = run_certificate_progress(run=run)
    return {
        "run_id": run.pk,
        "course_title": run.course.title,
        "run_label": run.label,
        "completed_enrolments": progress.completed_enrolments,
        "by_status": progress.by_status,
        "without_valid_certificate": progress.without_valid_certificate,
    }
