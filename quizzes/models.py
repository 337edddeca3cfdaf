"""The question bank, quizzes, and learners' attempts.

Authoring models (``Question`` with its ``Choice`` rows and tags, ``Quiz`` with its
``QuizQuestion`` rows and draw tags) are edited in the Wagtail admin as drafts, kept as
revisions and moderated in the "Faculty endorsement" workflow, like pages: an author's
edit of a live question or quiz is saved as a revision only — Wagtail leaves the live
rows as they are — and reaches learners when the board's approval publishes it. The live
rows are therefore always the endorsed version, and only live questions are ever put in
front of a learner.

An ``Attempt`` freezes everything it shows and grades at the moment it starts (its
``AttemptQuestion`` rows hold a snapshot of stem, choices, key and explanation, and the
revision of the question it came from; the attempt holds the quiz's revision), so
editing the bank later never changes a past grade or review.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from courses.api import Track
from quizzes.grading import MultipleResponseScoring, QuestionKind

STEM_FEATURES = ["bold", "italic", "subscript", "superscript", "ol", "ul", "image"]
EXPLANATION_FEATURES = ["bold", "italic", "subscript", "superscript", "ol", "ul", "link"]


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A bank question: single best answer, multiple response, or true/false.

    Draftable and moderated: the live row (with its choices and tags) is the version the
    Faculty endorsed; drafts live in revisions until approved.
    """

    kind = models.CharField(
        max_length=12,
        choices=[
            (QuestionKind.SINGLE.value, "Single best answer"),
            (QuestionKind.MULTIPLE.value, "Multiple response"),
            (QuestionKind.TRUE_FALSE.value, "True / false"),
        ],
        default=QuestionKind.SINGLE.value,
    )
    stem = RichTextField(features=STEM_FEATURES, help_text="The question, with any vignette or image.")
    explanation = RichTextField(
        features=EXPLANATION_FEATURES,
        blank=True,
        help_text="The rationale learners see at review, when the quiz's review policy allows it.",
    )
    track = models.CharField(max_length=20, choices=Track.choices, blank=True)
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, help_text="Topics, e.g. “PRP”, “opioids”.")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("stem"),
        InlinePanel("choices", label="Choices", min_num=2, max_num=8),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("track"), FieldPanel("difficulty"), FieldPanel("tags")], heading="Classification"
        ),
    ]
    search_fields = [
        index.SearchField("stem"),
        index.SearchField("explanation"),
        index.AutocompleteField("stem"),
        index.FilterField("kind"),
        index.FilterField("track"),
        index.FilterField("difficulty"),
    ]

    class Meta:
        ordering = ["-updated_at"]

    def endorsement_problems(self) -> list[str]:
        """The content standard's objections to this version, withholding the board's
        approval (:class:`courses.models.EndorsementTask`); see
        :func:`quizzes.services.assessment_problems`."""
        from quizzes.services import assessment_problems

        return assessment_problems(item=self)

    def __str__(self) -> str:
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return Truncator(strip_tags(self.stem)).chars(90) or f"Question {self.pk}"

    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField("correct", default=False)
    feedback = models.CharField(
        max_length=500, blank=True, help_text="Shown beside this choice at review, if the policy allows."
    )

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    def __str__(self) -> str:
        return self.text


class QuizRole(models.TextChoices):
    MODULE_CHECK = "module_check", "Module check"
    FINAL = "final", "Post-test (final assessment)"
    PRE_TEST = "pre_test", "Pre-test"


class SelectionMode(models.TextChoices):
    FIXED = "fixed", "Fixed questions"
    RANDOM = "random", "Random draw from the bank"


class ReviewPolicy(models.TextChoices):
    AFTER_EACH_ATTEMPT = "after_each", "Show answers and explanations after each attempt"
    AFTER_PASSING = "after_passing", "Show answers and explanations only after passing"
    NEVER = "never", "Never show answers (score only)"


