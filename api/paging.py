"""Limit/offset pagination: a page of a queryset, and the addresses of its neighbours.

Endpoints slice the selector's queryset here (two queries: the count and the page), then
hand the page to the selector that loads what the items need — in a constant number of
queries whatever the page size (tests pin this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.http import urlencode
from ninja import Field, Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})."
    )
    offset: int = Field(0, ge=0, le=10_000_000, description="How many items to skip.")


@dataclass
class PageSlice:
    items: list[Any]
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None

    def with_items(self, items: list[Any]) -> dict:
        return {
            "items": items,
            "count": self.count,
            "limit": self.limit,
            "offset": self.offset,
            "next": self.next,
            "previous": self.previous,
        }


def _address(request: HttpRequest, *, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


def page_of(request: HttpRequest, queryset, params: PageParams) -> PageSlice:
    count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    following = params.offset + params.limit
    return PageSlice(
        items=items,
        count=count,
        limit=params.limit,
        offset=params.offset,
        next=_address(request, offset=following, limit=params.limit) if following < count else None,
        previous=(
            _address(request, offset=max(params.offset - params.limit, 0), limit=params.limit)
            if params.offset > 0
            else None
        ),
    )
