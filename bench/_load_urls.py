"""The academy's URLs, and ``/bench/floor/`` for ``bench/load.py``'s floor."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    """As little as a view can do: the middleware around it is what the floor measures."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), path("", include("lms.urls"))]
