"""The one event ``courses`` tells the world about.

``enrolment_completed`` is sent by the completion transition in :mod:`courses.services`
— whether the completion rule (:func:`~courses.services.enrolment_evaluate_completion`)
or an administrator (:func:`~courses.services.enrolment_mark_completed`) completed the
enrolment — once per enrolment: only the call that moves it from ``active`` to
``completed`` sends it, *inside* the transaction that does so, with
``enrolment=<Enrolment>``. A receiver may write its own rows in that transaction (so a
completion and what follows from it commit or roll back together) and should defer slow
work until after commit (:mod:`lms.dispatch`). ``certificates`` connects to it;
``courses`` never imports ``certificates``. Other apps reach it through :mod:`courses.api`.
"""

from django.dispatch import Signal

enrolment_completed = Signal()
