"""Admin registration for certificates and signatories.

Certificates are written only by their services: the snippet lists and inspects them, and
its actions (:mod:`certificates.admin_views`) issue, revoke, reissue and retry. The
permission policy below says who may use each action; whether one applies to a
certificate is :func:`certificates.selectors.certificate_action_refusal`.
"""

from functools import partial

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from certificates import admin_views
from certificates.choosers import SignatureImageChooser, signature_chooser_viewset
from certificates.forms import SignatoryAdminForm
from certificates.models import Certificate, CertificateStatus, Signatory
from certificates.selectors import CERTIFICATE_ACTIONS, certificate_action_refusal, certificate_trail
from courses.api import courses_for_choice, runs_for_choice
from lms.admin_policies import ServiceWrittenPermissionPolicy
from lms.admin_views import AdminAction, AdminActionInspectView, AdminActionsViewSetMixin

# --- Certificates -----------------------------------------------------------------------------

ISSUE = "certificates.issue_certificate"
DOWNLOAD = "certificates.download_any_certificate"


def _refusal(certificate: Certificate, *, action: str) -> str | None:
    return certificate_action_refusal(certificate=certificate, action=action)


register_permission_policy(
    Certificate,
    ServiceWrittenPermissionPolicy(
        Certificate,
        actions={
            "issue": ISSUE,
            "bulk_issue": ISSUE,
            "reissue": ISSUE,
            "retry": ISSUE,
            "revoke": "certificates.revoke_certificate",
            "download": DOWNLOAD,
            "run_zip": DOWNLOAD,
            "run_progress": "certificates.view_certificate",
        },
        refusals={action: partial(_refusal, action=action) for action in CERTIFICATE_ACTIONS},
    ),
)


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CertificateStatus.choices)
    course = django_filters.ModelChoiceFilter(
        field_name="enrolment__run__course", queryset=courses_for_choice(), label="Course"
    )
    run = django_filters.ModelChoiceFilter(
        field_name="enrolment__run", queryset=runs_for_choice(), label="Run"
    )
    issued_at = django_filters.DateFromToRangeFilter(label="Issued", widget=DateRangePickerWidget)
    requested_at = django_filters.DateFromToRangeFilter(label="Requested", widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = []


def _holder(certificate: Certificate) -> str:
    return certificate.holder_name or certificate.enrolment.learner.display_name


def _run(certificate: Certificate) -> str:
    return str(certificate.enrolment.run)


class CertificateInspectView(AdminActionInspectView):
    template_name = "certificates/admin/certificate_inspect.html"

    def get_object(self, queryset=None):
        return Certificate.objects.select_related(
            "enrolment__learner",
            "enrolment__run__course",
            "requested_by",
            "revoked_by",
            "supersedes",
            "superseded_by",
        ).filter(pk=self.pk).first() or super().get_object(queryset)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.action_allowed("download", self.object):
            buttons.append(
                Button(
                    "Download PDF",
                    url=reverse("certificate_download", args=[self.object.pk]),
                    icon_name="download",
                    priority=10,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit_trail"] = (
            ModelLogEntry.objects.for_instance(self.object)
            .select_related("user")
            .order_by("-timestamp", "-id")
        )
        context["trail"] = certificate_trail(certificate=self.object)
        context["retry_url"] = (
            self.action_url("retry", self.object) if self.action_allowed("retry", self.object) else None
        )
        return context


class CertificateViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Certificates"
    inspect_view_class = CertificateInspectView
    admin_actions = (
        AdminAction(
            "issue", admin_views.IssueManuallyView, "Issue a certificate", icon="plus", on_object=False
        ),
        AdminAction(
            "bulk_issue",
            admin_views.BulkIssueView,
            "Bulk-issue for a run",
            icon="doc-full",
            title="Bulk-issue certificates for a run",
            on_object=False,
        ),
        AdminAction(
            "run_progress",
            admin_views.RunProgressView,
            "Certificates of a run",
            on_object=False,
            route="runs/<int:run_id>/",
            button=False,
        ),
        AdminAction(
            "run_zip",
            admin_views.RunZipView,
            "Download the run's PDFs",
            on_object=False,
            route="runs/<int:run_id>/certificates.zip",
            button=False,
        ),
        AdminAction("reissue", admin_views.ReissueView, "Reissue", icon="repeat", priority=20),
        AdminAction("revoke", admin_views.RevokeView, "Revoke", icon="cross", priority=30),
        AdminAction("retry", admin_views.RetryView, "Retry rendering", icon="repeat", priority=20),
    )
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "holder_name", "enrolment__learner__email"]
    search_backend_name = None
    ordering = ["-requested_at"]
    list_display = [
        "serial",
        Column("holder", label="Holder", accessor=_holder),
        Column("run", label="Course and run", accessor=_run),
        "status",
        "issued_at",
    ]
    list_export = [
        "serial",
        "status",
        "holder_name",
        "registration_number",
        "course_title",
        "run_label",
        "cme_credit_hours",
        "completed_on",
        "issued_at",
        "revoked_at",
        "revocation_reason",
        "pdf_sha256",
        "last_error",
    ]
    inspect_view_fields = [
        "serial",
        "status",
        "enrolment",
        "holder_name",
        "council",
        "registration_number",
        "course_title",
        "track",
        "run_label",
        "cme_credit_hours",
        "completed_on",
        "signatories",
        "verification_code",
        "pdf_sha256",
        "requested_at",
        "requested_by",
        "request_reason",
        "issued_at",
        "emailed_at",
        "render_attempts",
        "render_ms",
        "last_error",
        "failed_at",
        "supersedes",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "revocation_note",
    ]

    def get_queryset(self, request):
        return Certificate.objects.select_related(
            "enrolment__learner__doctor_profile", "enrolment__run__course"
        )


class SignatoryViewSet(SnippetViewSet):
    """Signatories and their signatures: academy administrators only (the roles migration
    grants them, and the "Certificate signatures" collection, to nobody else). Wagtail's
    audit log records every change, and each certificate's snapshot the SHA-256 of the
    signature it printed."""

    model = Signatory
    icon = "edit"
    menu_label = "Signatories"
    list_display = ["name", "title", "sort_order", "active"]
    list_filter = ["active"]
    search_fields = ["name", "title"]
    search_backend_name = None
    ordering = ["sort_order", "id"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("title"),
            FieldPanel("signature", widget=SignatureImageChooser),
            FieldPanel("sort_order"),
            FieldPanel("active"),
        ],
        base_form_class=SignatoryAdminForm,
    )


