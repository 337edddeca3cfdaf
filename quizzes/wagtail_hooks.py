"""Admin registration for the question bank, quizzes and attempts."""

import django_filters
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from lms.admin_policies import ActionPermissionPolicy, ServiceWrittenPermissionPolicy
from lms.admin_views import AdminAction, AdminActionsViewSetMixin
from quizzes import admin_views
from quizzes.forms import QuestionAdminForm, QuizAdminForm
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import extra_attempt_refusal, knowledge_gain_refusal


class QuestionFilterSet(WagtailFilterSet):
    tags = django_filters.ModelMultipleChoiceFilter(
        field_name="tags",
        label="Tags",
        queryset=Tag.objects.filter(quizzes_questiontag_items__isnull=False).distinct().order_by("name"),
        distinct=True,
    )

    class Meta:
        model = Question
        fields = ["kind", "track", "difficulty", "live"]


class CreateWithoutAutosave(CreateView):
    """A new question or quiz is created once, by the author's own click.

    Wagtail's autosave on a create form posts to the add URL until its first save comes
    back; an author pressing "Submit to Faculty endorsement" meanwhile posts there too, and
    the bank gets the question twice. Editing keeps autosave (it overwrites the author's
    own draft revision, never the live version).
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Question bank"
    add_view_class = CreateWithoutAutosave
    list_display = ["__str__", "kind", "track", "difficulty", "updated_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["stem", "explanation"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionAdminForm)


register_permission_policy(
    Quiz,
    ActionPermissionPolicy(
        Quiz,
        actions={
            "statistics": "quizzes.view_quiz",
            "attempt_versions": "quizzes.view_quiz",
            # Faculty read their course's outcomes: whoever may see the quiz.
            "knowledge_gain": "quizzes.view_quiz",
        },
        refusals={"knowledge_gain": lambda quiz: knowledge_gain_refusal(quiz=quiz)},
    ),
)


class QuizViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = "Quizzes"
    add_view_class = CreateWithoutAutosave
    list_display = ["title", "course", "module", "role", "required_for_completion", "live"]
    list_filter = ["role", "course", "live"]
    search_fields = ["title"]
    inspect_view_enabled = True
    admin_actions = (
        AdminAction("statistics", admin_views.QuizStatisticsView, "Statistics", icon="table"),
        AdminAction(
            "knowledge_gain",
            admin_views.KnowledgeGainView,
            "Knowledge gain",
            icon="pick",
            title="Knowledge gain: pre-test to post-test",
        ),
        # A download, linked from the statistics page.
        AdminAction(
            "attempt_versions",
            admin_views.QuizAttemptVersionsView,
            "Versions used by each attempt",
            icon="download",
            button=False,
        ),
    )
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizAdminForm)


register_permission_policy(
    Attempt,
    ServiceWrittenPermissionPolicy(
        Attempt,
        actions={"grant_extra": "quizzes.add_extraattemptgrant"},
        refusals={"grant_extra": lambda attempt: extra_attempt_refusal(quiz=attempt.quiz)},
    ),
)


class AttemptViewSet(AdminActionsViewSetMixin, SnippetViewSet):
    model = Attempt
    admin_url_namespace = "quizzes_attempt"
    icon = "list-ul"
    menu_label = "Attempts"
    inspect_view_enabled = True
    admin_actions = (
        AdminAction("grant_extra", admin_views.GrantExtraAttemptView, "Grant an extra attempt", icon="plus"),
    )
    copy_view_enabled = False
    list_display = ["learner", "quiz", "number", "state", "score_percent", "passed", "submitted_at"]
    list_filter = ["quiz", "state", "passed"]
    list_export = [
        "learner",
        "quiz",
        "number",
        "state",
        "score_percent",
        "passed",
        "started_at",
        "submitted_at",
        "submitted_late",
    ]
    inspect_view_fields = [
        "learner",
        "quiz",
        "number",
        "state",
        "started_at",
        "deadline",
        "submitted_at",
        "score_percent",
        "passed",
        "submitted_late",
        "pass_mark_percent",
        "review_policy",
        "quiz_revision",
    ]
    ordering = ["-started_at"]

    def get_queryset(self, request):
        return Attempt.objects.select_related("learner", "quiz")


class AssessmentGroup(SnippetViewSetGroup):
    menu_label = "Assessments"
    menu_icon = "tasks"
    menu_order = 160
    items = (QuestionViewSet, QuizViewSet, AttemptViewSet)


register_snippet(AssessmentGroup)


@hooks.register("register_log_actions")
def register_quiz_log_actions(actions):
    actions.register_action("quizzes.extra_attempt", "Grant extra attempt", "Extra attempt granted")


@hooks.register("lms_seed_demo")
def seed_demo_quizzes(seeder):
    from quizzes.demo import seed_quizzes
    from quizzes.demo.learner import seed_learner

    seed_quizzes(seeder=seeder)
    # The demo learner's completed courses need the quizzes in place.
    seed_learner(seeder=seeder)
