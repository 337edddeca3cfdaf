"""Assessments under the same endorsement as the modules they test.

Questions and quizzes are drafts, revisions and workflow objects (Wagtail's snippet
mixins). An author's edit — in the real Wagtail editor, through Django's test client —
is kept as a revision and never touches the live rows a learner's attempt is built from;
the board's approval publishes it (the board holds no publish permission: the workflow
publishes) and records the endorsement. Attempts record the revision of the quiz and of
each question they used; existing attempts keep their snapshot and grade; item
statistics stay per question across versions and split by version.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from courses.exceptions import EndorsementError
from courses.models import Endorsement
from courses.services import enrolment_create
from lms.roles import BOARD, FACULTY_AUTHORS
from lms.tasks import send_workflow_notification
from quizzes.exceptions import QuizUnavailableError
from quizzes.models import Choice, Question, Quiz, QuizQuestion, SelectionMode
from quizzes.selectors import attempt_outcome, quiz_item_analysis
from quizzes.services import assessment_endorse, attempt_start, attempt_submit
from tests.courses.factories import CourseRunFactory
from tests.factories import UserFactory, learner
from tests.quizzes.factories import correct_ids, endorse, make_question, make_quiz, wrong_ids
from tests.support.forms import browser_form

pytestmark = pytest.mark.django_db


def staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people():
    return staff(FACULTY_AUTHORS), staff(BOARD)


@pytest.fixture
def live_final(people):
    """A live, endorsed final assessment of two endorsed questions, and an enrolled run."""
    author, reviewer = people
    run = CourseRunFactory()
    questions = [
        endorse(
            make_question(stem="Which is first-line for neuropathic pain?", tags=("neuropathic",)),
            author=author,
            reviewer=reviewer,
        ),
        endorse(
            make_question(
                stem="Which opioid is safest in renal failure?",
                choices=(("Buprenorphine", True), ("Morphine", False), ("Codeine", False)),
                tags=("opioids",),
            ),
            author=author,
            reviewer=reviewer,
        ),
    ]
    quiz = endorse(
        make_quiz(run.course, questions=questions, title="Final assessment", live=False, attempts_allowed=5),
        author=author,
        reviewer=reviewer,
    )
    return run, quiz, questions


def edit_form(client, question):
    response = client.get(reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]))
    assert response.status_code == 200
    return browser_form(response, "stem")


def rewrite(data, *, stem: str, correct_index: int, new_choice: str | None = None):
    """The author's edit: a new stem, the key moved to another choice, maybe one more choice."""
    data["stem"] = rich_text(f"<p>{stem}</p>")
    total = int(data["choices-TOTAL_FORMS"])
    for i in range(total):
        data.pop(f"choices-{i}-is_correct", None)
    data[f"choices-{correct_index}-is_correct"] = "on"
    if new_choice:
        data.update(
            {
                f"choices-{total}-text": new_choice,
                f"choices-{total}-feedback": "",
                f"choices-{total}-id": "",
                f"choices-{total}-ORDER": str(total + 1),
                f"choices-{total}-DELETE": "",
                "choices-TOTAL_FORMS": str(total + 1),
            }
        )
    data["tags"] = "neuropathic, revised"
    return data


def live_state(question: Question):
    question = Question.objects.get(pk=question.pk)
    return (
        question.stem,
        [(c.pk, c.text, c.is_correct) for c in question.choices.all()],
        sorted(t.name for t in question.tags.all()),
    )


# --- Drafts never reach learners ---------------------------------------------------------------


def test_an_authors_draft_of_a_live_question_leaves_every_live_row_untouched(people, live_final):
    author, _ = people
    run, quiz, (question, _) = live_final
    before = live_state(question)
    client = signed_in(author)

    data = rewrite(
        edit_form(client, question), stem="Rewritten stem.", correct_index=2, new_choice="Amitriptyline"
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]), data)

    assert response.status_code == 302
    assert live_state(question) == before  # stem, choices and key, tags: as endorsed
    question.refresh_from_db()
    assert question.live and question.has_unpublished_changes
    draft = question.get_latest_revision_as_object()
    assert "Rewritten stem." in draft.stem
    assert [(c.text, c.is_correct) for c in draft.choices.all()][2:] == [
        ("Tramadol", True),
        ("Diclofenac", False),
        ("Amitriptyline", False),
    ]
    assert sorted(t.name for t in draft.tags.all()) == ["neuropathic", "revised"]

    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    shown = attempt.questions.get(question=question).snapshot
    assert "Rewritten stem." not in shown["stem"]
    assert [(c["text"], c["is_correct"]) for c in shown["choices"]][0] == ("Pregabalin", True)
    assert shown["revision_id"] == question.live_revision_id


def test_approval_publishes_the_new_version_for_new_attempts_and_old_attempts_keep_theirs(people, live_final):
    author, reviewer = people
    run, quiz, (question, other) = live_final
    endorsed_revision = question.live_revision_id
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    old = attempt_start(learner=doctor, quiz=quiz)
    answers = {aq.position: correct_ids(aq.question) for aq in old.questions.select_related("question")}
    attempt_submit(attempt=old, learner=doctor, answers=answers)
    old.refresh_from_db()
    old_review = [(r.stem, [(c.text, c.is_correct) for c in r.choices]) for r in attempt_outcome(old).review]
    old_score = old.score_percent

    client = signed_in(author)
    data = rewrite(edit_form(client, question), stem="Revised stem.", correct_index=1)
    data["action-submit"] = "submit"
    assert (
        client.post(reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]), data).status_code
        == 302
    )
    question.refresh_from_db()
    assert question.workflow_in_progress
    task_state = question.current_workflow_task_state

    # The board member approves from the dashboard; they hold no publish permission.
    assert not reviewer.has_perm("quizzes.publish_question")
    url = reverse(
        "wagtailsnippets_quizzes_question:workflow_action", args=[question.pk, "approve", task_state.pk]
    )
    assert signed_in(reviewer).post(url, {"comment": "Key corrected."}).status_code == 302

    question.refresh_from_db()
    assert question.live_revision_id not in (None, endorsed_revision)
    assert "Revised stem." in question.stem
    assert [c.is_correct for c in question.choices.all()] == [False, True, False, False]
    endorsement = Endorsement.objects.get(object_id=str(question.pk), revision_id=question.live_revision_id)
    assert (endorsement.approved_by, endorsement.comment) == (reviewer, "Key corrected.")

    other_doctor = learner()
    enrolment_create(learner=other_doctor, run=run)
    new = attempt_start(learner=other_doctor, quiz=quiz)
    shown = new.questions.get(question=question)
    assert "Revised stem." in shown.snapshot["stem"]
    assert shown.question_revision_id == shown.snapshot["revision_id"] == question.live_revision_id
    assert new.quiz_revision_id == quiz.live_revision_id

    old.refresh_from_db()
    assert old.score_percent == old_score
    assert [
        (r.stem, [(c.text, c.is_correct) for c in r.choices]) for r in attempt_outcome(old).review
    ] == old_review
    assert old.questions.get(question=question).question_revision_id == endorsed_revision


def test_a_quiz_draft_changes_nothing_for_learners_until_approved(people, live_final):
    author, reviewer = people
    run, quiz, questions = live_final
    extra = endorse(make_question(stem="A third endorsed question?"), author=author, reviewer=reviewer)
    draft = quiz.get_latest_revision_as_object()
    draft.pass_mark_percent = Decimal("90")
    draft.quiz_questions.add(QuizQuestion(question=extra, sort_order=3))
    draft.save_revision(user=author)

    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    attempt = attempt_start(learner=doctor, quiz=quiz)
    assert attempt.pass_mark_percent == Decimal("60")
    assert attempt.questions.count() == 2
    assert attempt.quiz_revision_id == Quiz.objects.get(pk=quiz.pk).live_revision_id


