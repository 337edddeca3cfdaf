"""The Wagtail admin works under its Content-Security-Policy, in a real browser.

The admin has a policy of its own (settings.ADMIN_CONTENT_SECURITY_POLICY: Wagtail 8
still needs inline scripts and styles). Here an administrator uses the parts of the
admin that lean on them most — uploading images (previews drawn in the page), the page
editor with the image chooser modal and the live preview frame, and a snippet editor
with date pickers — and tests/e2e/conftest.py fails the test on any violation. The
workflow actions (submit, approve with comment) run under the same guard in
tests/e2e/test_endorsement.py, the question and quiz snippet editors with their choosers
in tests/e2e/test_quiz_authoring.py.
"""

import re

import pytest
from django.contrib.auth.models import Group
from PIL import Image as PILImage
from playwright.sync_api import expect
from wagtail.images.models import Image

from courses.models import CourseRun, ModulePage
from lms.roles import ADMINISTRATORS
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADMIN_TIMEOUT = 60_000  # the first admin page of a fresh live server collects its static files


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def administrator(media_root):
    user = UserFactory(is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


def _sign_in(page, user):
    page.goto("/admin/login/", timeout=ADMIN_TIMEOUT)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible(timeout=ADMIN_TIMEOUT)


def _png(tmp_path) -> str:
    path = tmp_path / "knee-ultrasound.png"
    PILImage.new("RGB", (400, 300), (40, 120, 160)).save(path, format="PNG")
    return str(path)


def test_an_administrator_uploads_an_image_and_places_it_in_a_module_with_the_chooser(
    page, administrator, tmp_path
):
    run = CourseRunFactory(course__title="Knee Pain Interventions")
    module = ModulePageFactory(parent=run.course, title="Genicular nerve ablation")
    _sign_in(page, administrator)

    # Upload through the multiple-upload screen (its previews are drawn by script).
    page.goto("/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(_png(tmp_path))
    expect(page.get_by_text(re.compile("Upload successful. Please update", re.I))).to_be_visible()
    image = Image.objects.get(title="knee-ultrasound")

    # The page editor: an image block, filled from the chooser modal.
    page.goto(f"/admin/pages/{module.pk}/edit/")
    body = page.get_by_role("region", name="Body", exact=True)
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Image").click()
    block = body.get_by_role("region", name=re.compile("^Image"))
    block.get_by_role("button", name=re.compile("Choose an image", re.I)).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=re.compile("knee-ultrasound")).first.click()
    expect(dialog).to_be_hidden()
    expect(block.get_by_text("knee-ultrasound")).to_be_visible()
    block.get_by_role("textbox", name=re.compile("Alt text", re.I)).fill("Ultrasound of the knee")
    page.locator("footer").get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"has been (updated|saved)", re.I)).first).to_be_visible()

    draft = ModulePage.objects.get(pk=module.pk).get_latest_revision_as_object()
    assert [block.value["image"].pk for block in draft.body if block.block_type == "image"] == [image.pk]

    # The live preview frames the public page as the admin renders it (frame-ancestors 'self').
    page.goto(f"/admin/pages/{run.course.pk}/edit/")
    page.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()
    preview = page.frame_locator("iframe[title*='Preview' i]").first
    expect(preview.get_by_role("heading", name="Knee Pain Interventions", level=1)).to_be_visible(
        timeout=ADMIN_TIMEOUT
    )


def test_an_administrator_edits_a_course_run_with_the_date_pickers(page, administrator):
    run = CourseRunFactory(course__title="Cancer Pain Essentials")
    _sign_in(page, administrator)
    page.goto(f"/admin/snippets/courses/courserun/edit/{run.pk}/")
    page.locator("input[name='label']").fill("Special run")
    # Wagtail's date widget is set up by an inline script: the picker opens on focus.
    page.locator("input[name='ends_on']").click()
    expect(page.locator(".xdsoft_datetimepicker").filter(has=page.locator(":visible")).first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("footer").get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"updated", re.I)).first).to_be_visible()
    assert CourseRun.objects.get(pk=run.pk).label == "Special run"
