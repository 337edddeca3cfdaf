"""Fault injection for the worker tests, wired by settings the tests give their workers.

:func:`slow_render_env` gives a worker :data:`WORKER_SETTINGS`
(``tests.certificates.worker_settings``): ``lms.settings.test`` with
``CERTIFICATES_PDF_RENDERER`` pointing at :func:`render_after_delay`, which logs a line, waits ``CERTIFICATES_TEST_RENDER_DELAY``
seconds (from the worker's environment) and then renders for real. The service calls its
renderer while it holds the certificate's row lock, so a test that waits for the log line
and then kills the worker kills it mid-render, lock held. Product code has no test branch:
it calls whichever renderer the settings name.
"""

from __future__ import annotations

import logging
import os
import time

from certificates.rendering import render_certificate_pdf

logger = logging.getLogger(__name__)

WORKER_SETTINGS = "tests.certificates.worker_settings"
DELAYED_RENDER_LOG_LINE = "Test render delay for certificate"


def file_email_env(folder) -> dict[str, str]:
    """The extra environment of a worker that writes its e-mail as files into ``folder``."""
    return {"DJANGO_SETTINGS_MODULE": WORKER_SETTINGS, "EMAIL_FILE_PATH": str(folder)}


def slow_render_env(seconds: float) -> dict[str, str]:
    """The extra environment of a worker whose renders wait ``seconds`` before rendering."""
    return {"DJANGO_SETTINGS_MODULE": WORKER_SETTINGS, "CERTIFICATES_TEST_RENDER_DELAY": str(seconds)}


def render_after_delay(document) -> bytes:
    delay = float(os.environ.get("CERTIFICATES_TEST_RENDER_DELAY", "0"))
    logger.warning("%s %s (waiting %.1f s)", DELAYED_RENDER_LOG_LINE, document.serial, delay)
    time.sleep(delay)
    return render_certificate_pdf(document)
