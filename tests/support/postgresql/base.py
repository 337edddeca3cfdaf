"""PostgreSQL as production runs it, with a faster reset between the suite's transactional tests.

A ``transaction=True, serialized_rollback=True`` test (pytest-django, Django's
``TransactionTestCase``) ends with ``flush``, which empties every table, and the next one
starts by loading back the rows the migrations made (permissions, content types, the
role groups, the endorsement workflow, …) from a copy serialized when the test database
was created. Both steps are done here with fewer, cheaper statements and the same outcome:

* Flush: Django's PostgreSQL flush is one ``TRUNCATE`` of all the tables. On a hundred
  nearly empty tables that costs seconds, because PostgreSQL gives each truncated table
  (and each of its indexes) a new file; ``DELETE`` of the few rows there are is a tenth
  of that. Every table ends empty and the sequences stay where they were, as with
  ``reset_sequences=False``, which is how Django's tests flush. The tables are locked
  first, as ``TRUNCATE`` locks them, so nothing else writes in between. The foreign keys, which
  Django creates ``DEFERRABLE INITIALLY DEFERRED``, are checked when the flush commits,
  with nothing left to point at.
* Load: Django saves each serialized row on its own (an ``UPDATE``, then an ``INSERT``:
  about a thousand statements); here the missing rows of each table go in one ``INSERT``
  per thousand (rows already there are saved Django's way), with the same raw saves' ``pre_save``/``post_save`` signals, the many-to-many
  rows set as Django sets them, and the same constraint check at the end.

Product code never uses this backend: only ``lms.settings.test`` names it.
"""

from io import StringIO

from django.core import serializers
from django.db.backends.postgresql import base, creation, operations
from django.db.models.signals import post_save, pre_save
from django.db.transaction import atomic

BATCH = 1000


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quoted = ", ".join(style.SQL_FIELD(self.quote_name(table)) for table in tables)
        # Locked first, as TRUNCATE locks them: a process still writing (a live server's
        # request, a worker's task) waits for the flush to commit instead of slipping a
        # row in between the DELETEs.
        return [
            f"{style.SQL_KEYWORD('LOCK TABLE')} {quoted} {style.SQL_KEYWORD('IN ACCESS EXCLUSIVE MODE')};",
            "SET CONSTRAINTS ALL DEFERRED;",
        ] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseCreation(creation.DatabaseCreation):
    def deserialize_db_from_string(self, data):
        alias = self.connection.alias
        by_model: dict[type, list] = {}
        for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
            by_model.setdefault(type(deserialized.object), []).append(deserialized)
        table_names = {model._meta.db_table for model in by_model}
        with atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for model, rows in by_model.items():
                    self._insert_raw(model, rows, alias)
            self.connection.check_constraints(table_names=table_names)

    @staticmethod
    def _insert_raw(model, rows, alias) -> None:
        """What ``DeserializedObject.save()`` does for each row (a raw save: this table
        only, no parents), with one INSERT for many rows."""
        concrete = model._meta.concrete_model
        meta = concrete._meta
        if meta.order_with_respect_to:  # a raw save computes _order: keep Django's way
            for row in rows:
                row.save(using=alias)
            return
        # Rows already there (the first test after the database was created still has
        # them) are saved Django's way, which updates them.
        present = set(
            concrete._base_manager.using(alias)
            .filter(pk__in=[row.object.pk for row in rows])
            .values_list("pk", flat=True)
        )
        for row in rows:
            if row.object.pk in present:
                row.save(using=alias)
        rows = [row for row in rows if row.object.pk not in present]
        instances = [row.object for row in rows]
        signals = not meta.auto_created
        if signals:
            for instance in instances:
                pre_save.send(sender=model, instance=instance, raw=True, using=alias, update_fields=None)
        fields = [field for field in meta.local_concrete_fields if not field.generated]
        for start in range(0, len(instances), BATCH):
            concrete._base_manager._insert(
                instances[start : start + BATCH], fields=fields, using=alias, raw=True
            )
        for row, instance in zip(rows, instances, strict=True):
            instance._state.db = alias
            instance._state.adding = False
            if signals:
                post_save.send(
                    sender=model, instance=instance, created=True, update_fields=None, raw=True, using=alias
                )
            for accessor_name, object_list in (row.m2m_data or {}).items():
                getattr(instance, accessor_name).set(object_list)
            row.m2m_data = None


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation
