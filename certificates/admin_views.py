"""Wagtail admin screens for certificates: issue by hand, revoke, reissue, retry, bulk issue, ZIP.

Each screen checks a permission, parses a form, calls one service and reports back; the
services write the audit log.
"""

from __future__ import annotations

import zipfile

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

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
from lms.admin_policies import require_permission
from lms.exceptions import DomainError


def _inspect_url(certificate: Certificate) -> str:
    return reverse("wagtailsnippets_certificates_certificate:inspect", args=[certificate.pk])


def _run(run_id: int):
    run = course_run_get(run_id=run_id)
    if run is None:
        raise Http404("No such run.")
    return run


def _certificate(pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("enrolment__learner", "enrolment__run__course"), pk=pk
    )


def issue_manually(request):
    require_permission(request, "certificates.issue_certificate")
    form = IssueManuallyForm(request.POST or None, initial={"run": request.GET.get("run")})
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_issue_manually(
                enrolment=form.cleaned_data["enrolment"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Certificate {certificate.serial} is being prepared.")
            return redirect(_inspect_url(certificate))
    return TemplateResponse(
        request,
        "certificates/admin/issue_manually.html",
        {"form": form, "page_title": "Issue a certificate", "header_icon": "doc-full"},
    )


def revoke(request, pk: int):
    require_permission(request, "certificates.revoke_certificate")
    certificate = _certificate(pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate,
                by=request.user,
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Certificate {certificate.serial} is revoked.")
            return redirect(_inspect_url(certificate))
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {
            "form": form,
            "certificate": certificate,
            "page_title": f"Revoke {certificate}",
            "header_icon": "cross",
        },
    )


def reissue(request, pk: int):
    require_permission(request, "certificates.issue_certificate")
    certificate = _certificate(pk)
    form = ReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = certificate_reissue(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Certificate {new.serial} replaces {certificate.serial}; it is being prepared."
            )
            return redirect(_inspect_url(new))
    return TemplateResponse(
        request,
        "certificates/admin/reissue.html",
        {
            "form": form,
            "certificate": certificate,
            "page_title": f"Reissue {certificate}",
            "header_icon": "repeat",
        },
    )


def retry(request, pk: int):
    require_permission(request, "certificates.issue_certificate")
    certificate = _certificate(pk)
    if request.method != "POST":
        return redirect(_inspect_url(certificate))
    try:
        certificate_retry(certificate=certificate, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Certificate {certificate.serial} is queued for rendering again.")
    return redirect(_inspect_url(certificate))


def bulk_issue(request):
    require_permission(request, "certificates.issue_certificate")
    form = BulkIssueForm(request.POST or None, initial={"run": request.GET.get("run")})
    if request.method == "POST" and form.is_valid():
        run = form.cleaned_data["run"]
        result = certificates_bulk_issue(run=run, by=request.user)
        messages.success(
            request,
            f"{run}: {result.requested} certificate(s) requested, {result.retried} failed one(s) retried, "
            f"{result.already_valid} already had one, {result.skipped_revoked} revoked left alone.",
        )
        for error in result.errors:
            messages.error(request, error)
        return redirect("certificates_run_progress", run_id=run.pk)
    return TemplateResponse(
        request,
        "certificates/admin/bulk_issue.html",
        {"form": form, "page_title": "Bulk-issue certificates for a run", "header_icon": "doc-full"},
    )


def run_progress(request, run_id: int):
    require_permission(request, "certificates.view_certificate")
    run = _run(run_id)
    progress = run_certificate_progress(run=run)
    return TemplateResponse(
        request,
        "certificates/admin/run_progress.html",
        {
            "run": run,
            "progress": progress,
            "list_url": f"{reverse('wagtailsnippets_certificates_certificate:list')}?run={run.pk}",
            "page_title": f"Certificates: {run}",
            "header_icon": "doc-full",
        },
    )


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


def run_zip(request, run_id: int):
    """Every issued PDF of a run in one ZIP, streamed from storage as it is built."""
    require_permission(request, "certificates.download_any_certificate")
    run = _run(run_id)
    certificates = run_issued_certificates(run=run)
    if not certificates.exists():
        raise Http404("This run has no issued certificates yet.")
    filename = f"certificates-{slugify(run.course.title)}-{slugify(run.label)}.zip"
    response = StreamingHttpResponse(_zip_stream(certificates), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
