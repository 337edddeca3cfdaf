"""A first visit to a course page, as production serves it: hashed static files,
compressed by whitenoise (brotli, else gzip), and at most 250 KB in all."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from courses.services import enrolment_create
from tests.courses.factories import CourseRunFactory, ModulePageFactory
from tests.factories import learner

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
FIRST_VISIT_BUDGET = 250 * 1024


@pytest.fixture
def production_static(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_first_visit_to_an_enrolled_course_page_weighs_at_most_250_kb(production_static):
    doctor = learner()
    run = CourseRunFactory()
    for _ in range(8):
        ModulePageFactory(parent=run.course)
    enrolment_create(learner=doctor, run=run)
    browser = Client()
    browser.force_login(doctor)
    page = browser.get(run.course.url)
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(url.endswith(".css") for url in assets) and any(url.endswith(".js") for url in assets)

    sent = len(page.content)
    unpacked = len(page.content)
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} is not a hashed name"
        response = browser.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        if not url.endswith((".svg", ".png", ".woff2")):
            assert response["Content-Encoding"] == "br", url
        assert "immutable" in response["Cache-Control"], url
        sent += len(body)
        unpacked += (production_static / url.removeprefix("/static/")).stat().st_size
    print(f"course page first visit: {sent} bytes sent ({unpacked} uncompressed), {len(assets) + 1} requests")
    assert sent <= FIRST_VISIT_BUDGET