class Quiz(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """An assessment attached to a module (module check) or to a course (final, pre-test).

    Draftable and moderated like questions: its live row, fixed questions and draw tags are
    the endorsed version learners sit.
    """

    title = models.CharField(max_length=150)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a module check: the module it follows. Leave empty for course-level assessments.",
    )
    role = models.CharField(max_length=20, choices=QuizRole.choices, default=QuizRole.MODULE_CHECK)
    instructions = RichTextField(features=EXPLANATION_FEATURES, blank=True)
    selection = models.CharField(max_length=10, choices=SelectionMode.choices, default=SelectionMode.FIXED)
    draw_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a random draw: how many questions each attempt gets."
    )
    draw_tags = ParentalManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="+",
        help_text="For a random draw: bank questions with any of these tags.",
    )
    pass_mark_percent = models.DecimalField("pass mark (%)", max_digits=5, decimal_places=2, default=70)
    attempts_allowed = models.PositiveSmallIntegerField(default=3, help_text="0 means unlimited.")
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty means untimed."
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    review_policy = models.CharField(
        max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_EACH_ATTEMPT
    )
    multiple_response_scoring = models.CharField(
        max_length=20,
        choices=[
            (MultipleResponseScoring.ALL_OR_NOTHING.value, "All or nothing"),
            (
                MultipleResponseScoring.PARTIAL.value,
                "Partial credit (wrong picks cost marks, never below zero)",
            ),
        ],
        default=MultipleResponseScoring.ALL_OR_NOTHING.value,
    )
    required_for_completion = models.BooleanField(
        default=True, help_text="Learners must pass it to complete the course."
    )

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                PageChooserPanel("course", "courses.CoursePage"),
                PageChooserPanel("module", "courses.ModulePage"),
                FieldPanel("role"),
                FieldPanel("required_for_completion"),
            ],
            heading="Where it belongs",
        ),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                InlinePanel("quiz_questions", label="Fixed questions"),
                FieldRowPanel([FieldPanel("draw_count"), FieldPanel("draw_tags")]),
            ],
            heading="Questions",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark_percent"), FieldPanel("attempts_allowed")]),
                FieldPanel("time_limit_minutes"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("review_policy"),
                FieldPanel("multiple_response_scoring"),
            ],
            heading="Rules",
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("role")]

    class Meta:
        ordering = ["course_id", "module_id", "title"]
        verbose_name_plural = "quizzes"
        # Wagtail adds this for draftable snippets after migrating; declaring it lets the
        # roles migration grant it on a fresh install.
        permissions = [("publish_quiz", "Can publish quiz")]

    def endorsement_problems(self) -> list[str]:
        """The content standard's objections to this version, withholding the board's
        approval (:class:`courses.models.EndorsementTask`); see
        :func:`quizzes.services.assessment_problems`."""
        from quizzes.services import assessment_problems

        return assessment_problems(item=self)

    def __str__(self) -> str:
        return self.title

    def get_preview_template(self, request, mode_name):
        return "quizzes/quiz_preview.html"


class QuizQuestion(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    marks = models.DecimalField(max_digits=5, decimal_places=2, default=1)

    panels = [FieldPanel("question"), FieldPanel("marks")]


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    GRADED = "graded", "Graded"


class Attempt(models.Model):
    """One sitting of a quiz by a learner, within an enrolment.

    ``number`` counts the learner's attempts at the quiz within the enrolment; the
    unique constraint on it is what makes racing starts unable to exceed the limit.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE, related_name="+")
    # A participation record: an account's deletion anonymises the user and keeps it.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Frozen at start: the version of the quiz sat, and the rules this attempt is graded by.
    quiz_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The live (endorsed) revision of the quiz when the attempt started.",
    )
    pass_mark_percent = models.DecimalField(max_digits=5, decimal_places=2)
    review_policy = models.CharField(max_length=20, choices=ReviewPolicy.choices)
    multiple_response_scoring = models.CharField(max_length=20)
    # The outcome.
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, editable=False)
    submitted_late = models.BooleanField(
        default=False,
        help_text="Submitted after the deadline and its grace: graded on answers saved in time.",
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "enrolment", "number"], name="one_attempt_per_number"),
            models.UniqueConstraint(
                fields=["quiz", "enrolment"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(state="in_progress") | Q(score_percent__isnull=False, passed__isnull=False),
                name="graded_attempt_has_score",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self) -> str:
        return f"{self.quiz} — attempt {self.number} by {self.learner}"

    @property
    def is_in_progress(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    def seconds_left(self, now: datetime.datetime | None = None) -> int | None:
        if self.deadline is None:
            return None
        return max(int((self.deadline - (now or timezone.now())).total_seconds()), 0)

    @property
    def review_allowed(self) -> bool:
        """Whether answers, feedback and explanations may be shown for this attempt."""
        if self.state != AttemptState.GRADED:
            return False
        if self.review_policy == ReviewPolicy.AFTER_EACH_ATTEMPT:
            return True
        if self.review_policy == ReviewPolicy.AFTER_PASSING:
            return bool(self.passed)
        return False


class AttemptQuestion(models.Model):
    """A question as this attempt showed it: a frozen snapshot plus the learner's answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="+")
    question_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The live (endorsed) revision of the question this attempt showed.",
    )
    # {"question_id", "revision_id", "kind", "stem", "choices": [{"id", "text", "is_correct",
    #  "feedback"}], "explanation", "marks"}; ``revision_id`` copies ``question_revision`` so
    # the version stays known whatever happens to the revision.
    snapshot = models.JSONField()
    selected = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return f"Question {self.position} of attempt {self.attempt_id}"

    @property
    def key_id(self) -> str:
        """The question's id in grading results and statistics: the bank question."""
        return str(self.snapshot["question_id"])


class ExtraAttemptGrant(models.Model):
    """An administrator allowed a learner more attempts at a quiz."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE, related_name="+")
    extra_attempts = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=250)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.extra_attempts} extra attempt(s) at {self.quiz} for enrolment {self.enrolment_id}"
