"""Admin registration for the question bank, quizzes and attempts."""

import django_filters
from django.urls import path, reverse
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, InspectView, SnippetViewSet, SnippetViewSetGroup

from lms.admin_policies import ServiceWrittenPermissionPolicy
from quizzes import admin_views
from quizzes.forms import QuestionAdminForm, QuizAdminForm
from quizzes.models import Attempt, Question, Quiz


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


class QuizInspectView(InspectView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button("Statistics", url=reverse("quizzes_statistics", args=[self.object.pk]), icon_name="table")
        )
        return buttons


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = "Quizzes"
    add_view_class = CreateWithoutAutosave
    list_display = ["title", "course", "module", "role", "required_for_completion", "live"]
    list_filter = ["role", "course", "live"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_class = QuizInspectView
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizAdminForm)


register_permission_policy(Attempt, ServiceWrittenPermissionPolicy(Attempt))


class AttemptInspectView(InspectView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("quizzes.add_extraattemptgrant"):
            buttons.append(
                Button(
                    "Grant an extra attempt",
                    url=reverse("quizzes_grant_extra", args=[self.object.pk]),
                    icon_name="plus",
                )
            )
        return buttons


class AttemptViewSet(SnippetViewSet):
    model = Attempt
    admin_url_namespace = "quizzes_attempt"
    icon = "list-ul"
    menu_label = "Attempts"
    inspect_view_class = AttemptInspectView
    inspect_view_enabled = True
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


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path(
            "assessments/quizzes/<int:pk>/statistics/", admin_views.quiz_statistics, name="quizzes_statistics"
        ),
        path(
            "assessments/quizzes/<int:pk>/statistics.csv",
            admin_views.quiz_statistics_csv,
            name="quizzes_statistics_csv",
        ),
        path(
            "assessments/quizzes/<int:pk>/attempt-versions.csv",
            admin_views.quiz_attempt_versions_csv,
            name="quizzes_attempt_versions_csv",
        ),
        path(
            "assessments/attempts/<int:pk>/grant/",
            admin_views.grant_extra_attempt,
            name="quizzes_grant_extra",
        ),
    ]


@hooks.register("register_log_actions")
def register_quiz_log_actions(actions):
    actions.register_action("quizzes.extra_attempt", "Grant extra attempt", "Extra attempt granted")


@hooks.register("lms_seed_demo")
def seed_demo_quizzes(seeder):
    from quizzes.demo import seed_quizzes

    seed_quizzes(seeder=seeder)
