"""Database helpers shared by every app's services.

``insert_or`` is the one way a service inserts a row that a unique constraint may refuse
because another request inserted the same thing at the same moment. The rule, written
once: never check-then-insert (two requests both see "absent"); insert inside a
savepoint and let the constraint decide, so the refusal rolls back only the savepoint
and the caller's transaction carries on to report it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

T = TypeVar("T")

# SQLSTATE of a unique-constraint violation (PostgreSQL); SQLite says it in the message.
_UNIQUE_VIOLATION = "23505"


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique constraint's refusal (not a check or foreign-key one)."""
    cause = error.__cause__
    if (
        getattr(cause, "sqlstate", None) == _UNIQUE_VIOLATION
        or getattr(cause, "pgcode", None) == _UNIQUE_VIOLATION
    ):
        return True
    return "UNIQUE constraint failed" in str(error)


def insert_or(create: Callable[[], T], *, on_conflict: Callable[[], T] | Exception) -> T:
    """Run ``create()`` in a savepoint; if a unique constraint refuses it, fall back.

    ``on_conflict`` is either an exception to raise (a domain error with a message a
    person can read; raised ``from None``, the database error is not their business) or
    a function whose result is returned instead (say, the row the other request wrote).
    Any other integrity error (a check or foreign-key constraint) is a bug in the
    caller's validation and propagates unchanged.
    """
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        if isinstance(on_conflict, Exception):
            raise on_conflict from None
        return on_conflict()


# --- Many rows at once, as one-by-one saves would leave them -----------------------------------
#
# ``bulk_create`` sends no ``post_save`` and writes no audit log: a service that inserts
# thousands of rows in one statement (a hospital's file of doctors) calls these so the
# audit log and Wagtail's reference index say what a save and a ``log()`` per row would.


def audit_log_many(instances, *, action: str, user=None) -> None:
    """Write Wagtail's audit-log entry ``action`` by ``user`` for each saved instance, in one insert.

    The entries are those :func:`wagtail.log_actions.log` writes one at a time (the same
    model, content type, label, uuid of the active log context and timestamp).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.log_actions import get_active_log_context, registry

    instances = list(instances)
    if not instances:
        return
    registry.scan_for_actions()
    context = get_active_log_context()
    user = user or context.user
    now = timezone.now()
    entries: dict[type, list] = {}
    for instance in instances:
        model = registry.get_log_model_for_instance(instance)
        if model is None:
            continue
        entries.setdefault(model, []).append(
            model(
                content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
                label=model.objects.get_instance_title(instance),
                action=action,
                timestamp=now,
                data={},
                user=user,
                uuid=context.uuid,
                object_id=str(instance.pk),
            )
        )
    for model, rows in entries.items():
        model.objects.bulk_create(rows)


def reference_index_add_created(objects) -> None:
    """Record in Wagtail's reference index what newly inserted ``objects`` refer to, in one insert.

    What Wagtail's ``post_save`` handler records for a new row (which has no references
    recorded yet); objects of a model the index does not track are left out.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    rows = []
    for obj in objects:
        if not ReferenceIndex.is_indexed(type(obj)):
            continue
        content_types = [
            ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
            for model_or_object in ([obj] + obj._meta.get_parent_list())
        ]
        for to_content_type_id, to_object_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(obj)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=obj.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)


# --- A query shape compiled once per process ----------------------------------------------------


class CompiledQuery:
    """The SQL of a queryset whose shape never changes, compiled once per process.

    Compiling a queryset with annotations costs more in Python than PostgreSQL takes to run
    it (the page routing query: most of the 5 ms it took, measured in-process). ``build(marker)``
    returns the queryset with ``marker`` (a string) where the one value that varies goes;
    its SQL and parameters are kept, and each call runs that SQL with the marker's
    parameter replaced by the value, through ``Model.objects.raw`` (instances of the
    queryset's model, annotations as attributes). Nothing read from the database is kept,
    so nothing can go stale: only the text of the statement is reused.
    """

    _MARKER = "\x1flms-compiled-query-parameter\x1f"

    def __init__(self, build: Callable[[str], object]) -> None:
        self._build = build
        self._compiled: tuple | None = None

    def _compile(self):
        queryset = self._build(self._MARKER)
        sql, params = queryset.query.sql_with_params()
        positions = [i for i, param in enumerate(params) if param == self._MARKER]
        if len(positions) != 1:
            raise ValueError(f"The marker must be one parameter of the query, found {len(positions)}.")
        self._compiled = (queryset.model, sql, list(params), positions[0])
        return self._compiled

    def first(self, value: str):
        """The first row of the query for ``value`` (``None`` when there is none)."""
        model, sql, params, position = self._compiled or self._compile()
        params = list(params)
        params[position] = value
        return next(iter(model.objects.raw(sql, params)), None)
