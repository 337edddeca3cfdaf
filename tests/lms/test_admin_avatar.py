"""Staff profile pictures in the admin: an uploaded one is served at the academy's guarded
address (the plain media address answers 404 for anything but image-library images, which
is why it showed broken); without one, Wagtail's default picture from our own static files.
Nothing is fetched from outside (no Gravatar)."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.users.models import UserProfile

from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 93, 99)).save(buffer, "PNG")
    return buffer.getvalue()


def avatars_in(html: str) -> list[str]:
    """The pictures of Wagtail's avatar component (a span.avatar holding an img)."""
    return re.findall(r'class="avatar[^"]*"[^>]*>\s*<img src="([^"]+)"', html)


@pytest.fixture
def staff_member(client, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_an_uploaded_picture_is_served_to_staff_and_to_nobody_else(client, staff_member):
    profile = UserProfile.get_for_user(staff_member)
    profile.avatar = SimpleUploadedFile("me.png", png(), content_type="image/png")
    profile.save()
    address = reverse("admin_avatar", args=[staff_member.pk])

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert address in dashboard
    assert profile.avatar.url not in dashboard  # the plain media address, which answers 404
    assert client.get(profile.avatar.url).status_code == 404

    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(learner())
    assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 404


def test_without_a_picture_the_default_is_our_own_static_file(client, staff_member):
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    sources = set(avatars_in(dashboard))
    assert sources, "no avatar on the dashboard"
    for src in sources:
        assert src.startswith("/static/"), src
        assert finders.find(src.removeprefix("/static/").split("?")[0])
    assert client.get(reverse("admin_avatar", args=[staff_member.pk])).status_code == 404
