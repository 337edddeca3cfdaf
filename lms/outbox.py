"""The transactional outbox: every after-commit task is a row written with the change that wants it.

A service that wants a task run once its transaction commits calls
:func:`lms.dispatch.task_send_on_commit`, which calls :func:`outbox_enqueue`:

1. **The intent is a row** (:class:`~lms.models.OutboxMessage`: task name and ids) in
   the caller's transaction — it commits or rolls back with the completion, the
   certificate or the workflow action that wants it.
2. **Dispatched after commit**: an ``on_commit`` callback sends the task and marks the
   row dispatched. A broker outage is logged, counted on the row, and never reaches the
   caller (the learner's completion still answers success).
3. **Swept**: :func:`outbox_sweep`, run every minute by Celery beat
   (``lms.sweep_outbox``), sends again every row the broker has not taken after
   ``LMS_OUTBOX_RETRY_AFTER_SECONDS`` — a broker or a web process that was down at
   commit time loses nothing.

**Dispatch is idempotent; delivery is at least once.** A dispatcher claims the row with
a conditional update before sending it, so the relay and the sweeper never both send one
row, and a row already dispatched is never sent again. A message can still arrive twice (a
process that dies between the broker taking it and the commit that marks it; a worker
whose acknowledgement was lost with the broker), so every task sent through here is
safe to receive twice: renders act only on a pending certificate, e-mails claim an
idempotency key before sending (:func:`email_claim`), so a second delivery sends nothing.

Dispatched rows are deleted after ``LMS_OUTBOX_KEEP_DAYS`` by the sweeper.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lms.db import insert_or
from lms.models import EmailSend, OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(*, task: str, args: list) -> OutboxMessage:
    """Record that ``task`` must run with ``args`` and send it once the current transaction commits.

    Outside a transaction the row is written and sent at once.
    """
    message = OutboxMessage.objects.create(task=task, args=list(args))
    # robust: a failure while dispatching (the database gone at that instant) is logged,
    # never raised into the request that has already committed; the sweeper retries.
    transaction.on_commit(partial(_dispatch, message.pk, task, message.args), robust=True)
    return message


def outbox_enqueue_many(*, task: str, args_list: list[list]) -> list[OutboxMessage]:
    """Record ``task`` once for each of ``args_list`` in one insert, and send them all once the
    current transaction commits (:func:`outbox_enqueue` for many messages at once).

    The rows are claimed, sent and marked together (:func:`_dispatch_many`); each
    message is still its own task, safe to receive twice.
    """
    if not args_list:
        return []
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, args=list(args), created_at=now) for args in args_list]
    )
    transaction.on_commit(partial(_dispatch_many, [m.pk for m in messages]), robust=True)
    return messages


def _dispatch(
    message_id: int, task: str, args: list, *, retry_before: datetime.datetime | None = None
) -> bool:
    """Claim the row, send its task, mark it; ``True`` unless the broker refused.

    The claim is a conditional update committed before sending (no lock is held while
    the broker is slow, and in eager mode the task runs outside any transaction): it
    succeeds for a row never tried — or, for the sweeper, last tried before
    ``retry_before`` — so the relay and the sweeper never both send one row, and a row
    already dispatched is never sent again. A dispatcher that dies after claiming leaves
    the row to the sweeper once its claim is older than the sweeper's cutoff.
    """
    from lms.dispatch import task_send

    untried = Q(last_attempt_at__isnull=True)
    if retry_before is not None:
        untried |= Q(last_attempt_at__lte=retry_before)
    claimed = OutboxMessage.objects.filter(untried, pk=message_id, dispatched_at__isnull=True).update(
        attempts=F("attempts") + 1, last_attempt_at=timezone.now()
    )
    if not claimed:
        return True  # sent already, or being sent by another dispatcher right now
    sent = task_send(task, *args)
    if sent:
        OutboxMessage.objects.filter(pk=message_id).update(dispatched_at=timezone.now(), last_error="")
    else:
        OutboxMessage.objects.filter(pk=message_id).update(
            last_error="The broker could not be reached; the outbox sweeper will send it again."
        )
    return sent


def _dispatch_many(message_ids: list[int]) -> int:
    """Claim the rows not yet tried, send their tasks, mark them: :func:`_dispatch` for many
    rows in three queries. Returns how many the broker took.

    The claim commits before the first send, as :func:`_dispatch`'s does. Once the broker
    refuses one, the rest are left to the sweeper (marked with the error) rather than
    each waiting for its own time-out.
    """
    from lms.dispatch import task_send

    with transaction.atomic():
        claimed = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, dispatched_at__isnull=True, last_attempt_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "task", "args")
        )
        OutboxMessage.objects.filter(pk__in=[pk for pk, _, _ in claimed]).update(
            attempts=F("attempts") + 1, last_attempt_at=timezone.now()
        )
    sent: list[int] = []
    for pk, task, args in claimed:
        if not task_send(task, *args):
            break
        sent.append(pk)
    if sent:
        OutboxMessage.objects.filter(pk__in=sent).update(dispatched_at=timezone.now(), last_error="")
    if len(sent) < len(claimed):
        OutboxMessage.objects.filter(pk__in=[pk for pk, _, _ in claimed[len(sent) :]]).update(
            last_error="The broker could not be reached; the outbox sweeper will send it again."
        )
    return len(sent)


def outbox_dispatch(*, message: OutboxMessage, retry_before: datetime.datetime | None = None) -> bool:
    """Send one outbox row now unless it is dispatched or claimed; ``False`` if the broker refused.

    A row already tried is sent again only if its last try was before ``retry_before``.
    """
    return _dispatch(message.pk, message.task, message.args, retry_before=retry_before)


def outbox_sweep(
    *, older_than: datetime.timedelta | None = None, now: datetime.datetime | None = None, limit: int = 500
) -> int:
    """Send again the rows not dispatched ``older_than`` after they were written (or last tried).

    Returns how many the broker took. Also deletes rows dispatched more than
    ``LMS_OUTBOX_KEEP_DAYS`` ago.
    """
    now = now or timezone.now()
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.LMS_OUTBOX_RETRY_AFTER_SECONDS)
    cutoff = now - older_than
    messages = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=cutoff))
        .order_by("created_at")[:limit]
    )
    sent = 0
    for message in messages:
        if not outbox_dispatch(message=message, retry_before=cutoff):
            break  # the broker is down: the next sweep tries the rest
        sent += 1
    OutboxMessage.objects.filter(
        dispatched_at__lte=now - datetime.timedelta(days=settings.LMS_OUTBOX_KEEP_DAYS)
    ).delete()
    if messages:
        logger.info("Outbox sweeper sent %d of %d waiting messages", sent, len(messages))
    return sent


# --- E-mail at most once per intent ---------------------------------------------------------


def email_claim(*, key: str) -> bool:
    """Record (and commit) that the e-mail ``key`` is being sent; ``False`` if it already was.

    Call it before sending, outside any transaction of the caller's, so the record
    survives whatever happens next: a redelivered task then finds it and sends nothing.
    """
    with transaction.atomic():
        claimed = insert_or(lambda: EmailSend.objects.create(key=key), on_conflict=lambda: None)
    return claimed is not None


def email_release(*, key: str) -> None:
    """Forget a claim whose e-mail the mail server refused, so that a retry sends it."""
    EmailSend.objects.filter(key=key).delete()
