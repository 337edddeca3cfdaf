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

The same query also answers whether Wagtail's view-restriction check has anything to
look at: ``view_restrictions_possible`` is true when the page or one of its ancestors
carries a ``PageViewRestriction`` or is an alias (whose source's restrictions apply).
When it is false, :class:`courses.models.RoutedPageMixin` answers Wagtail's
``before_serve_page`` check with no restrictions instead of the two queries Wagtail's
``get_view_restrictions`` runs; when it is true, Wagtail's own method decides, so a
restriction added in the admin applies at the next request (``tests/courses/test_routing.py``).

The statement itself is compiled once per process for each page type and depth
(:class:`lms.db.CompiledQuery`): only its text is reused, every request reads the tree.

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

from functools import cache, reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from lms.db import CompiledQuery


def _restricted_or_aliased_chain(depth: int) -> Exists:
    """Whether the page at ``OuterRef("path")`` (of ``depth``) or an ancestor has a view
    restriction or is an alias: its ancestors' paths are the prefixes of its own."""
    chain = reduce(
        or_, (Q(path=Substr(OuterRef("path"), 1, Page.steplen * level)) for level in range(1, depth + 1))
    )
    return Exists(
        Page.objects.filter(chain).filter(Q(alias_of__isnull=False) | Q(view_restrictions__isnull=False))
    )


def _route_query(model, depth: int):
    """The query routing a path of ``depth`` levels below the home page to a ``model`` page."""
    from courses.models import CourseIndexPage, CoursePage, DesignatedCredit, Endorsement

    def build(url_path: str):
        queryset = model.objects.filter(url_path=url_path).annotate(
            view_restrictions_possible=_restricted_or_aliased_chain(depth)
        )
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
        return queryset.order_by("pk")[:1]

    return CompiledQuery(build)


@cache
def _compiled_route_query(model, depth: int) -> CompiledQuery:
    # The statement's text depends only on the model and the depth (one per page type and
    # tree depth: a handful per process); each request runs it with its own path.
    return _route_query(model, depth)


def route_below_home(home, request, path_components) -> RouteResult:
    """Resolve ``path_components`` under ``home`` with a single query (``Http404`` if nothing is there)."""
    from courses.models import CourseEvaluationPage, CourseIndexPage, CoursePage, ModulePage

    model = {1: CourseIndexPage, 2: CoursePage, 3: ModulePage}.get(len(path_components))
    if model is None:
        raise Http404
    url_path = f"{home.url_path}{'/'.join(path_components)}/"
    page = _compiled_route_query(model, home.depth + len(path_components)).first(url_path)
    if page is None and model is ModulePage:
        # The one other page a course holds: its evaluation (a second query, on that page only).
        page = CourseEvaluationPage.objects.filter(url_path=url_path).first()
    if page is None or not page.live:
        raise Http404
    return RouteResult(page)
