"""Our own rate limits (allauth keeps its own for accounts; both key on the same client).

:func:`rate_limit_consume` counts one hit of a scope for an identity in a fixed window
and says whether it is still within the limit. The counters live in the cache — Redis
in production (``production.py`` refuses to start without it), so every web host shares
them. :func:`client_bucket` is the identity to use for "per client": the address from
:func:`lms.http.client_ip`, with IPv6 addresses reduced to their /64 network (one
household or one mobile device holds a whole /64, so single addresses would be free
buckets), as allauth does.

Degrade, don't fail: if the cache cannot be reached the hit is allowed and an error is
logged — an outage of Redis must not turn every verification into a 500.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging

from django.core.cache import cache
from django.http import HttpRequest

from lms.http import client_ip

logger = logging.getLogger(__name__)


def client_bucket(request: HttpRequest) -> str:
    """The rate-limit identity of the client behind ``request`` (see the module docstring)."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return ip


def rate_limit_consume(*, scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count a hit of ``scope`` by ``identity``; ``True`` while at most ``limit`` hits fell in the window.

    The window is fixed: it starts with the first hit and lasts ``window_seconds``. The
    identity is hashed into the key, so it may be anything (an address, an e-mail).
    """
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"lms:rl:{scope}:{digest}"
    try:
        cache.add(key, 0, window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this hit opens a new window
            cache.add(key, 1, window_seconds)
            count = 1
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        logger.exception("Rate limit %s could not reach the cache; allowing the request", scope)
        return True
    return count <= limit
