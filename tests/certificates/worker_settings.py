"""Settings for Celery workers started by the fault-injection tests (see fault_injection.py)."""

from lms.settings.test import *  # noqa: F403

CERTIFICATES_PDF_RENDERER = "tests.certificates.fault_injection.render_after_delay"