class CertificatesGroup(SnippetViewSetGroup):
    menu_label = "Certificates"
    menu_icon = "doc-full"
    menu_order = 170
    items = (CertificateViewSet, SignatoryViewSet)


register_snippet(CertificatesGroup)


@hooks.register("register_admin_viewset")
def register_signature_chooser():
    return signature_chooser_viewset


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action("certificates.issue", "Issue certificate", "Certificate rendered and issued")
    actions.register_action(
        "certificates.issue_manually", "Issue certificate by hand", "Certificate issued by hand"
    )
    actions.register_action("certificates.bulk_issue", "Bulk-issue certificates", "Certificates bulk-issued")
    actions.register_action("certificates.revoke", "Revoke certificate", "Certificate revoked")
    actions.register_action("certificates.reissue", "Reissue certificate", "Certificate reissued")
    actions.register_action(
        "certificates.supersede", "Supersede certificate", "Certificate superseded by a reissue"
    )
    actions.register_action("certificates.retry", "Retry certificate", "Certificate render retried")
    actions.register_action("certificates.fail", "Certificate failed", "Certificate failed to render")


@hooks.register("lms_seed_demo")
def seed_demo_signatories(seeder):
    from certificates.demo import render_demo_certificates, seed_signatories

    seed_signatories(seeder=seeder)
    render_demo_certificates(seeder=seeder)
