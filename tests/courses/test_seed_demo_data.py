"""``seed_demo`` on an empty database: exactly the expected demo, endorsed; bad content refused.

The expectation, ``seed_demo_expected.json`` beside this file, records what a newcomer's
``make run`` loads: every page by type with its title, slug and place in the tree (and a
fingerprint of its content, so a changed word or a lost block shows up), the modules of
each course, the faculty and their disclosures, the images, the runs of each course, the
accounts with their roles, groups and profiles, the question bank by kind and tag, every
quiz with its rules and questions, and the signatories.

When demo content is changed on purpose, rewrite the expectation and review its diff::

    LMS_WRITE_SEED_SNAPSHOT=1 /work/bin/wt-pytest tests/courses/test_seed_demo_data.py

(the test then fails once, saying it wrote the file, so CI can never pass by rewriting it).

The other tests here break a copy of the demo files (``seed_demo --content-dir``) and
check that the command refuses it with a message naming the file and line, and that
nothing at all was written: seeding is one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.images import get_image_model
from wagtail.models import Page, Site, WorkflowState
from wagtail.rich_text import RichText

from certificates.models import Signatory
from courses.models import CoursePage, CourseRun, FacultyMember, ModulePage
from courses.standards import body_word_count
from quizzes.models import Question, Quiz
from tests.support.demo import demo_content_copy, seed, seed_from

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("seed_demo_expected.json")
ACCOUNT_LINE = re.compile(
    r"^  (?P<role>.+?)\s{2,}(?P<email>\S+@\S+)\s+(?P<password>\S+)\s+sign in at (?P<url>\S+)$"
)


def fingerprint(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def plain(value) -> object:
    """Stream and rich-text values as plain JSON: rich text by its HTML, images by title."""
    if isinstance(value, RichText):
        return value.source
    if isinstance(value, get_image_model()):
        return {"image": value.title}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) or type(value).__name__ in {"ListValue", "StreamValue"}:
        return [plain(item) for item in value]
    if hasattr(value, "block_type") and hasattr(value, "value"):  # a StreamChild
        return [value.block_type, plain(value.value)]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def stream(field) -> list:
    return [[block.block_type, plain(block.value)] for block in field]


def page_entry(page: Page) -> dict:
    specific = page.specific
    entry = {
        "type": specific._meta.label,
        "title": page.title,
        "slug": page.slug,
        "parent": page.get_parent().slug,
        "live": page.live,
        "search_description": page.search_description,
    }
    if specific._meta.label == "courses.HomePage":
        entry.update(hero_heading=specific.hero_heading, hero_text=specific.hero_text, about=specific.about)
    elif specific._meta.label == "courses.CourseIndexPage":
        entry.update(intro=specific.intro)
    elif isinstance(specific, CoursePage):
        entry.update(
            track=specific.track,
            summary=specific.summary,
            description_sha=fingerprint(specific.description),
            objectives=[block.value for block in specific.objectives],
            cme_credit_hours=str(specific.cme_credit_hours),
            estimated_hours=specific.estimated_hours,
            audience=specific.audience,
            hero_image=specific.hero_image.title if specific.hero_image else None,
            faculty=[
                [link.faculty_member.name, link.role]
                for link in specific.faculty_links.order_by("sort_order").select_related("faculty_member")
            ],
        )
    elif isinstance(specific, ModulePage):
        body = stream(specific.body)
        entry.update(
            summary=specific.summary,
            estimated_minutes=specific.estimated_minutes,
            objectives=[block.value for block in specific.objectives],
            authors=[
                author.faculty_member.name
                for author in specific.module_authors.order_by("sort_order").select_related("faculty_member")
            ],
            body_blocks=[block_type for block_type, _ in body],
            body_words=body_word_count([(block.block_type, block.value) for block in specific.body]),
            body_sha=fingerprint(body),
        )
    return entry


def file_sha(field_file) -> str:
    with field_file.open("rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


def image_entry(image) -> dict:
    return {
        "title": image.title,
        "width": image.width,
        "height": image.height,
        "file_sha": file_sha(image.file),
    }


def run_entry(run: CourseRun, this_month: datetime.date) -> dict:
    opens = timezone.localtime(run.enrolment_opens_at)
    closes = timezone.localtime(run.enrolment_closes_at)
    if closes.date() == run.ends_on:
        closes_rule = f"last day of the run {closes:%H:%M}"
    else:
        closes_rule = f"{(closes.date() - run.starts_on).days} days after the start {closes:%H:%M}"
    return {
        "months_from_now": (run.starts_on.year - this_month.year) * 12
        + run.starts_on.month
        - this_month.month,
        "label_is_the_month": run.label == f"{run.starts_on:%B %Y}",
        "whole_month": run.starts_on.day == 1 and (run.ends_on + datetime.timedelta(days=1)).day == 1,
        "opens": f"{(run.starts_on - opens.date()).days} days before the start {opens:%H:%M}",
        "closes": closes_rule,
        "capacity": run.capacity,
        "seats_taken": run.seats_taken,
    }


def question_entry(question: Question) -> dict:
    choices = [
        [choice.text, choice.is_correct, choice.feedback]
        for choice in question.choices.order_by("sort_order")
    ]
    return {
        "kind": question.kind,
        "track": question.track,
        "difficulty": question.difficulty,
        "tags": sorted(question.tags.names()),
        "stem_starts": strip_tags(question.stem)[:70],
        "choices": len(choices),
        "correct": sum(correct for _, correct, _ in choices),
        "author": question.created_by.email if question.created_by else None,
        "sha": fingerprint([question.stem, question.explanation, choices]),
    }


def demo_snapshot(output: str) -> dict:
    """Everything ``seed_demo`` put in the database, as JSON-ready data (see the module docstring)."""
    this_month = timezone.localdate().replace(day=1)
    User = get_user_model()
    pages = [page_entry(page) for page in Page.objects.filter(depth__gt=1).order_by("path")]

    printed = [match.groupdict() for line in output.splitlines() if (match := ACCOUNT_LINE.match(line))]
    accounts = []
    for row in printed:
        user = User.objects.get(email__iexact=row["email"])
        profile = getattr(user, "doctor_profile", None)
        accounts.append(
            {
                "role": row["role"],
                "email": user.email,
                "printed_password_works": user.check_password(row["password"]),
                "signs_in_at": row["url"],
                "first_name": user.first_name,
                "last_name": user.last_name,
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
                "groups": sorted(user.groups.values_list("name", flat=True)),
                "verified_primary_addresses": list(
                    EmailAddress.objects.filter(user=user, verified=True, primary=True).values_list(
                        "email", flat=True
                    )
                ),
                "profile": None
                if profile is None
                else {
                    field: str(getattr(profile, field))
                    for field in (
                        "full_name",
                        "council",
                        "registration_number",
                        "specialty",
                        "institution",
                        "city",
                        "country",
                    )
                },
            }
        )

    questions = list(Question.objects.order_by("pk").prefetch_related("choices", "tags"))
    position = {question.pk: index for index, question in enumerate(questions)}
    quizzes = [
        {
            "title": quiz.title,
            "course": quiz.course.slug,
            "module": quiz.module.slug if quiz.module_id else None,
            "role": quiz.role,
            "selection": quiz.selection,
            "questions": [position[link.question_id] for link in quiz.quiz_questions.order_by("sort_order")],
            "draw_count": quiz.draw_count,
            "draw_tags": sorted(tag.name for tag in quiz.draw_tags.all()),
            "pass_mark_percent": str(quiz.pass_mark_percent),
            "attempts_allowed": quiz.attempts_allowed,
            "time_limit_minutes": quiz.time_limit_minutes,
            "shuffle_questions": quiz.shuffle_questions,
            "shuffle_choices": quiz.shuffle_choices,
            "review_policy": quiz.review_policy,
            "multiple_response_scoring": quiz.multiple_response_scoring,
            "required_for_completion": quiz.required_for_completion,
            "live": quiz.live,
            "instructions_sha": fingerprint(quiz.instructions),
        }
        for quiz in Quiz.objects.order_by("pk").select_related("course", "module")
    ]

    return {
        "sites": [
            {
                "hostname": site.hostname,
                "port": site.port,
                "root_page": site.root_page.slug,
                "is_default_site": site.is_default_site,
                "site_name": site.site_name,
            }
            for site in Site.objects.order_by("pk")
        ],
        "pages": pages,
        "modules_per_course": {
            course.slug: list(
                ModulePage.objects.child_of(course).order_by("path").values_list("slug", flat=True)
            )
            for course in CoursePage.objects.order_by("path")
        },
        "faculty": [
            {
                "name": member.name,
                "credentials": member.credentials,
                "specialty": member.specialty,
                "bio": member.bio,
                "account": member.user.email if member.user_id else None,
                "disclosures_confirmed_today": member.disclosures_confirmed_on == timezone.localdate(),
                "disclosures": [
                    [
                        d.company,
                        d.relationship,
                        d.started_on.isoformat(),
                        d.ended_on and d.ended_on.isoformat(),
                    ]
                    for d in member.disclosures.order_by("sort_order")
                ],
            }
            for member in FacultyMember.objects.order_by("pk")
        ],
        "images": [image_entry(image) for image in get_image_model().objects.order_by("pk")],
        "runs_per_course": {
            course.slug: [run_entry(run, this_month) for run in CourseRun.objects.filter(course=course)]
            for course in CoursePage.objects.order_by("path")
        },
        "accounts": accounts,
        "users": sorted(User.objects.values_list("email", flat=True)),
        "questions_per_kind": dict(sorted(Counter(q.kind for q in questions).items())),
        "questions_per_tag": dict(sorted(Counter(t for q in questions for t in q.tags.names()).items())),
        "questions_per_track": dict(sorted(Counter(q.track for q in questions).items())),
        "questions": [question_entry(question) for question in questions],
        "quizzes": quizzes,
        "signatories": [
            {
                "name": signatory.name,
                "title": signatory.title,
                "sort_order": signatory.sort_order,
                "active": signatory.active,
                "signature": signatory.signature.title if signatory.signature_id else None,
            }
            for signatory in Signatory.objects.order_by("pk")
        ],
    }


def test_seed_demo_on_an_empty_database_yields_the_expected_catalogue_questions_and_accounts(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    snapshot = demo_snapshot(out.getvalue())

    if os.environ.get("LMS_WRITE_SEED_SNAPSHOT"):
        EXPECTED.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n")
        pytest.fail(f"Wrote {EXPECTED.name}; review its diff, commit it, and run again without the variable.")
    expected = json.loads(EXPECTED.read_text())
    # Section by section, so a failure names what changed.
    for section in expected:
        assert snapshot[section] == expected[section], section
    assert snapshot.keys() == expected.keys()


# --- On an empty database, each test seeding for itself ------------------------------------


def written() -> dict[str, int]:
    """Rows of everything seed_demo writes (an empty test database has none of these)."""
    from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

    from courses.models import Endorsement, HomePage

    models = [HomePage, CoursePage, ModulePage, Revision, PageLogEntry, WorkflowState, TaskState]
    models += [Endorsement, FacultyMember, CourseRun, Question, Quiz, Signatory, EmailAddress]
    return {model._meta.label: model.objects.count() for model in models}


def test_refuses_to_run_with_production_settings(settings):
    settings.LMS_ENVIRONMENT = "production"

    with pytest.raises(CommandError, match="production"):
        seed()

    assert not any(written().values())


def test_seeding_sends_no_workflow_email(settings, tmp_path, django_capture_on_commit_callbacks, mailoutbox):
    """The seeder is author and board at once; its review e-mails would tell nobody anything."""
    settings.MEDIA_ROOT = tmp_path

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed()

    # Every course, module, course evaluation, question and quiz went through review.
    assert WorkflowState.objects.count() == 17 + 4 + Question.objects.count() + Quiz.objects.count()
    assert [cb for cb in callbacks if "notifications" in cb.__module__] == []
    assert mailoutbox == []


def test_a_module_below_the_content_standard_is_refused_and_nothing_is_written(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = demo_content_copy(tmp_path)
    module = content / "courses" / "courses" / "cancer-pain" / "assessing-cancer-pain.md"
    front, _, _ = module.read_text().partition("\n---\n\n")
    # Headings, key points and references only: under the 200 words of teaching text.
    module.write_text(front + "\n---\n\n## Assessment\n\n```references\n- @who-2018\n```\n")

    with pytest.raises(CommandError) as refused:
        seed_from(content)

    message = str(refused.value)
    assert "nothing was changed" in message
    assert "courses/cancer-pain/assessing-cancer-pain.md" in message
    assert "cannot be submitted for endorsement" in message
    assert "words of teaching text; a module needs at least 200" in message
    assert not any(written().values())


def test_content_that_breaks_a_later_step_leaves_nothing_behind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = demo_content_copy(tmp_path)
    # Signatories are the last thing seeded: everything before them was already written.
    signatories = content / "certificates" / "signatories.yaml"
    signatories.write_text(signatories.read_text().replace("sort_order: 1", "sort_order: first"))

    with pytest.raises(
        CommandError, match=r"signatories.yaml:\d+: signatories\[1\].sort_order: expected a whole number"
    ):
        seed_from(content)

    assert not any(written().values())


def test_a_misspelt_key_is_refused_with_file_and_line(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = demo_content_copy(tmp_path)
    faculty = content / "courses" / "faculty.yaml"
    lines = faculty.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if "specialty: Neuropathic pain" in line)
    lines[number] = lines[number].replace("specialty:", "speciality:")
    faculty.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as refused:
        seed_from(content)

    assert f"courses/faculty.yaml:{number + 1}: faculty[4].speciality: unknown key" in str(refused.value)
    assert not any(written().values())


def test_a_content_dir_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"--content-dir .*missing is not a folder"):
        seed_from(tmp_path / "missing")

    assert not any(written().values())
