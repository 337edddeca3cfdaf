"""The one Celery application of the project.

Configured from Django settings (every ``CELERY_*`` setting), it discovers the
``tasks.py`` module of each installed app. Workers, beat and the web processes all
import it through ``lms/__init__.py``.

**A worker survives a broker outage with a task in flight** (issue 11). With
``acks_late`` a worker holds an unacknowledged message while its task runs. When Redis
goes away, kombu 5.7.0's consumer (``on_connection_error_after_connected``) first
*collects* the broken connection — which detaches the transport from it
(``transport.client = None``) — and then closes it; closing the channel restores the
unacknowledged message (``QoS.restore_unacked``), which asks the detached transport for
its host and dies with ``AttributeError: 'NoneType' object has no attribute
'hostname'``. That is not one of the connection errors the consumer expects, so the
worker stops with "Unrecoverable error" (and an embedded beat with it). No setting
avoids it: ``worker_cancel_long_running_tasks_on_connection_loss`` acts only after the
close, (kombu 5.7.0 and celery 5.7.0 are the pinned versions).

:func:`_detached_redis_channels_raise_connection_errors` turns that one case into what
it is — a connection error (``redis.exceptions.ConnectionError``) — which kombu and
Celery already handle: the close is abandoned, the consumer reconnects with
``broker_connection_max_retries = None`` (for ever), and the message stays in Redis's
``unacked`` hash, restored after the visibility timeout (and the certificate sweeper
re-queues what is still pending anyway). The task in hand keeps running
(``worker_cancel_long_running_tasks_on_connection_loss = False``): it writes to
PostgreSQL, not Redis, so it commits; its acknowledgement is lost with the connection,
and the redelivery that may follow is a no-op because every task is idempotent.
Supervision is the second line: ``make run`` restarts a worker or beat that exits
(``scripts/run.sh``) and Docker's restart policy does the same in a deployment.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")


def _detached_redis_channels_raise_connection_errors() -> None:
    """A Redis channel whose transport was detached fails with a connection error, not ``AttributeError``.

    Patches ``kombu.transport.redis.Channel._connparams`` (see the module docstring), once.
    """
    try:
        from kombu.transport import redis as kombu_redis
    except ImportError:  # pragma: no cover - redis-py is a dependency
        return
    original = kombu_redis.Channel._connparams
    if getattr(original, "lms_guarded", False):
        return

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is None or transport.client is None:
            raise kombu_redis.redis.exceptions.ConnectionError(
                "The broker connection of this channel is closed (lost while a task was in flight)."
            )
        return original(self, asynchronous=asynchronous)

    _connparams.lms_guarded = True
    kombu_redis.Channel._connparams = _connparams


_detached_redis_channels_raise_connection_errors()

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
