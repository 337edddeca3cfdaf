"""The one event ``courses`` tells the world about.

``enrolment_completed`` is sent by :func:`courses.services.enrolment_evaluate_completion`
exactly once per enrolment, *inside* the transaction that marks it complete, with
``enrolment=<Enrolment>``. A receiver may write its own rows in that transaction (so a
completion and what follows from it commit or roll back together) and should defer
slow work with ``transaction.on_commit``. ``certificates`` connects to it; ``courses``
never imports ``certificates``.
"""

from django.dispatch import Signal

enrolment_completed = Signal()
