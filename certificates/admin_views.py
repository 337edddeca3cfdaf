"""Administrators' certificate screens: issue by hand, bulk-issue a run and follow its
progress, download a run's PDFs, revoke, reissue, retry.

They are actions of the certificate snippet (``certificates.wagtail_hooks``), on the
shared bases of :mod:`lms.admin_views`: each parses its form, calls one service (which
writes the audit log) and reports. Who may use them is the certificate's permission
policy; whether one applies to a certificate is
:func:`certificates.selectors.certificate_action_refusal`, which the services obey too.
"""

from __future__ import annotations

import zipfile

from django.http import Http404, StreamingHttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views import View
from wagtail.admin import messages

from certificates.forms import BulkIssueForm, IssueManuallyForm, ReissueForm, RevokeForm
from certificates.models import Certificate
from certificates.selectors import run_certificate_progress, run_issued_certificates
from certificates.services import (
    certificate_issue_manually,
    certificate_reissue,
    certificate_retry,
    certificate_revoke,
    certificates_bulk_issue,
)
from courses.api import course_run_get
from lms.admin_views import AdminFormView, AdminObjectFormView, AdminScreenMixin, AdminTemplateView


class CertificateActionView(AdminObjectFormView):
    """An action on one certificate, shown with its holder, course and run."""

    def get_queryset(self):
        return Certificate.objects.select_related("enrolment__learner", "enrolment__run__course")


class RevokeView(CertificateActionView):
    form_class = RevokeForm
    help_kind = "warning"
    submit_label = "Revoke certificate"
    submit_classname = "serious"

    def perform(self, form):
        certificate_revoke(
            certificate=self.object,
            by=self.request.user,
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
        )
        return f"Certificate {self.object.serial} is revoked."


class ReissueView(CertificateActionView):
    form_class = ReissueForm
    submit_label = "Reissue certificate"
    replacement: Certificate | None = None

    def perform(self, form):
        self.replacement = certificate_reissue(
            certificate=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return f"Certificate {self.replacement.serial} replaces {self.object.serial}; it is being prepared."

    def get_success_url(self):
        return self.url_for(self.replacement) or super().get_success_url()


class RetryView(CertificateActionView):
    submit_label = "Retry rendering"

    def perform(self, form):
        certificate_retry(certificate=self.object, by=self.request.user)
        return f"Certificate {self.object.serial} is queued for rendering again."


class IssueManuallyView(AdminFormView):
    form_class = IssueManuallyForm
    submit_label = "Issue certificate"
    initial_from_query = ("run",)
    issued: Certificate | None = None

    def perform(self, form):
        self.issued = certificate_issue_manually(
            enrolment=form.cleaned_data["enrolment"], by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return f"Certificate {self.issued.serial} is being prepared."

    def get_success_url(self):
        return self.url_for(self.issued) or super().get_success_url()


class BulkIssueView(AdminFormView):
    form_class = BulkIssueForm
    submit_label = "Issue certificates"
    initial_from_query = ("run",)

    def perform(self, form):
        self.run = form.cleaned_data["run"]
        result = certificates_bulk_issue(run=self.run, by=self.request.user)
        for error in result.errors:
            messages.error(self.request, error)
        return (
            f"{self.run}: {result.requested} certificate(s) requested, {result.retried} failed one(s) retried, "
            f"{result.already_valid} already had one, {result.skipped_revoked} revoked left alone."
        )

    def get_success_url(self):
        return self.sibling_url("run_progress", self.run.pk)


class _RunScreen:
    """A screen about the certificates of one course run (``run_id`` in the URL)."""

    @cached_property
    def run(self):
        run = course_run_get(run_id=self.kwargs["run_id"])
        if run is None:
            raise Http404("No such run.")
        return run


class RunProgressView(_RunScreen, AdminTemplateView):
    """How far a run's certificates are: issued, being prepared, failed (refreshes while any is pending)."""

    def get_page_subtitle(self):
        return str(self.run)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = run_certificate_progress(run=self.run)
        may_download = self.permission_policy.user_has_permission(self.request.user, "run_zip")
        context.update(
            run=self.run,
            progress=progress,
            list_url=f"{self.index_url}?run={self.run.pk}" if self.index_url else None,
            zip_url=self.sibling_url("run_zip", self.run.pk) if may_download and progress.issued else None,
        )
        return context


class _ZipSink:
    """A write-only file for :mod:`zipfile` whose bytes a streaming response drains."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def _zip_stream(certificates):
    sink = _ZipSink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates.iterator():
            name = f"{certificate.serial}-{slugify(certificate.holder_name)[:60] or 'certificate'}.pdf"
            with (
                certificate.pdf.open("rb") as source,
                archive.open(name, mode="w", force_zip64=True) as target,
            ):
                while chunk := source.read(64 * 1024):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()


class RunZipView(_RunScreen, AdminScreenMixin, View):
    """Every issued PDF of a run in one ZIP, streamed from storage as it is built."""

    def get(self, request, *args, **kwargs):
        certificates = run_issued_certificates(run=self.run)
        if not certificates.exists():
            raise Http404("This run has no issued certificates yet.")
        filename = f"certificates-{slugify(self.run.course.title)}-{slugify(self.run.label)}.zip"
        response = StreamingHttpResponse(_zip_stream(certificates), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        response["Cache-Control"] = "private, no-store"
        return response
