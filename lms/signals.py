"""Signals ``lms`` sends, for the apps above it to plug into (they never reach down into its rows).

:data:`account_anonymised` (``sender=User``, ``user=<User>``) is sent by
:func:`lms.services.account_anonymise` *inside* its transaction, once the account's
personal details are gone and before it commits. A receiver erases what its own app keeps
about the person beyond the participation record (``courses``: the evidence files of
external credits) in that transaction, deleting stored files only after commit, so a
rollback loses nothing.
"""

from django.dispatch import Signal

account_anonymised = Signal()
