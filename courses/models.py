"""The catalogue (Wagtail pages), monthly course runs, enrolments and progress.

Page tree: ``HomePage`` → ``CourseIndexPage`` (the catalogue) → ``CoursePage`` →
``ModulePage``. Runs, enrolments and module completions are plain Django models that
point at pages by id, so republishing a page never touches them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Orderable, Page
from wagtail.search import index

from courses.blocks import RICH_TEXT_FEATURES, LearningObjectivesBlock, ModuleBodyBlock
from courses.page_forms import CoursePageForm, ModulePageForm
from courses.standards import COURSE_FIELD_RULES, MODULE_FIELD_RULES


class Track(models.TextChoices):
    ACUTE = "acute", "Acute pain"
    CHRONIC = "chronic", "Chronic pain"
    CANCER = "cancer", "Cancer pain"
    MULTIDISCIPLINARY = "multidisciplinary", "Multidisciplinary"


# --- Pages -----------------------------------------------------------------------------


class RoutedPageMixin:
    """Wagtail's view-restriction check without its two queries when routing found none.

    ``courses.routing.route_below_home`` annotates the page it serves with
    ``view_restrictions_possible``; a page loaded any other way has no such attribute and
    gets Wagtail's own answer.
    """

    def get_view_restrictions(self):
        if getattr(self, "view_restrictions_possible", True):
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction

        return PageViewRestriction.objects.none()


class EndorsedPageMixin:
    """The date the Faculty of Pain Medicine endorsed the revision learners see, if it did,
    and what the content standard finds wrong with a version of the page."""

    def endorsement_problems(self) -> list[str]:
        """The content standard's objections to this version (empty when it may be endorsed).

        Called on a revision's content (``revision.as_object()``) by
        :class:`EndorsementTask`; the rules are :func:`courses.services.endorsement_problems_of_page`.
        """
        from courses.services import endorsement_problems_of_page

        return endorsement_problems_of_page(self)

    @cached_property
    def endorsed_at(self):
        if hasattr(self, "endorsed_at_annotated"):
            return self.endorsed_at_annotated
        if not self.live_revision_id:
            return None
        return (
            Endorsement.objects.filter(page_id=self.pk, revision_id=self.live_revision_id)
            .order_by("-approved_at")
            .values_list("approved_at", flat=True)
            .first()
        )


class HomePage(Page):
    """The academy's front page."""

    hero_heading = models.CharField(max_length=150)
    hero_text = models.TextField(max_length=600)
    about = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        FieldPanel("about"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1
    template = "courses/home_page.html"

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        from courses.routing import route_below_home

        return route_below_home(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses(track=None)[:4]
        context["tracks"] = Track
        context["catalogue"] = CourseIndexPage.objects.live().first()
        return context


class CourseIndexPage(RoutedPageMixin, Page):
    """The catalogue: every live course, filterable by track."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    template = "courses/course_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_courses

        context = super().get_context(request, *args, **kwargs)
        track = request.GET.get("track")
        if track not in Track.values:
            track = None
        context["selected_track"] = track
        context["tracks"] = Track
        context["courses"] = catalogue_courses(track=track, index=self)
        return context


class DisclosureRelationship(models.TextChoices):
    CONSULTANT = "consultant", "Consultant or advisory board"
    SPEAKER = "speaker", "Speaker's bureau or paid lectures"
    RESEARCH = "research", "Research grant or funding"
    EQUITY = "equity", "Stock, shares or ownership"
    EMPLOYEE = "employee", "Employment"
    ROYALTIES = "royalties", "Royalties or patents"
    OTHER = "other", "Other financial relationship"


class FacultyMember(index.Indexed, ClusterableModel):
    """A member of the faculty: an author, a course director or an endorser.

    Disclosures of financial relationships are confirmed at least yearly; a stale
    confirmation blocks submitting content this person authors for endorsement.
    """

    name = models.CharField(max_length=150)
    credentials = models.CharField(max_length=150, blank=True, help_text="e.g. MD, DNB, FIPP")
    specialty = models.CharField(max_length=150, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = RichTextField(features=["bold", "italic", "link"], blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faculty_profiles",
        help_text="The admin account of this faculty member, if they author in the admin.",
    )
    disclosures_confirmed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When this person last confirmed their disclosures are complete and current.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("specialty"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
        InlinePanel(
            "disclosures",
            label="Financial relationships",
            help_text="Relationships with companies in the last 24 months. Leave empty if there is nothing to disclose.",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("specialty"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "faculty member"

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def disclosures_stale(self) -> bool:
        from courses.standards import disclosure_is_stale

        return disclosure_is_stale(self.disclosures_confirmed_on, timezone.localdate())


class FacultyDisclosure(Orderable):
    faculty_member = ParentalKey(FacultyMember, on_delete=models.CASCADE, related_name="disclosures")
    company = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=DisclosureRelationship.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Leave empty if ongoing.")

    panels = [
        FieldPanel("company"),
        FieldPanel("relationship"),
        FieldRowPanel([FieldPanel("started_on"), FieldPanel("ended_on")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "financial relationship"

    def __str__(self) -> str:
        return f"{self.company} ({self.get_relationship_display()})"


class CourseFaculty(Orderable):
    course = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="faculty_links")
    faculty_member = models.ForeignKey(FacultyMember, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=80, default="Faculty", help_text="e.g. Course director, Author")

    panels = [FieldPanel("faculty_member"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = "faculty member"
        verbose_name_plural = "faculty"


# A certificate prints at most this many credit types (with their statements) on its one page.
DESIGNATED_CREDITS_MAX = 3


class CreditType(models.Model):
    """A kind of credit a council or accreditor awards, as data an administrator edits.

    "AMA PRA Category 1 Credit™" (one credit per hour, claimed in quarter hours), "State
    Medical Council CPD credit hours", … The certificate prints the awarding body and the
    accreditation statement; the transcript totals a type over its renewal cycle.
    """

    # The lengths are what a certificate holds for three credit types beside the longest
    # names the other fields allow (tests/certificates/test_claimed_credits.py renders it).
    name = models.CharField(
        max_length=100, unique=True, help_text="As printed, e.g. “AMA PRA Category 1 Credit™”."
    )
    awarding_body = models.CharField(max_length=120, help_text="e.g. “Karnataka Medical Council”.")
    accreditation_statement = models.TextField(
        max_length=400,
        help_text="Printed on every certificate that claims this credit, word for word as the accreditor requires.",
    )
    minutes_per_credit = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="60 for one credit an hour.",
    )
    step = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Credit is claimed in whole steps: 0.25 for quarter hours.",
    )
    renewal_cycle_years = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="The renewal cycle the transcript totals over (NMC: five years).",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("awarding_body"),
        FieldPanel("accreditation_statement"),
        FieldRowPanel(
            [FieldPanel("minutes_per_credit"), FieldPanel("step"), FieldPanel("renewal_cycle_years")]
        ),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_per_credit__gt=0), name="credit_type_minutes_positive"
            ),
            models.CheckConstraint(condition=Q(step__gt=0), name="credit_type_step_positive"),
            models.CheckConstraint(condition=Q(renewal_cycle_years__gt=0), name="credit_type_cycle_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class DesignatedCredit(Orderable):
    """The most credit of one type a learner may claim for a course, designated before a run opens."""

    course = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="designated_credits")
    credit_type = models.ForeignKey(CreditType, on_delete=models.PROTECT, related_name="+")
    max_credits = models.DecimalField(
        "maximum credits",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="A whole number of the credit type's steps, e.g. 6.00 or 5.25.",
    )

    panels = [FieldPanel("credit_type"), FieldPanel("max_credits")]

    class Meta(Orderable.Meta):
        verbose_name = "designated credit"
        constraints = [
            models.UniqueConstraint(fields=["course", "credit_type"], name="one_designation_per_credit_type"),
            models.CheckConstraint(condition=Q(max_credits__gt=0), name="designated_credit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.max_credits} {self.credit_type}"


class CoursePage(RoutedPageMixin, EndorsedPageMixin, Page):
    """A course: its overview is public; its modules are for enrolled learners."""

    summary = models.TextField(max_length=400, help_text="One or two sentences for the catalogue.")
    description = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    track = models.CharField(max_length=20, choices=Track.choices)
    objectives = StreamField(LearningObjectivesBlock(), blank=True)
    cme_credit_hours = models.DecimalField(
        "CME credit hours", max_digits=4, decimal_places=1, null=True, blank=True
    )
    estimated_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(
        max_length=250,
        blank=True,
        help_text="Who the course is for, e.g. “Anaesthesiologists and physicians”.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("track", help_text=COURSE_FIELD_RULES["track"]),
        FieldPanel("description"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("cme_credit_hours", help_text=COURSE_FIELD_RULES["cme_credit_hours"]),
                FieldPanel("estimated_hours"),
                FieldPanel("audience"),
            ],
            heading="Credits and effort",
        ),
        FieldPanel("hero_image"),
        InlinePanel("faculty_links", label="Faculty", help_text=COURSE_FIELD_RULES["faculty_links"]),
        InlinePanel(
            "designated_credits",
            label="Designated credit",
            max_num=DESIGNATED_CREDITS_MAX,
            heading="Designated credit (accredited courses)",
            help_text=COURSE_FIELD_RULES["designated_credits"],
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("track"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.CourseEvaluationPage"]
    template = "courses/course_page.html"
    base_form_class = CoursePageForm

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        # Other apps' sections (assessments, certificates) come as overview.panels.
        context["overview"] = course_overview(course=self, user=request.user, request=request)
        return context


class ModulePage(RoutedPageMixin, EndorsedPageMixin, Page):
    """A module of a course. Its content is served only to learners with access."""

    summary = models.TextField(max_length=400, blank=True)
    objectives = StreamField(LearningObjectivesBlock(), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    body = StreamField(ModuleBodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes", help_text=MODULE_FIELD_RULES["estimated_minutes"]),
        FieldPanel("objectives", help_text=MODULE_FIELD_RULES["objectives"]),
        FieldPanel("body", help_text=MODULE_FIELD_RULES["body"]),
        InlinePanel("module_authors", label="Authors", help_text=MODULE_FIELD_RULES["module_authors"]),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/module_page.html"
    base_form_class = ModulePageForm

    def serve(self, request, *args, **kwargs):
        from courses.views import serve_module

        return serve_module(request, self)

    def get_preview_context(self, request, mode_name):
        from courses.views import module_preview_context

        return module_preview_context(request, self)


class ModuleAuthor(Orderable):
    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="module_authors")
    faculty_member = models.ForeignKey(FacultyMember, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("faculty_member")]

    class Meta(Orderable.Meta):
        verbose_name = "author"


class EvaluationField(AbstractFormField):
    """One question of a course evaluation (Wagtail's form builder: faculty edit them)."""

    page = ParentalKey("courses.CourseEvaluationPage", on_delete=models.CASCADE, related_name="form_fields")


class CourseEvaluationPage(AbstractForm):
    """The course evaluation accreditors require: relevance, objectives met, intent to change
    practice, commercial bias, free text. Built with Wagtail's form builder under the course.

    Learners reach it once the modules and the post-test are done; one submission per
    enrolment (:func:`courses.services.evaluation_submit`), stored with the enrolment.
    """

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = AbstractForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Questions"),
        FieldPanel("thank_you_text"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "courses/course_evaluation_page.html"
    landing_page_template = "courses/course_evaluation_page.html"

    class Meta:
        verbose_name = "course evaluation"

    def get_submission_class(self):
        return EvaluationSubmission

    def serve(self, request, *args, **kwargs):
        from courses.views import serve_evaluation

        return serve_evaluation(request, self)


class EvaluationSubmission(AbstractFormSubmission):
    """A learner's answers to a course evaluation: one per enrolment, kept with it."""

    enrolment = models.OneToOneField(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="evaluation_submission"
    )

    class Meta:
        verbose_name = "evaluation submission"
        permissions = [("view_evaluation_report", "Can read course evaluation reports")]


def keep_endorsed_revision(collector, field, sub_objs, using):
    """``on_delete`` of :attr:`Endorsement.revision`: an endorsed revision outlives any purge.

    Deleting a revision on its own (Wagtail's ``purge_revisions``, which skips revisions
    protected this way) is refused with :class:`~django.db.models.ProtectedError`, so the
    revision the Faculty approved — often the live one, behind a newer draft — stays. When
    the endorsed page or snippet itself is deleted its revisions go with it, and the
    endorsement keeps its own copy of the facts (title, content hash, approver) with the
    link set to null: the accreditation record survives either way.
    """
    from django.contrib.contenttypes.models import ContentType

    being_deleted: dict[str, list] = {}
    for objs in collector.data.values():
        for obj in objs:
            being_deleted.setdefault(str(obj.pk), []).append(obj)
    protected = []
    for endorsement in sub_objs:
        model = ContentType.objects.get_for_id(endorsement.content_type_id).model_class()
        if model is None or not any(
            isinstance(obj, model) for obj in being_deleted.get(endorsement.object_id, ())
        ):
            protected.append(endorsement)
    if protected:
        raise models.ProtectedError(
            "An endorsed revision is part of the accreditation record and cannot be deleted on its own.",
            protected,
        )
    models.SET_NULL(collector, field, sub_objs, using)


class EndorsementTask(GroupApprovalTask):
    """The Faculty board's review in the "Faculty endorsement" workflow.

    Wagtail's group approval, with one rule more: approval — from the dashboard, the
    editor or a forged request — is refused while the latest revision (what approval
    would publish) breaks the content standard. Anything under review may define
    ``endorsement_problems()`` (course and module pages here, questions and quizzes in
    ``quizzes``); its objections refuse the approval with
    :class:`courses.exceptions.EndorsementError`, which the admin shows as a message
    (:class:`lms.middleware.DomainErrorMessageMiddleware`), and nothing is written.
    Submission applies the same rules, and the editor's forms check the reviewer's own
    last edit, so this bites when a draft saved during review broke them.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            obj = task_state.workflow_state.content_object
            problems = self.approval_problems(obj)
            if problems:
                from courses.exceptions import EndorsementError

                title = obj.get_admin_display_title() if hasattr(obj, "get_admin_display_title") else str(obj)
                raise EndorsementError(f"“{title}” cannot be endorsed yet: " + " ".join(problems), problems)
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def approval_problems(obj) -> list[str]:
        """What keeps ``obj``'s latest revision from being approved (empty when nothing does)."""
        revision = obj.get_latest_revision()
        draft = revision.as_object() if revision is not None else obj
        check = getattr(draft, "endorsement_problems", None)
        return check() if check is not None else []

    class Meta:
        verbose_name = "Faculty endorsement review"
        verbose_name_plural = "Faculty endorsement reviews"


class Endorsement(models.Model):
    """The Faculty of Pain Medicine approved this revision of a page, question or quiz.

    Written by :func:`courses.services.endorsement_record` when the "Faculty endorsement"
    workflow finishes — whichever screen approved it — for the revision that workflow
    publishes (or schedules), so it names what learners get. Learners see the line
    "Endorsed by the Faculty of Pain Medicine" for a page whose live revision has one.

    An accreditation record: it keeps its own copy of what was endorsed (``object_title``,
    ``content_sha256`` of the revision's content) and by whom (``approved_by_name``), so
    deleting the approver's account, the endorsed content or its revisions leaves it
    readable; an endorsed revision cannot be purged while its content exists
    (:func:`keep_endorsed_revision`).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The base content type of what was endorsed (Page for pages).",
    )
    object_id = models.CharField(max_length=255)
    object_title = models.CharField("endorsed content", max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="endorsements"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=keep_endorsed_revision, related_name="+"
    )
    content_sha256 = models.CharField(
        "content SHA-256",
        max_length=64,
        help_text="SHA-256 of the endorsed revision's content (canonical JSON): what exactly was approved.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="endorsements"
    )
    approved_by_name = models.CharField("approved by (as recorded)", max_length=255)
    approved_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    # Endorsements point at the content they record; they are not content other content uses.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "revision"], name="one_endorsement_per_revision"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="endorsement_object_idx")]

    def __str__(self) -> str:
        return f"{self.object_title} endorsed on {timezone.localtime(self.approved_at):%d %b %Y}"


# --- Runs, enrolment, progress ---------------------------------------------------------


class CourseRun(models.Model):
    """One monthly offering of a course, with its own dates, window and seats.

    ``seats_taken`` is maintained only by the enrolment services with conditional
    updates, so two requests for the last seat can never both get it.
    """

    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="runs")
    label = models.CharField(max_length=60, help_text="e.g. “January 2027”")
    starts_on = models.DateField()
    ends_on = models.DateField()
    enrolment_opens_at = models.DateTimeField()
    enrolment_closes_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(help_text="The number of learners who may enrol.")
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "starts_on"], name="unique_run_start_per_course"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="run_ends_after_start"),
            models.CheckConstraint(
                condition=Q(enrolment_closes_at__gt=F("enrolment_opens_at")),
                name="run_enrolment_window_ordered",
            ),
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="run_not_overfilled"),
        ]
        verbose_name = "course run"

    def __str__(self) -> str:
        return f"{self.course.title} — {self.label}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def is_enrolment_open(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.enrolment_opens_at <= at < self.enrolment_closes_at

    def has_started(self, today: datetime.date | None = None) -> bool:
        return self.starts_on <= (today or timezone.localdate())

    def has_ended(self, today: datetime.date | None = None) -> bool:
        return self.ends_on < (today or timezone.localdate())

    def is_in_progress(self, today: datetime.date | None = None) -> bool:
        return self.has_started(today) and not self.has_ended(today)


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    """A learner's place in a run. One row per learner and run, ever.

    Withdrawing keeps the row (and the learner's progress); enrolling again in the
    same run reactivates it.
    """

    # A participation record (kept six years): deleting an account anonymises it
    # (lms.services.account_anonymise) and never takes its enrolments with it.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    enrolled_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    accredited = models.BooleanField(
        default=False,
        help_text=(
            "Follows the accredited sequence (evaluation, attestation and credit claim before the "
            "certificate): set at enrolment when the course designates credit."
        ),
    )

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "run"], name="one_enrolment_per_learner_per_run"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="completed_enrolment_has_date",
            ),
        ]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} in {self.run}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED


class ModuleCompletion(models.Model):
    """A learner finished a module within an enrolment.

    Points at the module page by id, so editing and republishing the module keeps it,
    and at the revision that was live when they finished it — what they studied, the
    version a certificate traces back to (``None`` for completions recorded before the
    revision was kept).
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The module's live revision when the learner completed it: the version they studied.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="one_completion_per_module")
        ]

    def __str__(self) -> str:
        return f"Module {self.module_id} completed in enrolment {self.enrolment_id}"


# --- Waitlists ----------------------------------------------------------------------------


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Seat offered"
    ENROLLED = "enrolled", "Enrolled from the waitlist"
    LEFT = "left", "Left the waitlist"
    EXPIRED = "expired", "Offer expired"


OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """A doctor's place in the queue for a full run (written only by :mod:`courses.waitlists`).

    Position is the order of ``joined_at`` among the run's waiting entries. A seat freed by
    a withdrawal is *offered* to the first in line: the seat stays counted in the run's
    ``seats_taken`` while the offer lasts (until ``offer_expires_at``), so nobody else can
    take it; accepting enrols the doctor in that seat, and an offer declined or expired
    passes it to the next in line (or frees it when nobody is waiting).
    """

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="waitlist")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist")
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    joined_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = "waitlist entry"
        verbose_name_plural = "waitlist"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "learner"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_open_waitlist_entry_per_learner_per_run",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="waitlist_offer_expires",
            ),
        ]
        indexes = [models.Index(fields=["run", "status", "joined_at"], name="courses_waitlist_queue")]

    def __str__(self) -> str:
        return f"{self.learner} waiting for {self.run}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_WAITLIST_STATUSES


# --- Bulk enrolment ---------------------------------------------------------------------


class BulkEnrolmentStatus(models.TextChoices):
    PREVIEW = "preview", "Checked, waiting for confirmation"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being applied"
    DONE = "done", "Applied"
    FAILED = "failed", "Failed"


class BulkEnrolment(models.Model):
    """An uploaded enrolment file for one run: its rows, then what applying them did.

    Written only by :mod:`courses.bulk_enrolment`. ``rows`` keeps the parsed file
    (``[line, email, name, registration number]``); once confirmed, a Celery job applies
    them in chunks, each chunk committed together with its ``results``
    (``[line, email, outcome, detail]``) and ``rows_done``, so a job run twice (or
    resumed after a worker died) never applies a row twice.
    """

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)
    rows_total = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=BulkEnrolmentStatus.choices, default=BulkEnrolmentStatus.PREVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bulk_enrolments"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "bulk enrolment"

    def __str__(self) -> str:
        return f"{self.file_name} → {self.run}"


