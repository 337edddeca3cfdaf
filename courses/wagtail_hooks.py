"""Admin registration for courses: faculty, runs, enrolments; and the document guard."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses import admin_bulk, admin_exports, admin_reports, admin_views
from courses.admin_page_views import FacultyReviewQueuePanel, StandardPageViewSet
from courses.completion import ReadCache, enrolments_progress
from courses.forms import CourseRunAdminForm
from courses.models import (
    BulkEnrolment,
    BulkEnrolmentStatus,
    CoursePage,
    CourseRun,
    CreditType,
    Endorsement,
    Enrolment,
    EnrolmentStatus,
    ExportStatus,
    FacultyMember,
    ModulePage,
    Reminder,
    RunExport,
    TranscriptEntry,
    WaitlistEntry,
)
from courses.reports import (
    enrolment_step_choices,
    enrolment_step_label,
    enrolments_at_step,
    enrolments_search,
)
from courses.selectors import (
    courses_for_choice,
    enrolment_withdraw_refusal,
    faculty_disclosures_may_confirm,
    modules_readable_by,
    runs_for_choice,
)
from lms.admin_policies import ActionPermissionPolicy, ServiceWrittenPermissionPolicy, refused_unless_status
from lms.admin_views import AdminAction, AdminActionIndexView, AdminActionsViewSetMixin
from lms.models import NotificationKind


def disclosure_status(member: FacultyMember) -> str:
    if member.disclosures_confirmed_on is None:
        return "⚠ Never confirmed"
    when = f"{member.disclosures_confirmed_on:%d %b %Y}"
    return f"⚠ Stale — last confirmed {when}" if member.disclosures_stale else f"Confirmed {when}"


def run_seats(run: CourseRun) -> str:
    return f"{run.seats_taken} / {run.capacity}"


register_permission_policy(
    FacultyMember,
    ActionPermissionPolicy(
        FacultyMember,
        actions={"confirm_disclosures": "courses.change_facultymember"},
        # The member confirms their own record; administrators anyone's.
        instance_rules={
            "confirm_disclosures": lambda user, member: faculty_disclosures_may_confirm(
                faculty_member=member, user=user
            )
        },
    ),
)


class FacultyMemberViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = FacultyMember
    admin_url_namespace = "courses_facultymember"
    icon = "user"
    menu_label = "Faculty"
    list_display = [
        "name",
        "credentials",
        "specialty",
        Column("disclosures", label="Disclosures", accessor=disclosure_status),
    ]
    search_fields = ["name", "specialty"]
    inspect_view_enabled = True
    admin_actions = (
        AdminAction(
            "confirm_disclosures",
            admin_views.ConfirmDisclosuresView,
            "Confirm disclosures are current",
            icon="tick",
            title="Confirm disclosures",
        ),
    )


register_permission_policy(Endorsement, ServiceWrittenPermissionPolicy(Endorsement))


class EndorsementViewSet(SnippetViewSet):
    """Who approved which revision of which page, question or quiz, and when: the
    accreditation record (with its own copy of the facts)."""

    model = Endorsement
    icon = "pick"
    menu_label = "Endorsements"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["object_title", "content_type", "revision", "approved_by_name", "approved_at", "comment"]
    list_filter = ["approved_at", "content_type"]
    list_export = [
        "object_title",
        "content_type",
        "object_id",
        "revision",
        "content_sha256",
        "approved_by_name",
        "approved_at",
        "comment",
    ]
    inspect_view_fields = [
        "object_title",
        "content_type",
        "object_id",
        "page",
        "revision",
        "content_sha256",
        "approved_by",
        "approved_by_name",
        "approved_at",
        "comment",
    ]
    ordering = ["-approved_at"]

    def get_queryset(self, request):
        return Endorsement.objects.select_related("content_type", "page", "revision", "approved_by")


register_permission_policy(
    CourseRun,
    ActionPermissionPolicy(
        CourseRun,
        actions={
            "schedule": "courses.add_courserun",
            # The dashboards show learners' progress: those who may see enrolments.
            "dashboard": "courses.view_enrolment",
            "course_dashboard": "courses.view_enrolment",
            # What learners said of the course: for the faculty who teach it, too.
            "evaluation": "courses.view_evaluation_report",
            "course_evaluation": "courses.view_evaluation_report",
        },
    ),
)


class CourseRunViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = CourseRun
    admin_url_namespace = "courses_courserun"
    icon = "date"
    menu_label = "Course runs"
    admin_actions = (
        AdminAction(
            "schedule", admin_views.ScheduleRunsView, "Schedule monthly runs", icon="date", on_object=False
        ),
        AdminAction(
            "dashboard",
            admin_reports.RunDashboardView,
            "Dashboard",
            icon="table",
            title="Run dashboard",
            priority=10,
        ),
        AdminAction(
            "course_dashboard",
            admin_reports.CourseDashboardView,
            "Course dashboard",
            icon="table",
            route="course-dashboard/<int:course_id>/",
            on_object=False,
            button=False,
        ),
        AdminAction(
            "evaluation",
            admin_reports.RunEvaluationReportView,
            "Evaluation report",
            icon="form",
            title="Course evaluation report",
            priority=20,
        ),
        AdminAction(
            "course_evaluation",
            admin_reports.CourseEvaluationReportView,
            "Course evaluation report",
            icon="form",
            route="course-evaluation/<int:course_id>/",
            on_object=False,
            button=False,
        ),
    )
    list_display = [
        "label",
        "course",
        "starts_on",
        "ends_on",
        Column("seats", label="Seats taken", accessor=run_seats),
        "enrolment_closes_at",
    ]
    list_filter = ["course", "starts_on"]
    list_export = ["course", "label", "starts_on", "ends_on", "capacity", "seats_taken"]
    ordering = ["-starts_on"]
    inspect_view_enabled = True
    copy_view_enabled = False

    edit_handler = ObjectList(
        [
            PageChooserPanel("course", "courses.CoursePage"),
            FieldPanel("label"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading="Dates"),
            FieldRowPanel(
                [FieldPanel("enrolment_opens_at"), FieldPanel("enrolment_closes_at")],
                heading="Enrolment window",
            ),
            FieldPanel("capacity"),
        ],
        base_form_class=CourseRunAdminForm,
    )


register_permission_policy(
    Enrolment,
    ServiceWrittenPermissionPolicy(
        Enrolment,
        actions={"enrol": "courses.add_enrolment", "withdraw": "courses.change_enrolment"},
        refusals={"withdraw": lambda enrolment: enrolment_withdraw_refusal(enrolment=enrolment)},
    ),
)


def enrolment_doctor(enrolment: Enrolment) -> str:
    profile = getattr(enrolment.learner, "doctor_profile", None)
    return profile.full_name if profile is not None and profile.full_name else enrolment.learner.email


def enrolment_council(enrolment: Enrolment) -> str:
    profile = getattr(enrolment.learner, "doctor_profile", None)
    return profile.council_display if profile is not None else "—"


def enrolment_registration_number(enrolment: Enrolment) -> str:
    profile = getattr(enrolment.learner, "doctor_profile", None)
    return profile.registration_number if profile is not None else "—"


class EnrolmentFilterSet(WagtailFilterSet):
    """The enrolment list's filters: run, course, status and step (the dashboard's own conditions)."""

    run = django_filters.ModelChoiceFilter(
        label="Run", queryset=lambda request: runs_for_choice(), field_name="run"
    )
    course = django_filters.ModelChoiceFilter(
        label="Course", queryset=lambda request: courses_for_choice(), field_name="run__course"
    )
    status = django_filters.ChoiceFilter(label="Status", choices=EnrolmentStatus.choices)
    step = django_filters.ChoiceFilter(label="Step", choices=enrolment_step_choices, method="filter_step")

    class Meta:
        model = Enrolment
        fields = ["run", "course", "status", "step"]

    def filter_step(self, queryset, name, value):
        return enrolments_at_step(queryset, value) if value else queryset


class EnrolmentIndexView(AdminActionIndexView):
    """The enrolment list: the doctor as certificates print them, where they are, searchable by
    name, e-mail or registration number (any spelling), in a constant number of queries."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return enrolments_search(queryset, self.search_query)

    def get_table(self, object_list):
        enrolments = list(object_list)
        progress = enrolments_progress(enrolments, ReadCache())
        for enrolment in enrolments:
            enrolment.step_label = enrolment_step_label(enrolment, progress[enrolment.pk])
        return super().get_table(enrolments)


class EnrolmentViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = Enrolment
    admin_url_namespace = "courses_enrolment"
    icon = "group"
    menu_label = "Enrolments"
    index_view_class = EnrolmentIndexView
    admin_actions = (
        AdminAction("enrol", admin_views.EnrolLearnerView, "Enrol a learner", icon="plus", on_object=False),
        AdminAction(
            "withdraw",
            admin_views.WithdrawEnrolmentView,
            "Withdraw",
            icon="cross",
            title="Withdraw enrolment",
        ),
    )
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        # A model method, so Wagtail makes it the row's title with the row's buttons (withdraw…).
        "doctor",
        Column("council", label="Council", accessor=enrolment_council),
        Column("registration_number", label="Registration number", accessor=enrolment_registration_number),
        "run",
        Column("step", label="Step", accessor="step_label"),
        "status",
        "enrolled_at",
    ]
    filterset_class = EnrolmentFilterSet
    list_per_page = 50
    list_export = ["learner", "run", "status", "enrolled_at", "completed_at", "withdrawn_at"]
    search_fields = ["learner__doctor_profile__full_name", "learner__email"]
    search_backend_name = None
    ordering = ["-enrolled_at"]
    inspect_view_fields = [
        "learner",
        "run",
        "status",
        "enrolled_at",
        "completed_at",
        "withdrawn_at",
        "last_activity_at",
    ]

    def get_queryset(self, request):
        return Enrolment.objects.select_related("learner", "learner__doctor_profile", "run", "run__course")


