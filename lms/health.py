"""``/healthz``: can this process reach its database and Redis?

Returns 200 when every check passes and 500 otherwise; ``?format=json`` (or an
``Accept: application/json`` header) gives a machine-readable report. Redis is
checked whenever ``REDIS_URL`` is configured (always in production and tests; a
``make run`` without it runs tasks in-process and has no Redis to check).
"""

from django.conf import settings
from health_check.checks import Database
from health_check.contrib.redis import Redis as RedisCheck
from health_check.views import HealthCheckView
from redis.asyncio import Redis


class AcademyHealthCheckView(HealthCheckView):
    def get_checks(self):
        yield Database(alias="default")
        if settings.REDIS_URL:
            url = settings.REDIS_URL
            yield RedisCheck(
                client_factory=lambda: Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            )


healthz = AcademyHealthCheckView.as_view()
