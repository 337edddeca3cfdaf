"""The Pain Academy LMS project package: settings, URLs, the Celery app, doctor accounts.

It is the bottom layer: every app may use what is named here, and it imports none of
them (import-linter's layers contract). What the apps use:

* ``lms.exceptions.DomainError`` — the base of every refusal with a message for a person;
* ``lms.selectors`` — ``doctor_profile_for``, ``doctor_profile_is_complete``,
  ``user_for_email``, ``academy_settings``; ``lms.services`` — ``doctor_profile_save``,
  ``user_sync_staff_flag``;
* ``lms.forms.AccountByEmailField`` — an administrator's form naming a learner by e-mail;
* ``lms.registration`` — masking and comparing medical registration numbers;
* ``lms.db.insert_or`` — inserting what a unique constraint may refuse;
* ``lms.dispatch`` — sending a Celery task now or after commit (the seam an outbox replaces);
* ``lms.admin_policies`` and ``lms.roles`` — admin permission policies and the roles
  migrations grant.

It sends no signal and offers no registry; ``lms.notifications`` moves Wagtail's workflow
e-mails to Celery on its own.
"""

from lms.celery import app as celery_app

__all__ = ("celery_app",)