# --- Never-endorsed questions are never drawn ---------------------------------------------------


def test_a_question_never_endorsed_is_never_drawn_at_random(people, live_final):
    author, reviewer = people
    run, _, _ = live_final
    client = signed_in(author)
    add_url = reverse("wagtailsnippets_quizzes_question:add")
    data = browser_form(client.get(add_url), "stem")
    data.update(
        {
            "kind": "single",
            "stem": rich_text("<p>A draft nobody endorsed?</p>"),
            "choices-TOTAL_FORMS": "2",
            "choices-0-text": "Yes",
            "choices-0-is_correct": "on",
            "choices-0-ORDER": "1",
            "choices-1-text": "No",
            "choices-1-ORDER": "2",
            "tags": "opioids",
            "action-submit": "submit",
        }
    )
    assert client.post(add_url, data).status_code == 302
    draft = Question.objects.get(stem__contains="nobody endorsed")
    assert not draft.live and draft.workflow_in_progress

    quiz = make_quiz(
        run.course,
        title="Opioid draw",
        live=False,
        selection=SelectionMode.RANDOM,
        draw_count=1,
        attempts_allowed=0,
    )
    quiz.draw_tags.add(*draft.tags.all())
    quiz.save()
    quiz = endorse(quiz, author=author, reviewer=reviewer)
    drawn = set()
    for _ in range(8):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        drawn |= {aq.question_id for aq in attempt_start(learner=doctor, quiz=quiz).questions.all()}
    assert draft.pk not in drawn and drawn  # the endorsed opioid question, every time


def test_a_live_quiz_listing_a_question_with_no_live_version_refuses_to_start(people, live_final):
    author, _ = people
    run, quiz, _ = live_final
    draft = make_question(stem="Draft only?")
    Question.objects.filter(pk=draft.pk).update(live=False)
    QuizQuestion.objects.create(quiz=quiz, question=draft, sort_order=9)  # e.g. a superuser's publish
    doctor = learner()
    enrolment_create(learner=doctor, run=run)

    with pytest.raises(QuizUnavailableError, match="has not endorsed yet, so it cannot be started"):
        attempt_start(learner=doctor, quiz=quiz)
    assert not quiz.attempts.exists()


def test_submitting_a_quiz_that_lists_an_unendorsed_question_is_refused_with_the_reason(people, live_final):
    author, reviewer = people
    run, quiz, (question, other) = live_final
    draft = make_question(stem="Draft only?")
    Question.objects.filter(pk=draft.pk).update(live=False)
    client = signed_in(author)
    url = reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk])
    data = browser_form(client.get(url), "pass_mark_percent")
    total = int(data["quiz_questions-TOTAL_FORMS"])
    data.update(
        {
            f"quiz_questions-{total}-question": str(draft.pk),
            f"quiz_questions-{total}-marks": "1",
            f"quiz_questions-{total}-id": "",
            f"quiz_questions-{total}-ORDER": str(total + 1),
            f"quiz_questions-{total}-DELETE": "",
            "quiz_questions-TOTAL_FORMS": str(total + 1),
            "action-submit": "submit",
        }
    )
    revisions = quiz.revisions.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Question 3 has not been endorsed yet" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.revisions.count() == revisions and not quiz.workflow_in_progress

    # Saving it as a draft is allowed: drafts reach nobody.
    data.pop("action-submit")
    assert client.post(url, data).status_code == 302


def test_a_question_draft_may_be_incomplete_but_is_refused_on_submit(people, live_final):
    author, _ = people
    _, _, (question, _) = live_final
    client = signed_in(author)
    url = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    data = edit_form(client, question)
    data["choices-1-is_correct"] = "on"  # two "single best" answers

    assert client.post(url, data).status_code == 302  # a draft
    data["action-submit"] = "submit"
    response = client.post(url, data)

    assert response.status_code == 200
    assert "single-best-answer but has 2 correct choices" in response.content.decode()
    question.refresh_from_db()
    assert not question.workflow_in_progress


def test_the_review_request_for_a_question_is_queued_and_mailed_to_the_board(
    people, django_capture_on_commit_callbacks
):
    author, reviewer = people
    reviewer.email = "board@example.org"
    reviewer.save()
    question = make_question(stem="Which nerve supplies the knee joint capsule?")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question.save_revision(user=author)
        question.get_workflow().start(question, author)
    assert mail.outbox == [] and callbacks

    send_workflow_notification.apply(
        args=("task_submitted", question.current_workflow_task_state.pk, author.pk)
    )
    assert [message.to for message in mail.outbox] == [["board@example.org"]]
    assert "knee joint capsule" in mail.outbox[0].subject + mail.outbox[0].body


# --- Item statistics across versions ------------------------------------------------------------


def test_statistics_stay_per_question_and_show_each_version_an_attempt_used(
    people, live_final, django_assert_max_num_queries
):
    author, reviewer = people
    run, quiz, (question, other) = live_final
    first = question.live_revision_id

    def sit(right: bool):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        answers = {
            aq.position: (correct_ids if right or aq.question_id != question.pk else wrong_ids)(
                Question.objects.get(pk=aq.question_id)
            )
            for aq in attempt.questions.all()
        }
        attempt_submit(attempt=attempt, learner=doctor, answers=answers)

    sit(True)
    sit(False)
    edited = question.get_latest_revision_as_object()
    edited.stem = "<p>Which is first-line for painful diabetic neuropathy?</p>"
    second = endorse(edited, author=author, reviewer=reviewer).live_revision_id
    sit(True)

    with django_assert_max_num_queries(6):
        analysis = quiz_item_analysis(quiz=quiz)

    item = next(i for i in analysis.items if i.question.pk == question.pk)
    assert item.stats.attempts == 3  # one question, across its versions
    assert [(v.stats.version, v.stats.attempts, v.stats.facility) for v in item.versions] == [
        (first, 2, 0.5),
        (second, 1, 1.0),
    ]
    assert item.versions[1].label.startswith(f"Revision {second}, endorsed ")

    client = signed_in(UserFactory(is_staff=True, is_superuser=True))
    statistics = reverse("wagtailsnippets_quizzes_quiz:statistics", args=[quiz.pk])
    page = client.get(statistics).content.decode()
    assert f"Revision {first}, endorsed" in page and f"Revision {second}, endorsed" in page

    def download(url, query=None):
        return b"".join(client.get(url, query).streaming_content).decode()

    rows = list(csv.DictReader(io.StringIO(download(statistics, {"export": "csv"}))))
    versions = next(r for r in rows if r["question_id"] == str(question.pk))["versions"]
    assert f"Revision {first}" in versions and "2 attempts, facility 0.5000" in versions
    per_attempt = list(
        csv.DictReader(
            io.StringIO(download(reverse("wagtailsnippets_quizzes_quiz:attempt_versions", args=[quiz.pk])))
        )
    )
    assert [r["question_revision"] for r in per_attempt if r["question_id"] == str(question.pk)] == [
        str(first),
        str(first),
        str(second),
    ]


# --- The services other code (the demo seed, an API) submits and endorses with ---------------


