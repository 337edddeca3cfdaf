"""Administrators' export screens: ask for an export, follow its progress, download it.

Actions of the export snippet (``courses.wagtail_hooks``) on the shared bases of
:mod:`lms.admin_views`. The file is built by a Celery task (:mod:`courses.exports`);
these screens record the request, show the row count as it grows (the page refreshes
itself while the export is being prepared: a meta refresh, no script) and stream the
finished file to the administrator who asked for it, until it expires.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views import View

from courses.export_forms import RequestExportForm
from courses.exports import run_export_download_refusal, run_export_request, stream_file
from courses.models import ExportStatus, RunExport
from lms.admin_views import AdminFormView, AdminObjectMixin, AdminObjectView, AdminScreenMixin

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RequestExportView(AdminFormView):
    form_class = RequestExportForm
    submit_label = "Prepare the export"
    initial_from_query = ("run", "course", "kind")

    def perform(self, form):
        data = form.cleaned_data
        self.export = run_export_request(
            kind=data["kind"],
            file_format=data["file_format"],
            course=data["course"],
            run=data["run"],
            by=self.request.user,
        )
        return f"{self.export} is being prepared."

    def get_success_url(self):
        return self.sibling_url("export_progress", self.export.pk)


class _ExportMixin:
    def get_queryset(self):
        return RunExport.objects.select_related("course", "run", "requested_by")


class ExportProgressView(_ExportMixin, AdminObjectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        export = self.object
        refusal = run_export_download_refusal(export=export, user=self.request.user)
        context.update(
            export=export,
            settled=export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING),
            download_url=None if refusal else self.sibling_url("download", export.pk),
            download_refusal=refusal if export.status == ExportStatus.READY else None,
        )
        return context


class DownloadExportView(_ExportMixin, AdminObjectMixin, AdminScreenMixin, View):
    """The file, streamed from private storage — to its requester, before it expires."""

    def get(self, request, *args, **kwargs):
        export = self.object
        refusal = run_export_download_refusal(export=export, user=request.user)
        if refusal:
            expired = export.status == ExportStatus.EXPIRED or "expired" in refusal
            return TemplateResponse(
                request,
                "courses/admin/export_refused.html",
                {**self.get_context_data(), "refusal": refusal, "export": export},
                status=410 if expired else 403,
            )
        name = export.file.name.rsplit("/", 1)[-1]
        response = StreamingHttpResponse(stream_file(export), content_type=CONTENT_TYPES[export.file_format])
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response
