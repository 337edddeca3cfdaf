"""Factories for the question bank and quizzes."""

from decimal import Decimal

from quizzes.models import Choice, Question, Quiz, QuizQuestion, QuizRole


def make_question(
    stem="Which is first-line for neuropathic pain?",
    choices=(("Pregabalin", True), ("Paracetamol", False), ("Tramadol", False), ("Diclofenac", False)),
    kind="single",
    explanation="<p>Gabapentinoids are first-line (NeuPSIG).</p>",
    feedback="Think of the NeuPSIG recommendations.",
    tags=(),
) -> Question:
    question = Question(kind=kind, stem=f"<p>{stem}</p>", explanation=explanation)
    question.choices = [
        Choice(text=text, is_correct=correct, feedback=f"{feedback} ({text})", sort_order=i)
        for i, (text, correct) in enumerate(choices)
    ]
    question.save()
    if tags:
        question.tags.add(*tags)
        question.save()  # modelcluster keeps tags in memory until the next save
    return question


def make_quiz(course, *, questions=(), module=None, **options) -> Quiz:
    defaults = {
        "title": "Module check",
        "role": QuizRole.MODULE_CHECK if module else QuizRole.FINAL,
        "pass_mark_percent": Decimal("60"),
        "attempts_allowed": 2,
        "shuffle_questions": False,
        "shuffle_choices": False,
        "required_for_completion": True,
        "live": True,
    }
    defaults.update(options)
    quiz = Quiz(course=course, module=module, **defaults)
    quiz.save()
    for i, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=i)
    return quiz


def correct_ids(question: Question) -> list[str]:
    return [str(c.pk) for c in question.choices.all() if c.is_correct]


def wrong_ids(question: Question) -> list[str]:
    return [str(c.pk) for c in question.choices.all() if not c.is_correct][:1]


def endorse(obj, *, author, reviewer, comment: str = ""):
    """Take ``obj`` (a question or quiz, as edited in memory) through the "Faculty endorsement"
    workflow with Wagtail's own API: the author saves a revision and submits it, the board
    member approves, which publishes it. Returns the object as now stored."""
    obj.save_revision(user=author)
    obj.get_workflow().start(obj, author)
    task_state = obj.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment=comment)
    return type(obj).objects.get(pk=obj.pk)
