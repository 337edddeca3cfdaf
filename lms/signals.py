"""Signals ``lms`` sends, for the apps above it to plug into (they never reach down into its rows).

:data:`account_anonymised` (``sender=User``, ``user=<User>``) is sent by
:func:`lms.services.account_anonymise` *inside* its transaction, once the account's
personal details are gone and before it commits. A receiver erases what its own app keeps
about the person beyond the participation record (``courses``: the evidence files of
external credits) in that transaction, deleting stored files only after commit, so a
rollback loses nothing.

:data:`account_deletion_checks` (``sender=User``, ``user=<User>``) is sent by the same
service first, inside the transaction and after the account's row is locked. A receiver
returns ``None``, or a sentence saying why the account cannot be deleted yet (``certificates``:
a certificate still being prepared, which must name its holder); the first refuses the
deletion with that sentence and nothing changes.
"""

from django.dispatch import Signal

account_anonymised = Signal()
account_deletion_checks = Signal()
