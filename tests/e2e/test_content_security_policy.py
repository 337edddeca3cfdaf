"""The Content-Security-Policy in a real browser: every public page works under it.

A learner's whole round — sign-up, log-in, catalogue, a course, a module with every kind
of block (figure, video player, handout, case, table), a quiz taken with autosave and its
result, the dashboard, the profile, certificate verification — in Chromium, which
enforces the policy. tests/e2e/conftest.py fails the test on any violation the pages
report; this test also reads the headers and checks that the page's scripts really ran
(so a policy that silently blocked them would not pass either).
"""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image

from courses.services import enrolment_create
from tests.certificates.factories import issued_certificate
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import PASSWORD, learner
from tests.quizzes.factories import make_question, make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIDEO_URL = "https://www.youtube.com/watch?v=pain-academy-demo"
# What YouTube's oEmbed endpoint returns, cached as Wagtail would cache it (no network here).
VIDEO_HTML = (
    '<iframe width="200" height="113" src="https://www.youtube.com/embed/pain-academy-demo?feature=oembed" '
    'frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
    'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen '
    'title="Genicular nerve block"></iframe>'
)


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _figure() -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (11, 93, 99)).save(buffer, format="PNG")
    return Image.objects.create(
        title="Genicular nerves", file=ImageFile(io.BytesIO(buffer.getvalue()), name="genicular.png")
    )


@pytest.fixture
def course(media_root):
    run = CourseRunFactory(capacity=20, course__title="Knee Pain Interventions")
    figure = _figure()
    handout = Document.objects.create(
        title="Genicular block checklist", file=ContentFile(b"%PDF-1.4 checklist", name="checklist.pdf")
    )
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        html=VIDEO_HTML,
        provider_name="YouTube",
        width=200,
        height=113,
        thumbnail_url="",
    )
    module = ModulePageFactory(
        parent=run.course,
        title="Genicular nerve ablation",
        body=[
            ("heading", {"text": "Anatomy", "level": "h2"}),
            ("paragraph", "<p>The superolateral, superomedial and inferomedial <b>genicular</b> nerves.</p>"),
            (
                "image",
                {
                    "image": figure,
                    "alt_text": "Genicular nerve targets",
                    "caption": "Targets",
                    "attribution": "IPSC",
                },
            ),
            ("video", {"video": VIDEO_URL, "caption": "Ultrasound-guided block", "duration_minutes": 6}),
            ("key_points", {"title": "Key points", "points": ["Two diagnostic blocks first."]}),
            (
                "clinical_case",
                {
                    "title": "A 68-year-old with knee osteoarthritis",
                    "presentation": "<p>Pain for five years despite physiotherapy.</p>",
                    "question": "Is she a candidate?",
                    "discussion": "<p>Yes, after two positive diagnostic blocks.</p>",
                },
            ),
            (
                "table",
                {
                    "data": [["Nerve", "Landmark"], ["Superolateral", "Femoral shaft–lateral epicondyle"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Landmarks",
                },
            ),
            ("download", {"document": handout, "title": "", "description": "One page"}),
            (
                "references",
                {"references": [{"citation": "Choi WJ, et al. Pain. 2011;152:481-7.", "url": ""}]},
            ),
        ],
    )
    quiz = make_quiz(
        run.course,
        questions=[make_question(stem="First-line for neuropathic pain?")],
        module=module,
        title="Knee check",
    )
    doctor = learner()
    enrolment_create(learner=doctor, run=run)
    return run, module, quiz, doctor


def _visit(page, path: str):
    response = page.goto(path)
    assert response.status < 400 or response.status == 404, (path, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy, (path, policy)
    assert "camera=()" in response.headers.get("permissions-policy", ""), path
    return response


def test_every_public_page_works_under_the_policy(page, course):
    run, module, quiz, doctor = course
    certificate = issued_certificate()

    # Anonymous pages.
    for path in (
        "/",
        "/courses/",
        run.course.url,
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/certificates/verify/",
        "/search/?q=knee",
        "/no-such-page/",
    ):
        _visit(page, path)
    _visit(page, f"/certificates/verify/{certificate.verification_code}/")
    expect(page.get_by_text(re.compile("valid", re.I)).first).to_be_visible()

    # Signing in.
    _visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(doctor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("dashboard", re.I))).to_be_visible()

    for path in ("/dashboard/", "/profile/", run.course.url):
        _visit(page, path)

    # The module: figure (through the guarded media view), player frame, handout, case.
    _visit(page, module.url)
    figure = page.get_by_role("img", name="Genicular nerve targets")
    expect(figure).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", figure.element_handle())
    frame = page.locator("iframe[src^='https://www.youtube.com/embed/']")
    expect(frame).to_have_count(1)
    assert frame.bounding_box()["width"] > 300  # the CSS keeps the 16:9 frame without inline styles
    expect(page.get_by_role("link", name="Genicular block checklist")).to_be_visible()
    page.get_by_text("Show discussion").click()  # the case's <details> opens
    expect(page.get_by_text("after two positive diagnostic blocks")).to_be_visible()

    # A quiz: quiz.js autosaves (fetch, connect-src 'self') and counts answers.
    _visit(page, f"/quizzes/{quiz.pk}/")
    page.get_by_role("button", name=re.compile("Start", re.I)).click()
    expect(page.get_by_role("group", name=re.compile("^Question 1 of"))).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/answers/") and r.request.method == "POST") as saved:
        page.get_by_role("radio", name="Pregabalin").check()
    assert saved.value.status == 200
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("button", name=re.compile("Submit", re.I)).first.click()
    page.wait_for_url(re.compile(r"/attempts/\d+/result/"))
    expect(page.get_by_text(re.compile("passed", re.I)).first).to_be_visible()
    _visit(page, page.url)
