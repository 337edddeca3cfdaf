"""The module and course editors: Wagtail's page views, in the academy's words when the
content standard (:mod:`courses.page_forms`) refuses a submission, an approval or a publication.

* **Sending for endorsement** a page that does not yet meet the standard keeps the
  author's work: the draft is saved exactly as "Save draft" would save it, the page is
  not sent to the Faculty, and the editor comes back with each problem beside its field
  and a banner that says the draft was saved.
* **Approving or publishing** such a page changes nothing, and the banner says that it
  was not endorsed (or published) and why, instead of Wagtail's "could not be saved".
* **Approving** — from the editor or from the dashboard's review queue — is confirmed
  in the academy's words: "Endorsed by the Faculty of Pain Medicine: …".
* **Creating** has no autosave (it raced the author's first click); editing keeps it.
* Any other invalid form (a required field left empty, a locked page) gets Wagtail's own
  handling.

Registered for :class:`~courses.models.ModulePage` and :class:`~courses.models.CoursePage`
as their page viewset (``courses.wagtail_hooks``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin import messages
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

SUBMISSIONS = {"submit", "restart_workflow"}


def _refused_by_standard(form) -> bool:
    """Whether the form's only errors are the content standard's (and so a draft may be kept)."""
    return bool(getattr(form, "refused_only_by_standard", False))


def _banner(request, heading: str, form) -> None:
    """The heading, then every problem the form found: beside-field ones with their field's label."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        lines += [f"{label}: {error}" if label else error for error in errors]
    detail = format_html(
        '<ul class="errorlist">{}</ul>', format_html_join("", "<li>{}</li>", ((line,) for line in lines))
    )
    messages.error(request, format_html("{} {}", heading, detail))


def confirm_endorsement(request, page) -> bool:
    """Confirm the board's approval of ``page`` in the academy's words, if it was an endorsement.

    Shown after an approval from the editor and from the dashboard's workflow actions
    alike: "Endorsed by the Faculty of Pain Medicine: ‘…’, approved by … on …", and
    whether the endorsed revision is live or when it goes live. False (nothing shown)
    when the approval finished no endorsement: the workflow is still in progress (it had a
    further task), or neither the latest nor the live revision carries an endorsement.
    """
    from courses.selectors import endorsements_for_revisions

    page = type(page).objects.get(pk=page.pk)
    if page.workflow_in_progress:
        return False
    # The approval endorsed the latest revision; by the time this runs, an autosave from
    # the reviewer's editor may have put a copy after it, so the live one is looked at too.
    found = endorsements_for_revisions(revision_ids=[page.latest_revision_id, page.live_revision_id])
    endorsement = found.get(page.latest_revision_id) or found.get(page.live_revision_id)
    if endorsement is None:
        return False
    title = page.get_admin_display_title()
    when = timezone.localtime(endorsement.approved_at)
    going_live = (
        "It is live for learners."
        if page.live and page.live_revision_id == endorsement.revision_id
        else f"It goes live for learners on {timezone.localtime(page.go_live_at or when):%d %b %Y %H:%M}."
    )
    messages.success(
        request,
        f"Endorsed by the Faculty of Pain Medicine: ‘{title}’, approved by {endorsement.approved_by_name} "
        f"on {when:%d %b %Y}. {going_live}",
    )
    return True


class StandardEditView(EditView):
    def add_save_confirmation_message(self):
        """After the board's approval, the message confirms what it meant: the endorsement."""
        approving = self.action_name == "perform_workflow_action" and self.workflow_action == "approve"
        if not (approving and confirm_endorsement(self.request, self.page)):
            super().add_save_confirmation_message()

    def _save_draft(self) -> bool:
        """Save the posted content as a draft revision, as Wagtail's "Save draft" does.

        Validated again with a draft's (deferred) validation: the standard asks nothing of
        a draft, but a draft must still be well formed. False if it is not.
        """
        draft = self.form_class(
            self.request.POST,
            self.request.FILES,
            instance=self.page,
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=self.request.user,
        )
        draft.defer_required_fields()
        if not draft.is_valid():
            return False
        with transaction.atomic():
            self.page = draft.save(commit=not self.page.live)
            self.subscription.save()
            self.page.save_revision(
                user=self.request.user, log_action=True, previous_revision=self.previous_revision
            )
        return True

    def form_invalid(self, form):
        if (
            self.is_cancelling_workflow
            or self.locked_for_user
            or self.expects_json_response
            or not _refused_by_standard(form)
        ):
            return super().form_invalid(form)
        title = self.page.get_admin_display_title()
        if self.action_name in SUBMISSIONS and self._save_draft():
            heading = (
                f"Your draft of ‘{title}’ is saved, but it was not sent to the Faculty for endorsement: "
                "it does not yet meet the academy's content standard. Each problem is shown beside its field."
            )
            self.has_unsaved_changes = False
        else:
            not_done = {
                "publish": "was not published",
                "perform_workflow_action": "was not endorsed and stays with the Faculty for review",
            }.get(self.action_name, "was not sent to the Faculty for endorsement")
            heading = (
                f"‘{title}’ {not_done}: it does not yet meet the academy's content standard. "
                "Nothing was changed. Each problem is shown beside its field."
            )
            self.has_unsaved_changes = True
        _banner(self.request, heading, form)
        self.errors_debug = repr(form.errors)
        return self.render_to_response(self.get_context_data())