# --- Reminders -------------------------------------------------------------------------


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "To send"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (no longer due, or turned off)"


class Reminder(models.Model):
    """One reminder of one kind for one enrolment — at most one, ever (:mod:`courses.reminders`).

    Written (and committed) before the e-mail is sent, by the sweep that found it due;
    the unique constraint makes a second sweep, a second worker or a redelivered task
    record nothing and send nothing.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "reminder"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="one_reminder_per_enrolment_and_kind")
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="courses_reminder_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for enrolment {self.enrolment_id}"


# --- Exports ---------------------------------------------------------------------------


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired (file deleted)"


def private_storage():
    """The named ``"private"`` storage (lms.storage): nothing serves its files by URL."""
    from django.core.files.storage import storages

    return storages["private"]


class RunExport(models.Model):
    """A file of a run's (or a course's) enrolments, progress, attempts or certificates.

    Written only by :mod:`courses.exports`: a Celery task streams the rows into private
    storage, counting them as it goes; the file may be downloaded by whoever asked for it
    until ``expires_at``, then it is deleted and the row says so.
    """

    kind = models.CharField(max_length=20)
    file_format = models.CharField("format", max_length=4)
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(CourseRun, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="run_exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m/", blank=True, max_length=255)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "export"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(expires_at__isnull=False)),
                name="ready_export_has_file",
            )
        ]

    def __str__(self) -> str:
        scope = self.run.label if self.run_id and self.run else "all runs"
        return f"{self.get_kind_display()} of {self.course.title} ({scope}), {self.file_format.upper()}"

    def get_kind_display(self) -> str:
        from courses.exports import export_kind_label

        return export_kind_label(self.kind)


# --- Credit claims and the transcript ------------------------------------------------------


class CreditClaim(models.Model):
    """A doctor's attestation that they took part personally, with the time they spent.

    One per enrolment (the constraint a racing second claim fails on). Its
    :class:`TranscriptEntry` rows, one per designated credit type, are written in the same
    transaction. A participation record: kept for as long as accreditors require (six
    years), so nothing cascades into it.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="credit_claim")
    minutes_spent = models.PositiveIntegerField(help_text="The time the doctor attested, in minutes.")
    attested_personally = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(attested_personally=True), name="claim_is_attested"),
        ]

    def __str__(self) -> str:
        return f"Credit claim for enrolment {self.enrolment_id}"


class TranscriptEntryStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    REVOKED = "revoked", "Revoked"


class TranscriptEntry(models.Model):
    """One line of a doctor's transcript: credit of one type claimed for one course run.

    Keeps its own copy of what the claim was made against (course, provider, run, type,
    designated maximum), so later edits to the course or the credit type leave the
    record as it was.
    """

    claim = models.ForeignKey(CreditClaim, on_delete=models.PROTECT, related_name="entries")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transcript_entries"
    )
    credit_type = models.ForeignKey(CreditType, on_delete=models.PROTECT, related_name="+")
    credit_type_name = models.CharField(max_length=150)
    awarding_body = models.CharField(max_length=200)
    accreditation_statement = models.TextField()
    course_title = models.CharField(max_length=255)
    provider = models.CharField(max_length=200)
    run_label = models.CharField("run", max_length=60)
    completed_on = models.DateField()
    designated_max = models.DecimalField("designated maximum", max_digits=5, decimal_places=2)
    credits = models.DecimalField("credits claimed", max_digits=5, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=TranscriptEntryStatus.choices, default=TranscriptEntryStatus.CLAIMED
    )

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name_plural = "transcript entries"
        constraints = [
            models.UniqueConstraint(fields=["claim", "credit_type"], name="one_entry_per_claim_and_type"),
            models.CheckConstraint(
                condition=Q(credits__lte=F("designated_max")), name="claim_within_designation"
            ),
            models.CheckConstraint(condition=Q(credits__gte=0), name="claim_not_negative"),
        ]
        indexes = [models.Index(fields=["learner", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.credits} {self.credit_type_name} — {self.course_title}"


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def external_evidence_upload_to(credit: ExternalCredit, filename: str) -> str:
    # The stored name says nothing the doctor typed: the kind was decided by the content.
    import uuid

    return f"evidence/{credit.learner_id}/{uuid.uuid4().hex}.{credit.evidence_kind}"


class ExternalCredit(models.Model):
    """Credit a doctor earned elsewhere and reports on their transcript (shown apart as self-reported).

    The evidence file is stored privately and served only to the doctor and administrators
    (:func:`courses.views.external_evidence`).
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="external_credits"
    )
    activity = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    completed_on = models.DateField()
    credit_type = models.ForeignKey(CreditType, on_delete=models.PROTECT, related_name="+")
    credits = models.DecimalField(max_digits=5, decimal_places=2)
    evidence = models.FileField(
        upload_to=external_evidence_upload_to, storage=_private_storage, max_length=255
    )
    evidence_kind = models.CharField(max_length=8, editable=False)
    evidence_sha256 = models.CharField("evidence SHA-256", max_length=64, editable=False)
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="external_credit_positive"),
            models.CheckConstraint(
                condition=Q(evidence_kind__in=["pdf", "png", "jpeg"]), name="external_evidence_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credits} {self.credit_type} — {self.activity} (self-reported)"
