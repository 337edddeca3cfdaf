"""HomePage.route answers what Wagtail's own routing answers, in one query.

If a Wagtail upgrade changes how pages are routed (which pages are served, what a draft
or an unpublished parent means), the comparison here fails and courses.routing must
follow it. The site itself is Wagtail's: found by Site.find_for_request, nothing cached
by us, so a change of site takes effect at the next request.
"""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, Site

from courses.models import CoursePage, HomePage, ModulePage
from tests.courses.factories import CoursePageFactory, ModulePageFactory, site_tree
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def _route(route, home, path):
    try:
        return route(home, RequestFactory().get(path), [c for c in path.split("/") if c]).page.pk
    except Http404:
        return None


@pytest.fixture
def tree():
    index = site_tree()
    course = CoursePageFactory()
    live = ModulePageFactory(parent=course)
    draft = course.add_child(instance=ModulePage(title="Draft", slug="draft-module", live=False))
    hidden_course = CoursePageFactory()
    under_hidden = ModulePageFactory(parent=hidden_course)
    hidden_course.unpublish()
    return index, course, live, draft, hidden_course, under_hidden


def test_the_one_query_route_agrees_with_wagtails_route_for_every_page(tree):
    home = HomePage.objects.get()
    paths = ["/"] + [
        page.url_path[len(home.url_path) - 1 :] for page in Page.objects.filter(depth__gt=home.depth)
    ]
    paths += ["/nowhere/", "/courses/nowhere/", f"{paths[-1]}deeper/", "/courses/course-x/module-y/z/w/"]
    for path in paths:
        assert _route(HomePage.route, home, path) == _route(Page.route, home, path), path
    # The tree has what the comparison needs: a draft, a live page under an unpublished one.
    *_, draft, hidden_course, under_hidden = tree
    assert _route(HomePage.route, home, draft.url_path[len(home.url_path) - 1 :]) is None
    assert _route(HomePage.route, home, under_hidden.url_path[len(home.url_path) - 1 :]) == under_hidden.pk


def test_routing_a_module_costs_one_query_whatever_its_depth(tree):
    home = HomePage.objects.get()
    _, _, live, *_ = tree
    path = live.url_path[len(home.url_path) - 1 :]
    with count_queries() as ours:
        _route(HomePage.route, home, path)
    with count_queries() as wagtails:
        _route(Page.route, home, path)
    assert len(ours) == 1 < len(wagtails)


def test_the_site_is_wagtails_own_and_a_change_of_site_shows_at_once(client, tree):
    _, course, *_ = tree
    assert client.get(course.url).status_code == 200
    site = Site.objects.get()
    site.root_page = Page.objects.get(depth=1)
    site.save()
    assert client.get(course.url).status_code == 404  # no stale site served from a cache
    site.root_page = HomePage.objects.get()
    site.save()
    response = client.get(course.url)
    assert response.status_code == 200 and isinstance(response.context["page"], CoursePage)


def test_a_view_restriction_added_in_the_admin_applies_at_the_next_request(client, tree):
    """The route's ``view_restrictions_possible`` skips Wagtail's check only when the page
    and its ancestors carry no restriction and no alias: a restriction on any of them is
    Wagtail's to enforce, on the next request."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    index, course, live, *_ = tree
    assert client.get(course.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Invited doctors"))
    for page in (index, course):
        response = client.get(page.url)
        assert response.status_code == 302 and "login" in response["Location"], page.url
    restriction.delete()
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(index.url).status_code == 200
    assert client.get(course.url).status_code == 302


def test_an_alias_of_a_restricted_course_keeps_the_restriction(client, tree):
    from wagtail.models import PageViewRestriction

    index, course, *_ = tree
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    alias = course.create_alias(parent=index, update_slug="course-alias")
    assert alias.alias_of_id == course.pk
    assert client.get(alias.url).status_code == 302


def test_the_compiled_route_reads_the_tree_as_it_is_now(tree):
    """Only the statement's text is kept between requests: a renamed course is found at its
    new address (and not at the old one) at the next request, with the same compiled query."""
    home = HomePage.objects.get()
    _, course, live, *_ = tree
    old = course.url_path[len(home.url_path) - 1 :]
    assert _route(HomePage.route, home, old) == course.pk
    course.slug = "renamed-course"
    course.save_revision().publish()
    course.refresh_from_db()
    assert _route(HomePage.route, home, old) is None
    assert _route(HomePage.route, home, course.url_path[len(home.url_path) - 1 :]) == course.pk
    live.refresh_from_db()
    assert _route(HomePage.route, home, live.url_path[len(home.url_path) - 1 :]) == live.pk


def test_a_compiled_query_refuses_a_shape_without_its_marker():
    from lms.db import CompiledQuery

    with pytest.raises(ValueError):
        CompiledQuery(lambda marker: Page.objects.filter(depth=1)).first("/")
