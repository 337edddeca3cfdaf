"""Presentation helpers for the public site's templates.

Only formatting lives here: which Bootstrap class a widget or a message needs, how a
run's enrolment state reads to a learner. Nothing here queries the database.
"""

from __future__ import annotations

import datetime
import logging
import re
from functools import cache
from pathlib import Path

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()
logger = logging.getLogger(__name__)


# --- Icons ----------------------------------------------------------------------------

# Bootstrap Icons' SVGs, only those the site uses (lms/icons/README.md). A page shows an
# icon as <svg><use href="#i-name"></svg> and carries one inline sprite with the symbols
# it used, so no icon font or stylesheet is downloaded.
ICONS_DIR = Path(__file__).resolve().parents[2] / "lms" / "icons"
_SVG = re.compile(r"<svg[^>]*viewBox=\"(?P<viewbox>[^\"]+)\"[^>]*>(?P<body>.*)</svg>", re.S)


@cache
def icon_symbol(name: str) -> str | None:
    """The ``<symbol>`` for the icon ``name`` (``None`` if the site has no such icon)."""
    path = ICONS_DIR / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        return None
    match = _SVG.search(path.read_text())
    body = re.sub(r">\s+<", "><", match["body"].strip())
    return f'<symbol id="i-{name}" viewBox="{match["viewbox"]}">{body}</symbol>'


def _register_icon(context, name: str) -> bool:
    if icon_symbol(name) is None:
        logger.error("No icon named %r in %s", name, ICONS_DIR)
        return False
    used = context.get("academy_icons")
    if used is not None:
        used.add(name)
    return True


@register.simple_tag(takes_context=True)
def bi(context, name: str, css_class: str = "", label: str = ""):
    """An icon; decorative (hidden from screen readers) unless ``label`` names it."""
    name = name.removeprefix("bi-")
    if not _register_icon(context, name):
        return ""
    if label:
        return format_html(
            '<svg class="bi bi-{} {}" role="img" aria-label="{}"><use href="#i-{}"></use></svg>',
            name,
            css_class,
            label,
            name,
        )
    return format_html(
        '<svg class="bi bi-{} {}" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>',
        name,
        css_class,
        name,
    )


@register.simple_tag(takes_context=True)
def icons_for_scripts(context, *names: str) -> str:
    """Put icons a page's script draws (and the template does not) into the sprite."""
    for name in names:
        _register_icon(context, name)
    return ""


@register.simple_tag(takes_context=True)
def icon_sprite(context):
    """The symbols of every icon the page used; last thing in the body."""
    names = sorted(context.get("academy_icons") or ())
    symbols = "".join(icon_symbol(name) or "" for name in names)
    return mark_safe(
        '<svg xmlns="http://www.w3.org/2000/svg" class="icon-sprite" width="0" height="0" aria-hidden="true">'
        f"{symbols}</svg>"
    )


# --- Forms ----------------------------------------------------------------------------


def _widget_kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def widget_kind(bound_field) -> str:
    """``hidden``, ``checkbox``, ``checkboxes``, ``radio``, ``select``, ``textarea``, ``file`` or ``input``."""
    return _widget_kind(bound_field.field.widget)


_WIDGET_CLASS = {
    "checkbox": "form-check-input",
    "checkboxes": "form-check-input",
    "radio": "form-check-input",
    "select": "form-select",
}


@register.simple_tag
def field_widget(bound_field, extra_class: str = ""):
    """Render a bound field's widget with Bootstrap's class and its ARIA state.

    The ids match Django's own (``<id>_helptext``, ``<id>_error``), which
    ``includes/form_field.html`` gives to the help text and the error list.
    """
    widget = bound_field.field.widget
    kind = _widget_kind(widget)
    classes = [widget.attrs.get("class", ""), _WIDGET_CLASS.get(kind, "form-control"), extra_class]
    attrs = {}
    if bound_field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
    described_by = []
    if bound_field.auto_id and bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.auto_id and bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    if widget.attrs.get("aria-describedby"):
        described_by.insert(0, widget.attrs["aria-describedby"])
    if described_by and kind not in ("radio", "checkboxes"):
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(c for c in classes if c)
    if kind in ("radio", "checkboxes"):
        # Sub-widgets take their attributes from the widget itself; the form instance
        # owns a deep copy of it, so this does not leak into other requests.
        widget.attrs["class"] = attrs["class"]
    return bound_field.as_widget(attrs=attrs)


# --- Messages -------------------------------------------------------------------------

_ALERT = {"error": "danger", "debug": "secondary", "info": "info", "success": "success", "warning": "warning"}
_ALERT_ICON = {
    "error": "exclamation-octagon-fill",
    "warning": "exclamation-triangle-fill",
    "success": "check-circle-fill",
    "info": "info-circle-fill",
    "debug": "bug-fill",
}