class CreditTypeViewSet(SnippetViewSet):
    """The kinds of credit courses designate (data, not code: councils differ)."""

    model = CreditType
    icon = "pick"
    menu_label = "Credit types"
    list_display = ["name", "awarding_body", "minutes_per_credit", "step", "renewal_cycle_years"]
    search_fields = ["name", "awarding_body"]
    copy_view_enabled = False


register_permission_policy(TranscriptEntry, ServiceWrittenPermissionPolicy(TranscriptEntry))


class TranscriptEntryViewSet(SnippetViewSet):
    """Every credit claimed, as recorded at the claim: the participation record accreditors audit."""

    model = TranscriptEntry
    icon = "list-ul"
    menu_label = "Credit claims"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "learner",
        "course_title",
        "run_label",
        "credit_type_name",
        "credits",
        "completed_on",
        "status",
    ]
    list_filter = ["credit_type", "completed_on", "status"]
    list_export = [
        "learner",
        "course_title",
        "provider",
        "run_label",
        "credit_type_name",
        "designated_max",
        "credits",
        "completed_on",
        "status",
    ]
    search_fields = None
    ordering = ["-completed_on", "-id"]

    def get_queryset(self, request):
        return TranscriptEntry.objects.select_related("learner")


register_permission_policy(
    RunExport,
    ServiceWrittenPermissionPolicy(
        RunExport,
        actions={
            # Asking for an export reads learners' records: those who may see enrolments.
            "request_export": "courses.view_enrolment",
            "export_progress": "courses.view_runexport",
            "download": "courses.view_runexport",
        },
        refusals={
            "download": refused_unless_status(
                ExportStatus.READY, lambda export: f"This export is {export.get_status_display().lower()}."
            )
        },
    ),
)


def export_progress(export: RunExport) -> str:
    total = f" of {export.rows_total}" if export.rows_total is not None else ""
    return f"{export.get_status_display()} — {export.rows_written}{total} rows"


class RunExportViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = RunExport
    admin_url_namespace = "courses_runexport"
    icon = "download"
    menu_label = "Exports"
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        Column("what", label="Export", accessor=str),
        "requested_by",
        "requested_at",
        Column("progress", label="Progress", accessor=export_progress),
        "expires_at",
    ]
    list_filter = ["status", "kind"]
    ordering = ["-requested_at"]
    admin_actions = (
        AdminAction(
            "request_export", admin_exports.RequestExportView, "New export", icon="download", on_object=False
        ),
        AdminAction(
            "export_progress",
            admin_exports.ExportProgressView,
            "Progress",
            icon="time",
            title="Export",
            priority=10,
        ),
        AdminAction("download", admin_exports.DownloadExportView, "Download", icon="download", priority=20),
    )

    def get_queryset(self, request):
        return RunExport.objects.select_related("course", "run", "requested_by")


register_permission_policy(
    BulkEnrolment,
    ServiceWrittenPermissionPolicy(
        BulkEnrolment,
        actions={
            # Enrolling a hospital's list is an administrator's decision.
            "bulk_upload": "courses.add_bulkenrolment",
            "bulk_preview": "courses.add_bulkenrolment",
            "bulk_progress": "courses.view_bulkenrolment",
        },
        refusals={
            "bulk_preview": refused_unless_status(
                BulkEnrolmentStatus.PREVIEW,
                "This file has been confirmed already: its progress and results are on its own page.",
            )
        },
    ),
)


def bulk_progress(bulk: BulkEnrolment) -> str:
    return f"{bulk.get_status_display()} — {bulk.rows_done} of {bulk.rows_total} rows"


class BulkEnrolmentViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = BulkEnrolment
    admin_url_namespace = "courses_bulkenrolment"
    icon = "upload"
    menu_label = "Bulk enrolment"
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        Column("what", label="File", accessor=str),
        "uploaded_by",
        "uploaded_at",
        Column("progress", label="Progress", accessor=bulk_progress),
    ]
    list_filter = ["status", "run"]
    ordering = ["-uploaded_at"]
    admin_actions = (
        AdminAction(
            "bulk_upload",
            admin_bulk.UploadBulkEnrolmentView,
            "Upload a CSV file",
            icon="upload",
            on_object=False,
        ),
        AdminAction(
            "bulk_preview",
            admin_bulk.BulkPreviewView,
            "Check and confirm",
            icon="tick",
            title="Check the file",
        ),
        AdminAction(
            "bulk_progress",
            admin_bulk.BulkProgressView,
            "Progress",
            icon="time",
            title="Bulk enrolment",
            priority=10,
        ),
    )

    def get_queryset(self, request):
        return BulkEnrolment.objects.select_related("run", "run__course", "uploaded_by").defer(
            "rows", "results"
        )


register_permission_policy(WaitlistEntry, ServiceWrittenPermissionPolicy(WaitlistEntry))


def waitlist_offer(entry: WaitlistEntry) -> str:
    if entry.offer_expires_at and entry.status == "offered":
        return f"Held until {entry.offer_expires_at:%d %b %Y, %H:%M}"
    return ""


class WaitlistEntryViewSet(SnippetViewSet):
    """Each run's queue: who waits, in which order, who holds an offered seat until when."""

    model = WaitlistEntry
    icon = "list-ol"
    menu_label = "Waitlists"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("doctor", label="Doctor", accessor=lambda entry: entry.learner.display_name),
        Column("email", label="E-mail", accessor=lambda entry: entry.learner.email),
        "run",
        "status",
        "joined_at",
        Column("offer", label="Offer", accessor=waitlist_offer),
    ]
    list_filter = ["run", "status"]
    list_export = ["learner", "run", "status", "joined_at", "offered_at", "offer_expires_at", "closed_at"]
    search_fields = None
    ordering = ["run", "joined_at", "id"]

    def get_queryset(self, request):
        return WaitlistEntry.objects.select_related(
            "learner", "learner__doctor_profile", "run", "run__course"
        )


register_permission_policy(Reminder, ServiceWrittenPermissionPolicy(Reminder))


def reminder_doctor(reminder: Reminder) -> str:
    return enrolment_doctor(reminder.enrolment)


