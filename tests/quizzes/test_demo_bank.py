"""Reading the demo question bank files (``quizzes/demo/``), and refusing what breaks the rules.

Each refusal breaks one thing in a copy of the real files and checks the message names
the file and line; the seed_demo test also checks that nothing at all was written.
"""

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from courses.demo.catalogue import load_catalogue
from courses.models import CoursePage
from lms.demo_data import DemoDataError
from quizzes.demo import demo_content_problems, load_question_bank
from quizzes.models import Question
from tests.support.demo import demo_content_copy, seed_from

FOUNDATIONS = "foundations-of-pain-medicine.yaml"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def folder(tmp_path) -> Path:
    return demo_content_copy(tmp_path) / "quizzes"


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text()
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def refusal(folder: Path, catalogue) -> str:
    with pytest.raises(DemoDataError) as refused:
        load_question_bank(catalogue=catalogue, folder=folder)
    return str(refused.value)


def test_the_demo_bank_is_valid_and_true_false_items_read_as_two_choices(catalogue):
    bank = load_question_bank(catalogue=catalogue)

    assert demo_content_problems(bank=bank, catalogue=catalogue) == []
    budapest = next(q for q in bank["questions"] if q["key"] == "foundations-budapest-criteria")
    assert budapest["stem"].startswith("<p>True or false: A diagnosis of complex regional pain syndrome")
    assert [(c["text"], c["is_correct"]) for c in budapest["choices"]] == [("True", False), ("False", True)]
    assert budapest["track"] == "multidisciplinary"
    # A setting the quiz leaves out comes from its role's defaults; one it gives wins.
    checks = {q["title"]: q for q in bank["quizzes"] if q["role"] == "module_check"}
    assert checks["Module check: multimodal analgesia"]["pass_mark_percent"] == 70
    assert checks["Module check: early diagnosis and red flags"]["pass_mark_percent"] == 60
    assert checks["Module check: early diagnosis and red flags"]["attempts_allowed"] == 3


@pytest.mark.django_db
def test_demo_content_that_breaks_the_rules_is_refused_and_nothing_is_written(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = demo_content_copy(tmp_path)
    bank_file = content / "quizzes" / FOUNDATIONS
    key_line = edit(
        bank_file,
        "  - key: foundations-secondary-hyperalgesia",
        "  - key: foundations-secondary-hyperalgesia",
    )
    # A second right answer on a single-best-answer question.
    edit(
        bank_file,
        "      - wrong: Peripheral sensitisation of nociceptors by inflammatory mediators",
        "      - right: Peripheral sensitisation of nociceptors by inflammatory mediators",
    )

    with pytest.raises(CommandError) as refused:
        seed_from(content)

    assert (
        f"quizzes/{FOUNDATIONS}:{key_line}: Question 'foundations-secondary-hyperalgesia' "
        "is single-best-answer but has 2 correct choices"
    ) in str(refused.value)
    assert not Question.objects.exists()
    assert not CoursePage.objects.exists()


def test_rules_across_questions_and_quizzes_are_all_reported_with_their_lines(folder, catalogue):
    first = edit(
        folder / FOUNDATIONS,
        "  - key: foundations-nociplastic-pain",
        "  - key: foundations-descending-modulation",
    )
    quiz = edit(
        folder / FOUNDATIONS,
        "  - title: 'Module check: early diagnosis and red flags'",
        "  - title: 'Module check: early diagnosis and red flags'",
    )
    edit(
        folder / FOUNDATIONS,
        "    module: early-diagnosis-and-red-flags\n    questions:",
        "    module: how-pain-works\n    questions:",
    )

    problems = demo_content_problems(
        bank=load_question_bank(catalogue=catalogue, folder=folder), catalogue=catalogue
    )

    assert any(
        f"quizzes/{FOUNDATIONS}:{first}:" in p
        and "the question key 'foundations-descending-modulation' is already used" in p
        for p in problems
    ), problems
    assert any(
        f"quizzes/{FOUNDATIONS}:{quiz}:" in p and "checks 'how-pain-works' but uses" in p for p in problems
    ), problems


def test_a_choice_must_be_right_or_wrong_and_a_module_must_exist(folder, catalogue):
    line = edit(
        folder / FOUNDATIONS, "      - wrong: A conversion disorder", "      - maybe: A conversion disorder"
    )
    assert (
        f"quizzes/{FOUNDATIONS}:{line}: questions[0].choices[4]: a choice is written as 'right: <text>'"
        in refusal(folder, catalogue)
    )
    edit(folder / FOUNDATIONS, "maybe: A conversion", "wrong: A conversion")

    line = edit(folder / FOUNDATIONS, "    module: how-pain-works", "    module: how-pain-work")
    assert (
        f"quizzes/{FOUNDATIONS}:{line}: questions[0].module: 'how-pain-work' is not one of how-pain-works"
        in refusal(folder, catalogue)
    )


def test_a_setting_neither_the_quiz_nor_its_defaults_give_is_asked_for(folder, catalogue):
    edit(folder / FOUNDATIONS, "    time_limit_minutes: 25\n", "")

    message = refusal(folder, catalogue)

    assert "the quiz 'Final assessment: Foundations of Pain Medicine' needs 'time_limit_minutes'" in message
    assert "quiz-defaults.yaml gives no default for final quizzes" in message


def test_defaults_and_bank_files_must_name_real_settings_and_courses(folder, catalogue):
    line = edit(folder / "quiz-defaults.yaml", "    attempts_allowed: 3", "    attempts: 3")
    assert (
        f"quiz-defaults.yaml:{line}: quiz_defaults.module_check.attempts: is not a quiz setting"
        in refusal(folder, catalogue)
    )
    edit(folder / "quiz-defaults.yaml", "    attempts: 3", "    attempts_allowed: 3")

    (folder / "palliative-care.yaml").write_text("questions: []\n")
    assert "palliative-care.yaml: there is no course 'palliative-care' in the demo catalogue" in refusal(
        folder, catalogue
    )
