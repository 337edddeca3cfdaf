"""Serving the page tree in as few queries as possible.

Wagtail routes a URL by walking down the tree one page at a time (two queries a
level). Our tree has fixed types by depth below the home page — catalogue, course,
module (``parent_page_types`` / ``subpage_types`` guarantee it) — so a URL can be
resolved with one query for the specific page, which also brings the date of its
endorsement. The default ``Site`` with its specific root page is cached (invalidated
whenever a site or a home page changes), so routing does not look the site up again
on every request.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.http import Http404
from wagtail.models import Site
from wagtail.url_routing import RouteResult

SITE_CACHE_VERSION_KEY = "courses:site-cache-version"


def route_below_home(home, request, path_components):
    """Resolve ``path_components`` under ``home`` with a single query (or defer to Wagtail)."""
    from courses.models import CourseIndexPage, CoursePage, Endorsement, ModulePage

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
    page = queryset.first()
    if page is None or not page.live:
        raise Http404
    return RouteResult(page)


def _cache_key(request) -> str:
    version = cache.get_or_set(SITE_CACHE_VERSION_KEY, 1, timeout=None)
    return f"courses:site:{version}:{request._get_raw_host()}:{request.get_port()}"


def cached_site_middleware(get_response):
    """Give Wagtail the request's ``Site`` (with its specific root page) from the cache."""

    def middleware(request):
        try:
            key = _cache_key(request)
            site = cache.get(key)
        except Exception:  # noqa: BLE001 - the cache is an optimisation; Wagtail finds the site itself
            return get_response(request)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page.specific  # noqa: B018 - loaded so that it is cached with the site
                cache.set(key, site, timeout=300)
        request._wagtail_site = site
        return get_response(request)

    return middleware


def invalidate_site_cache(**kwargs) -> None:
    """Forget every cached site (called when a site or a home page changes)."""
    try:
        cache.incr(SITE_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(SITE_CACHE_VERSION_KEY, 2, timeout=None)
