"""Sections other apps add to the course page, the module page and the dashboard.

``courses`` renders its own pages; an app that has something to show there (``quizzes``:
the assessments; ``certificates``: the learner's certificate) registers a *provider*
through :mod:`courses.api`. A provider receives what the page already read (the
course overview, the module context or the dashboard's entries, with their
:class:`~courses.completion.ReadCache`) and returns :class:`Panel` data: the template
its app names and the typed data that template renders. ``courses`` includes that
template inside its own page, so it never imports the other app and never receives
ready-made HTML.

Providers read in a constant number of queries (a dashboard provider is given every
entry at once and answers for all of them), so the pages stay flat however many
modules or enrolments they show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from courses.selectors import CourseOverview, DashboardEntry, ModuleContext


@dataclass(frozen=True)
class Panel:
    """One section of a page: ``template`` (the providing app's) renders ``data`` as ``panel.data``."""

    key: str
    template: str
    data: Any
    order: int = 100


CoursePanelProvider = Callable[["CourseOverview", Any], Panel | None]
ModulePanelProvider = Callable[["ModuleContext"], Panel | None]
DashboardPanelProvider = Callable[[Sequence["DashboardEntry"]], Mapping[int, Panel]]

_course: dict[str, CoursePanelProvider] = {}
_module: dict[str, ModulePanelProvider] = {}
_dashboard: dict[str, DashboardPanelProvider] = {}


def register_course_panel(key: str, provider: CoursePanelProvider) -> None:
    """``provider(overview, user)`` → a :class:`Panel` for the course page, or ``None``."""
    _course[key] = provider


def register_module_panel(key: str, provider: ModulePanelProvider) -> None:
    """``provider(module_context)`` → a :class:`Panel` for the module page, or ``None``."""
    _module[key] = provider


def register_dashboard_panel(key: str, provider: DashboardPanelProvider) -> None:
    """``provider(entries)`` → ``{enrolment id: Panel}`` for the dashboard entries it has something for."""
    _dashboard[key] = provider


def _ordered(panels) -> list[Panel]:
    return sorted((p for p in panels if p is not None), key=lambda p: (p.order, p.key))


def course_panels(overview: CourseOverview, user) -> list[Panel]:
    return _ordered(provider(overview, user) for provider in _course.values())


def module_panels(module_context: ModuleContext) -> list[Panel]:
    return _ordered(provider(module_context) for provider in _module.values())


def dashboard_panels(entries: Sequence[DashboardEntry]) -> dict[int, list[Panel]]:
    """``{enrolment id: [Panel, …]}`` from every dashboard provider (each asked once, for all entries)."""
    if not entries:
        return {}
    collected: dict[int, list[Panel]] = {entry.enrolment.pk: [] for entry in entries}
    for provider in _dashboard.values():
        for enrolment_id, panel in provider(entries).items():
            collected[enrolment_id].append(panel)
    return {enrolment_id: _ordered(panels) for enrolment_id, panels in collected.items()}