def test_the_services_submit_and_endorse_a_question_and_refuse_what_breaks_a_rule(people):
    from courses.exceptions import EndorsementError
    from quizzes.services import assessment_endorse, assessment_submit_for_endorsement

    author, reviewer = people
    question = make_question(stem="Which nerve supplies the knee joint capsule?")
    Question.objects.filter(pk=question.pk).update(live=False)
    question.refresh_from_db()

    with pytest.raises(EndorsementError, match="Save a draft"):
        assessment_submit_for_endorsement(item=question, user=author)
    broken = question.get_latest_revision_as_object()
    broken.choices = [
        Choice(text=c.text, is_correct=True, sort_order=i) for i, c in enumerate(broken.choices.all())
    ]
    broken.save_revision(user=author)
    with pytest.raises(EndorsementError) as refused:
        assessment_submit_for_endorsement(item=question, user=author)
    assert "has 4 correct choices" in " ".join(refused.value.problems)
    assert not question.workflow_in_progress

    fixed = make_question(stem="Fixed")  # a valid key to copy
    good = question.get_latest_revision_as_object()
    good.choices = [
        type(c)(text=c.text, is_correct=c.is_correct, sort_order=i) for i, c in enumerate(fixed.choices.all())
    ]
    good.save_revision(user=author)
    assessment_submit_for_endorsement(item=question, user=author)
    with pytest.raises(EndorsementError, match="already awaiting endorsement"):
        assessment_submit_for_endorsement(item=question, user=author)
    with pytest.raises(EndorsementError, match="Only the reviewers"):
        assessment_endorse(item=question, user=author)

    fact = assessment_endorse(item=question, user=reviewer, comment="Anatomy checked.")

    question.refresh_from_db()
    assert question.live and fact.revision_id == question.live_revision_id
    assert fact.approved_by_name == reviewer.display_name


def test_the_services_refuse_a_quiz_listing_an_unendorsed_question(people, live_final):
    from courses.exceptions import EndorsementError
    from quizzes.services import assessment_submit_for_endorsement

    author, _ = people
    _, quiz, _ = live_final
    draft = make_question(stem="Draft only?")
    Question.objects.filter(pk=draft.pk).update(live=False)
    edited = quiz.get_latest_revision_as_object()
    edited.quiz_questions.add(QuizQuestion(question=draft, sort_order=5))
    edited.save_revision(user=author)

    with pytest.raises(EndorsementError) as refused:
        assessment_submit_for_endorsement(item=quiz, user=author)
    assert any("has not been endorsed yet" in problem for problem in refused.value.problems)


@pytest.mark.parametrize("model", ["question", "quiz"])
def test_creating_saves_once_and_editing_autosaves_the_authors_draft(people, live_final, model):
    """No autosave on the add form (it raced a quick "Submit" and created the item twice);
    the edit form autosaves into the author's draft revision."""
    author, _ = people
    _, quiz, (question, _) = live_final
    client = signed_in(author)
    add = client.get(reverse(f"wagtailsnippets_quizzes_{model}:add")).content.decode()
    item = question if model == "question" else quiz
    edit = client.get(reverse(f"wagtailsnippets_quizzes_{model}:edit", args=[item.pk])).content.decode()
    assert "data-w-autosave-interval-value" not in add
    assert "data-w-autosave-interval-value" in edit


def test_the_dashboard_refuses_approval_of_a_question_draft_that_breaks_the_standard(people, live_final):
    """A draft saved during review with two "single best" answers cannot be approved from the
    dashboard (the board member is told why); the endorsed version stays what learners get."""
    author, reviewer = people
    _, _, (question, _) = live_final
    before = live_state(question)
    client = signed_in(author)
    data = rewrite(edit_form(client, question), stem="Revised stem.", correct_index=1)
    data["action-submit"] = "submit"
    assert (
        client.post(reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]), data).status_code
        == 302
    )
    question.refresh_from_db()
    task_state = question.current_workflow_task_state
    broken = question.get_latest_revision().as_object()
    broken.choices = [Choice(text=c.text, is_correct=True, feedback="") for c in broken.choices.all()]
    broken.save_revision(user=reviewer)
    question.refresh_from_db()

    url = reverse(
        "wagtailsnippets_quizzes_question:workflow_action", args=[question.pk, "approve", task_state.pk]
    )
    response = signed_in(reviewer).post(url, {"comment": "Fine."})

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("cannot be endorsed yet" in m and "correct choices" in m for m in shown), shown
    with pytest.raises(EndorsementError) as refused:
        assessment_endorse(item=question, user=reviewer)
    assert "correct choices" in refused.value.message
    assert live_state(question) == before
    assert question.current_workflow_task_state.status == "in_progress"