@register.filter
def alert_class(message) -> str:
    return "alert-" + _ALERT.get(getattr(message, "level_tag", ""), "info")


@register.filter
def alert_icon(message) -> str:
    return _ALERT_ICON.get(getattr(message, "level_tag", ""), "info-circle-fill")


# --- Courses --------------------------------------------------------------------------

_TRACK_ICON = {
    "acute": "lightning-charge",
    "chronic": "arrow-repeat",
    "cancer": "heart-pulse",
    "multidisciplinary": "people",
}

_TRACK_BLURB = {
    "acute": "Post-operative, trauma and emergency pain: assess early, treat well, prevent chronicity.",
    "chronic": "Spine, joint and neuropathic pain: interventional and regenerative options, rehabilitation.",
    "cancer": "Pain at every stage of cancer care: the analgesic ladder, nerve blocks, palliation.",
    "multidisciplinary": "Psychology, physiotherapy and medicine together around one patient.",
}


@register.filter
def track_icon(track: str) -> str:
    return _TRACK_ICON.get(track, "journal-medical")


@register.filter
def track_blurb(track: str) -> str:
    return _TRACK_BLURB.get(track, "")


@register.simple_tag
def run_state(run, now=None) -> dict:
    """How a run's enrolment reads to a learner: ``{"key", "label", "badge"}``.

    ``key`` is one of ``open``, ``full``, ``opens``, ``closed``.
    """
    if run is None:
        return {"key": "none", "label": "No run scheduled", "badge": "text-bg-light"}
    now = now or timezone.now()
    if now < run.enrolment_opens_at:
        opens = timezone.localtime(run.enrolment_opens_at)
        return {"key": "opens", "label": f"Opens {opens.day} {opens:%b %Y}", "badge": "text-bg-light"}
    if now >= run.enrolment_closes_at:
        return {"key": "closed", "label": "Enrolment closed", "badge": "text-bg-secondary"}
    if run.seats_left <= 0:
        return {"key": "full", "label": "Full", "badge": "text-bg-secondary"}
    return {"key": "open", "label": "Enrolment open", "badge": "text-bg-success"}


@register.filter
def closing_time(moment) -> str:
    """When a window closes, as a person reads it: a close at midnight is the end of the
    day before ("at the end of 7 January"), anything else names its time ("at 17:30 on
    7 January"). The year shows only when it is not this year."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day, phrase = local - datetime.timedelta(days=1), "at the end of {date}"
    else:
        day, phrase = local, f"at {local:%H:%M} on {{date}}"
    date = f"{day.day} {day:%B}"
    if day.year != timezone.localdate().year:
        date += f" {day.year}"
    return phrase.format(date=date)


@register.filter
def percent_of(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when ``whole`` is 0), clamped to 0–100."""
    try:
        part, whole = float(part), float(whole)
    except (TypeError, ValueError):
        return 0
    if whole <= 0:
        return 0
    return max(0, min(100, round(100 * part / whole)))


@register.filter
def as_percent(fraction) -> int:
    """A fraction (0.734) as a whole percentage (73), rounded; 0 for anything else."""
    try:
        return round(float(fraction) * 100)
    except (TypeError, ValueError):
        return 0


def _minutes_seconds(seconds) -> tuple[int, int]:
    try:
        return divmod(max(int(seconds), 0), 60)
    except (TypeError, ValueError):
        return 0, 0


@register.filter
def duration_words(seconds) -> str:
    """``581`` → ``9 min 41 s``; ``600`` → ``10 min``; ``45`` → ``45 s`` (time left on a quiz)."""
    mins, secs = _minutes_seconds(seconds)
    if mins:
        return f"{mins} min {secs} s" if secs else f"{mins} min"
    return f"{secs} s"


@register.filter
def clock_face(seconds) -> str:
    """``581`` → ``9:41`` (the quiz timer's starting face; the script counts down from it)."""
    mins, secs = _minutes_seconds(seconds)
    return f"{mins}:{secs:02d}"


@register.filter
def clamp_percent(value) -> int:
    try:
        return max(0, min(100, int(value)))
    except (TypeError, ValueError):
        return 0


@register.filter
def minutes(value) -> str:
    """``95`` → ``1 h 35 min``; ``40`` → ``40 min``."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return ""
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    if hours:
        return f"{hours} h"
    return f"{mins} min"


@register.filter
def page_kind(page) -> str:
    """``Course`` or ``Module`` for a search result (else the page type's name)."""
    name = type(page).__name__
    return {"CoursePage": "Course", "ModulePage": "Module"}.get(
        name, page.specific_class._meta.verbose_name.capitalize() if page.specific_class else "Page"
    )


@register.filter
def startswith(value, prefix) -> bool:
    return str(value).startswith(str(prefix))
