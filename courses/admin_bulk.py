"""Administrators' bulk enrolment screens: upload a file, read what each row would do, confirm, follow it.

Actions of the bulk-enrolment snippet (``courses.wagtail_hooks``) on the shared bases of
:mod:`lms.admin_views`. The upload only reads and keeps the rows
(:func:`courses.bulk_enrolment.bulk_enrolment_upload`); the preview lists each row's
outcome, changing nothing, until the administrator confirms; a Celery job applies it and
the progress screen (a meta refresh while it runs, no script) lists each row's result.
"""

from __future__ import annotations

from django.core.paginator import Paginator

from courses.bulk_enrolment import (
    APPLIED_LABELS,
    OUTCOME_LABELS,
    bulk_enrolment_applied_before,
    bulk_enrolment_confirm,
    bulk_enrolment_counts,
    bulk_enrolment_preview,
    bulk_enrolment_rows,
    bulk_enrolment_upload,
)
from courses.forms import BulkEnrolmentUploadForm
from courses.models import BulkEnrolment, BulkEnrolmentStatus
from lms.admin_views import AdminFormView, AdminObjectFormView, AdminObjectView

ROWS_PER_PAGE = 100


class _BulkMixin:
    def get_queryset(self):
        return BulkEnrolment.objects.select_related("run", "run__course", "uploaded_by")


def _page(request, items):
    return Paginator(items, ROWS_PER_PAGE).get_page(request.GET.get("page"))


class UploadBulkEnrolmentView(AdminFormView):
    form_class = BulkEnrolmentUploadForm
    submit_label = "Check the file"
    initial_from_query = ("run", "course")

    def perform(self, form):
        data = form.cleaned_data
        self.bulk = bulk_enrolment_upload(
            run=data["run"], course=data["course"], upload=data["file"], by=self.request.user
        )
        return (
            f"{self.bulk.file_name}: {self.bulk.rows_total} rows read. Nothing is enrolled until you confirm."
        )

    def get_success_url(self):
        return self.sibling_url("bulk_preview", self.bulk.pk)


class BulkPreviewView(_BulkMixin, AdminObjectFormView):
    """What each row would do; the confirm button queues the job."""

    submit_label = "Confirm and enrol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulk = self.object
        if not self.refusal:
            outcomes = bulk_enrolment_preview(run=bulk.run, rows=bulk_enrolment_rows(bulk))
            counts: dict[str, int] = {}
            for outcome in outcomes:
                counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
            context.update(
                outcomes=_page(self.request, outcomes),
                counts=[(OUTCOME_LABELS[key], n) for key, n in counts.items()],
                applied_before=bulk_enrolment_applied_before(bulk),
            )
        context["bulk"] = bulk
        context["progress_url"] = self.sibling_url("bulk_progress", bulk.pk)
        return context

    def perform(self, form):
        bulk_enrolment_confirm(bulk=self.object, by=self.request.user)
        return f"{self.object.file_name} is being applied to {self.object.run}."

    def get_success_url(self):
        return self.sibling_url("bulk_progress", self.object.pk)


class BulkProgressView(_BulkMixin, AdminObjectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulk = self.object
        context.update(
            bulk=bulk,
            settled=bulk.status not in (BulkEnrolmentStatus.QUEUED, BulkEnrolmentStatus.RUNNING),
            counts=bulk_enrolment_counts(bulk.results),
            results=_page(self.request, [(*r, APPLIED_LABELS.get(r[2], r[2])) for r in bulk.results]),
            preview_url=self.sibling_url("bulk_preview", bulk.pk)
            if bulk.status == BulkEnrolmentStatus.PREVIEW
            else None,
        )
        return context
