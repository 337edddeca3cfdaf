"""The cache backend: Redis, and an outage of Redis is a cold cache, never a 500.

Everything the academy keeps in the cache can be rebuilt or done without for a while:
the site and academy settings are read from the database again, and the rate limits
(allauth's log-in limits, ours in :mod:`lms.throttling`) let requests through — an
outage must not lock every doctor out. :class:`DegradingRedisCache` therefore answers an
unreachable Redis as an empty cache that stores nothing: reads miss, writes and ``add``
report success, ``incr`` finds no key. The outage is logged (at most every
``REPORT_EVERY`` seconds per process), ``/healthz`` reports it, and after a failure the
backend waits ``RETRY_AFTER`` seconds before trying Redis again, so a request does not
pay the connect timeout on every cache call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0
REPORT_EVERY = 30.0


class DegradingRedisCache(RedisCache):
    _down_until = 0.0
    _reported_at = float("-inf")

    def _call(self, method: str, fallback, *args, **kwargs):
        now = time.monotonic()
        if now < self._down_until:
            return fallback()
        try:
            return getattr(super(), method)(*args, **kwargs)
        except OUTAGE as error:
            self._down_until = now + RETRY_AFTER
            if now - self._reported_at >= REPORT_EVERY:
                self._reported_at = now
                logger.error("Redis cache unreachable (%s); serving without it", error)
            return fallback()

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("set", lambda: None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list, data, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._call("incr", missing, key, delta, version)