class StandardCreateView(CreateView):
    """A new module or course is created once, by the author's own click.

    Wagtail 8's autosave on a create form posts to the add URL until its first save comes
    back and the form is turned into an editor; an author pressing "Save draft" or "Send
    for endorsement" meanwhile posts there too, finds the slug taken by the autosaved
    draft, and is told "The page could not be created due to validation errors" (and
    autosave then pauses) although the draft exists. As for questions and quizzes
    (``quizzes.wagtail_hooks.CreateWithoutAutosave``), editing keeps autosave: it
    overwrites the author's own draft revision, never the live one.
    """

    def get_context_data(self, **kwargs):
        self.autosave_enabled = False
        context = super().get_context_data(**kwargs)
        context["autosave_indicator"] = None  # nothing to indicate
        return context

    def form_invalid(self, form):
        if self.expects_json_response or not _refused_by_standard(form):
            return super().form_invalid(form)
        verb = "published" if self.action_name == "publish" else "sent to the Faculty for endorsement"
        _banner(
            self.request,
            f"The page was not created or {verb}: it does not yet meet the academy's content standard. "
            "Save it as a draft to keep your work, or complete it as shown beside each field.",
            form,
        )
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


class StandardWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow actions outside the editor (the dashboard review queue's
    "Approve" and "Approve with comment" pop-up): after an approval that endorsed the
    page, the same confirmation as the editor gives (:func:`confirm_endorsement`), shown
    on the screen the board member returns to."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if self.action_name == "approve":
            confirm_endorsement(request, self.object)
        return response


class StandardPageViewSet(PageViewSet):
    """Wagtail's page views for a page model held to the content standard."""

    edit_view_class = StandardEditView
    add_view_class = StandardCreateView
    workflow_action_view_class = StandardWorkflowActionView
    # Only the editor changes: the explorer keeps listing these pages as it does every page.
    parent_models = ()


class FacultyReviewQueuePanel(WorkflowObjectsToModeratePanel):
    """The board's review queue on the admin dashboard: Wagtail's "awaiting your review"
    panel, with each page's course, what the content standard says of the revision sent
    for endorsement, and a visible link to compare it with what learners see now
    (``templates/wagtailadmin/home/workflow_objects_to_moderate.html``)."""

    def get_context_data(self, parent_context):
        """Wagtail's states, with the academy's additions in a fixed number of queries
        however long the queue: one for the modules' courses, and the content standard's
        reads for all the pages at once (:func:`courses.services.endorsement_problems_of_revisions`)."""
        from wagtail.models import Page

        from courses.models import CoursePage, ModulePage
        from courses.services import endorsement_problems_of_revisions

        context = super().get_context_data(parent_context)
        held = [state for state in context["states"] if isinstance(state["obj"], (ModulePage, CoursePage))]
        parent_paths = {
            state["obj"].path[: -Page.steplen] for state in held if isinstance(state["obj"], ModulePage)
        }
        courses = {
            course.path: course
            for course in CoursePage.objects.filter(path__in=parent_paths).only("pk", "path", "title")
        }
        problems_of = endorsement_problems_of_revisions([state["revision"] for state in held])
        for state, problems in zip(held, problems_of, strict=True):
            obj = state["obj"]
            state["course"] = courses.get(obj.path[: -Page.steplen]) if isinstance(obj, ModulePage) else obj
            state["standard_problems"] = problems
            state["held_to_standard"] = True
        return context
