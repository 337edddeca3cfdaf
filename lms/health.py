"""``/healthz``: is this process able to reach its database and Redis?

Returns 200 when every check passes and 500 otherwise; ``?format=json`` (or an
``Accept: application/json`` header) gives a machine-readable report. Redis is
checked whenever ``REDIS_URL`` is configured (always in production and tests; a
``make run`` without it runs tasks in-process and has no Redis to check).
"""

from django.conf import settings
from health_check.views import HealthCheckView
from redis.asyncio import Redis


def _redis_client():
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def _checks() -> list:
    checks: list = [("health_check.checks.Database", {"alias": "default"})]
    if settings.REDIS_URL:
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": _redis_client}))
    return checks


healthz = HealthCheckView.as_view(checks=_checks())
