"""Routing a URL below the home page in one query, through Wagtail's public routing API.

Wagtail routes a URL by walking down the tree one page at a time: each level costs a
query for the child and another for its specific page (measured with Wagtail's own site
lookup in both cases: the catalogue 9 queries instead of 8, a signed-in learner's course
page 18 instead of 13, a module page 20 instead of 13).
Our tree has fixed types by depth below the home page — catalogue, course, module
(``parent_page_types`` / ``subpage_types`` guarantee it; a course's evaluation form is
the one other page at module depth, looked up only when no module matches) — so ``HomePage.route``
(Wagtail's documented ``Page.route`` override point, answering a ``RouteResult``)
resolves the rest of the path with one query for the specific page, which also brings
the date of its endorsement.

Everything else is Wagtail's own: the site is found by ``Site.find_for_request`` (one
query for the site and one for its home page, per request) and URLs are built from
Wagtail's site-root-paths cache. Nothing here caches a ``Site``: Wagtail offers no public
way to hand one to its serve view, and the former cache did it through a private request
attribute. ``tests/courses/test_routing.py``
checks that this route answers exactly what Wagtail's default route answers for every
page of a tree (live, draft, unpublished, unknown), so a change in Wagtail's behaviour
fails the suite.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from wagtail.url_routing import RouteResult


def route_below_home(home, request, path_components) -> RouteResult:
    """Resolve ``path_components`` under ``home`` with a single query (``Http404`` if nothing is there)."""
    from courses.models import (
        CourseEvaluationPage,
        CourseIndexPage,
        CoursePage,
        DesignatedCredit,
        Endorsement,
        ModulePage,
    )

    model = {1: CourseIndexPage, 2: CoursePage, 3: ModulePage}.get(len(path_components))
    if model is None:
        raise Http404
    queryset = model.objects.filter(url_path=f"{home.url_path}{'/'.join(path_components)}/")
    if model is not CourseIndexPage:
        queryset = queryset.annotate(
            endorsed_at_annotated=Subquery(
                Endorsement.objects.filter(page=OuterRef("pk"), revision=OuterRef("live_revision"))
                .order_by("-approved_at")
                .values("approved_at")[:1]
            )
        )
    if model is CoursePage:
        # Whether the course designates credit: its "Accredited credit" panel reads the
        # designations only when it does, so other courses' pages cost nothing more.
        queryset = queryset.annotate(
            designates_credit_annotated=Exists(DesignatedCredit.objects.filter(course=OuterRef("pk")))
        )
    page = queryset.first()
    if page is None and model is ModulePage:
        # The one other page a course holds: its evaluation (a second query, on that page only).
        page = CourseEvaluationPage.objects.filter(
            url_path=f"{home.url_path}{'/'.join(path_components)}/"
        ).first()
    if page is None or not page.live:
        raise Http404
    return RouteResult(page)
