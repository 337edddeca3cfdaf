"""Wagtail's moderation messages in the academy's words (scripts/academy_words.py)."""

import importlib.util
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("academy_words", ROOT / "scripts/academy_words.py")
academy_words = importlib.util.module_from_spec(spec)
spec.loader.exec_module(academy_words)


def test_the_catalogue_covers_every_moderation_message_of_the_installed_wagtail():
    assert academy_words.main(["--check"]) == 0, "run .venv/bin/python scripts/academy_words.py"
    for message in academy_words.wagtail_messages():
        reworded = academy_words.academy_words(message)
        assert "moderation" not in reworded.lower() and "awaiting" not in reworded.lower(), reworded


def test_the_admin_and_its_e_mails_speak_of_endorsement_by_the_faculty():
    with translation.override("en-gb"):
        assert (
            gettext("Page '%(page_title)s' has been submitted for moderation.")
            == "'%(page_title)s' has been sent to the Faculty for endorsement."
        )
        assert gettext("Submit to %(workflow_name)s") % {"workflow_name": "Faculty endorsement"} == (
            "Send for Faculty endorsement"
        )
        assert gettext("Awaiting your review") == "Sent to you for endorsement"
        assert gettext(
            'The page "%(title)s" has been submitted for approval to moderation stage "%(task)s".'
        ) == ('The page "%(title)s" has been sent to the Faculty for endorsement (review "%(task)s").')
        assert gettext('The page "%(title)s" has been approved in workflow "%(workflow)s".') == (
            'The page "%(title)s" has been endorsed by the Faculty of Pain Medicine.'
        )
        # Everything else stays Wagtail's.
        assert gettext("Save draft") == "Save draft"
