"""Settings for Celery workers that tests start with something wired differently.

``lms.settings.test``, plus, when the test's worker environment asks for them:

* ``CERTIFICATES_TEST_RENDER_DELAY`` — renders go through
  :func:`tests.certificates.fault_injection.render_after_delay` (fault injection);
* ``LMS_TEST_FAULTS_DIR`` — faults a test switches on and off while the worker runs
  (:class:`tests.certificates.fault_injection.FaultSwitches`): render delays, a
  permanent render error, a media store that refuses to save;
* ``EMAIL_FILE_PATH`` — e-mail is written as files into that folder, so a test can read
  what the worker sent (the end-to-end test).
"""

import os

from lms.settings.test import *  # noqa: F403

if "CERTIFICATES_TEST_RENDER_DELAY" in os.environ:
    CERTIFICATES_PDF_RENDERER = "tests.certificates.fault_injection.render_after_delay"

if "EMAIL_FILE_PATH" in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

if "LMS_TEST_FAULTS_DIR" in os.environ:  # tests.certificates.fault_injection.FaultSwitches
    CERTIFICATES_PDF_RENDERER = "tests.certificates.fault_injection.render_with_faults"
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {"BACKEND": "tests.certificates.fault_injection.FlakyFileSystemStorage"},
    }

if "LMS_TEST_BEAT_SECONDS" in os.environ:  # an embedded beat that sweeps every few seconds
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": float(os.environ["LMS_TEST_BEAT_SECONDS"])}
        for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
    }
