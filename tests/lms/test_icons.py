"""The icons: Bootstrap Icons SVGs committed in lms/icons, exactly those the site draws."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from courses.templatetags.academy import _ALERT_ICON, _TRACK_ICON, ICONS_DIR, closing_time, icon_symbol

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS_ICONS = {"check-circle-fill", "circle"}  # static/js/quiz.js draws these
MENU = {"list"}


def icons_named_in_templates() -> set[str]:
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r'\{% (?:bi|icons_for_scripts) "([a-z0-9-]+)"', template.read_text()))
    return names


def test_every_icon_a_template_or_filter_names_is_committed_and_nothing_else():
    named = (
        icons_named_in_templates()
        | set(_ALERT_ICON.values())
        | set(_TRACK_ICON.values())
        | {"journal-medical"}
    )
    committed = {path.stem for path in ICONS_DIR.glob("*.svg")}
    assert named - committed == set(), "named but not in lms/icons"
    assert committed - named - SCRIPTS_ICONS - MENU == set(), "committed but never used"
    assert all(
        icon_symbol(name).startswith(f'<symbol id="i-{name}" viewBox="0 0 16 16">') for name in committed
    )


def test_no_template_uses_the_icon_font_any_more():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "bootstrap-icons" not in text and '<i class="bi' not in text, template


def test_closing_times_read_as_the_end_of_the_day_before_midnight(settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    zone = ZoneInfo("Asia/Kolkata")
    year = timezone.localdate().year
    assert closing_time(datetime.datetime(year, 1, 8, 0, 0, tzinfo=zone)) == "at the end of 7 January"
    assert closing_time(datetime.datetime(year, 1, 7, 17, 30, tzinfo=zone)) == "at 17:30 on 7 January"
    assert (
        closing_time(datetime.datetime(year + 1, 3, 1, 0, 0, tzinfo=zone))
        == f"at the end of 28 February {year + 1}"
    )
