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


def render_with_a_bug(document) -> bytes:
    """A renderer that fails the way a bug would (not an outage): retried, then failed."""
    raise ValueError(f"Test render bug for {document.serial}")


def render_after_delay(document) -> bytes:
    delay = float(os.environ.get("CERTIFICATES_TEST_RENDER_DELAY", "0"))
    logger.warning("%s %s (waiting %.1f s)", DELAYED_RENDER_LOG_LINE, document.serial, delay)
    time.sleep(delay)
    return render_certificate_pdf(document)


# --- Switchable faults: one worker for a whole module of fault tests -----------------------

FAULTS_DIR_ENV = "LMS_TEST_FAULTS_DIR"
STORAGE_DOWN_MESSAGE = "Test storage outage: the media store does not answer"
BAD_RENDER_MESSAGE = "Test permanent render error"


class FaultSwitches:
    """Faults a test turns on and off in a worker that is already running.

    Each fault is a file in a folder the test and its worker share
    (:data:`FAULTS_DIR_ENV`); the worker's renderer and storage look for it on every
    call, so one worker serves every test of a module, each with the faults it wants.
    """

    def __init__(self, folder):
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        return {"DJANGO_SETTINGS_MODULE": WORKER_SETTINGS, FAULTS_DIR_ENV: str(self.folder)}

    def _switch(self, name: str, value: str | None) -> None:
        path = self.folder / name
        if value is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(value)

    def render_delay(self, seconds: float | None) -> None:
        self._switch("render_delay", None if seconds is None else str(seconds))

    def storage_down(self, down: bool = True) -> None:
        self._switch("storage_down", "1" if down else None)

    def bad_render(self, bad: bool = True) -> None:
        self._switch("bad_render", "1" if bad else None)

    def clear(self) -> None:
        for path in self.folder.iterdir():
            path.unlink()


def _fault(name: str) -> str | None:
    from pathlib import Path

    folder = os.environ.get(FAULTS_DIR_ENV)
    if not folder:
        return None
    path = Path(folder) / name
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def render_with_faults(document) -> bytes:
    """The real renderer, after the delay a test switched on; a permanent error if it asked for one."""
    from certificates.exceptions import CertificateRenderError

    if _fault("bad_render") is not None:
        raise CertificateRenderError(BAD_RENDER_MESSAGE)
    delay = _fault("render_delay")
    if delay is not None:
        logger.warning("%s %s (waiting %s s)", DELAYED_RENDER_LOG_LINE, document.serial, delay)
        time.sleep(float(delay))
    return render_certificate_pdf(document)


from django.core.files.storage import FileSystemStorage  # noqa: E402


class FlakyFileSystemStorage(FileSystemStorage):
    """The media store, which refuses to save while a test has switched its outage on."""

    def _save(self, name, content):
        if _fault("storage_down") is not None:
            raise ConnectionError(STORAGE_DOWN_MESSAGE)
        return super()._save(name, content)