class ReminderViewSet(SnippetViewSet):
    """Every reminder the sweep recorded (courses.reminders): whom, which kind, sent or not, when."""

    model = Reminder
    admin_url_namespace = "courses_reminder"
    icon = "mail"
    menu_label = "Reminders"
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        Column("doctor", label="Doctor", accessor=reminder_doctor),
        Column("run", label="Run", accessor=lambda reminder: str(reminder.enrolment.run)),
        Column("kind", label="Reminder", accessor=lambda reminder: NotificationKind(reminder.kind).label),
        "status",
        "created_at",
        "sent_at",
    ]
    list_filter = ["kind", "status", "created_at"]
    list_per_page = 50
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return Reminder.objects.select_related("enrolment__learner__doctor_profile", "enrolment__run__course")


class AcademyGroup(SnippetViewSetGroup):
    menu_label = "Academy"
    menu_icon = "group"
    menu_order = 150
    items = (
        CourseRunViewSet,
        EnrolmentViewSet,
        BulkEnrolmentViewSet,
        WaitlistEntryViewSet,
        RunExportViewSet,
        ReminderViewSet,
        FacultyMemberViewSet,
        EndorsementViewSet,
        CreditTypeViewSet,
        TranscriptEntryViewSet,
    )


register_snippet(AcademyGroup)


@hooks.register("register_admin_viewset")
def register_standard_page_editors():
    """The module and course editors speak the content standard's refusals plainly."""
    return [
        StandardPageViewSet("module_page_editor", model=ModulePage),
        StandardPageViewSet("course_page_editor", model=CoursePage),
    ]


@hooks.register("construct_homepage_panels")
def faculty_review_queue(request, panels):
    """The board's review queue names each page's course and its standing against the standard."""
    panels[:] = [
        FacultyReviewQueuePanel() if getattr(panel, "name", None) == FacultyReviewQueuePanel.name else panel
        for panel in panels
    ]


@hooks.register("register_log_actions")
def register_course_log_actions(actions):
    actions.register_action("courses.withdraw", "Withdraw enrolment", "Enrolment withdrawn")
    actions.register_action("courses.request_export", "Request export", "Export requested")
    actions.register_action("courses.bulk_upload", "Upload enrolment file", "Enrolment file uploaded")
    actions.register_action("courses.bulk_confirm", "Confirm bulk enrolment", "Bulk enrolment confirmed")
    actions.register_action("courses.waitlist_remove", "Remove from waitlist", "Removed from the waitlist")
    actions.register_action(
        "courses.confirm_disclosures", "Confirm disclosures", "Disclosures confirmed as current"
    )


@hooks.register("before_serve_document")
def guard_module_documents(document, request):
    """A document used in a module is served only to those who may read that module.

    Documents used nowhere else stay public (a brochure linked from a course overview).
    """
    module_type = ContentType.objects.get_for_model(ModulePage)
    module_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(content_type=module_type)
        .values_list("object_id", flat=True)
    }
    if not module_ids or modules_readable_by(user=request.user, module_ids=module_ids):
        return None
    return TemplateResponse(request, "courses/document_locked.html", {"document": document}, status=403)


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def mark_role_holders_as_staff(request, user):
    """Accounts with an admin role are staff; learners never are (see lms.services)."""
    from lms.services import user_sync_staff_flag

    user_sync_staff_flag(user=user)


def _evaluation_report_button(page, user, priority: int):
    """The course's evaluation report, from its page in the admin: the way in for the faculty,
    who read the reports but do not manage runs (and so have no run listing)."""
    from wagtail.admin.widgets import Button

    if not issubclass(page.specific_class or type(page), CoursePage):
        return None
    if not policy_registry.get_by_type(CourseRun).user_has_permission(user, "course_evaluation"):
        return None
    return Button(
        "Evaluation report",
        reverse("courses_courserun:course_evaluation", args=[page.pk]),
        icon_name="form",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def course_evaluation_listing_button(page, user, next_url=None):
    button = _evaluation_report_button(page, user, priority=70)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def course_evaluation_header_button(page, user, view_name, next_url=None):
    button = _evaluation_report_button(page, user, priority=80)
    if button is not None:
        yield button
