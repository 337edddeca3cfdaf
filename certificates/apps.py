import logging

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # WeasyPrint narrates each of its seven steps at INFO, for every certificate.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)

        from certificates import receivers  # noqa: F401 - connects to courses' completion signal
        from certificates.exports import EXPORT
        from certificates.reminders import CERTIFICATE_READY
        from certificates.reports import RUN_REPORT
        from certificates.selectors import course_certificate_panel, dashboard_certificate_panels
        from courses.api import (
            register_course_panel,
            register_dashboard_panel,
            register_export_kind,
            register_reminder_kind,
            register_run_report,
        )

        register_course_panel("certificate", course_certificate_panel)
        register_dashboard_panel("certificate", dashboard_certificate_panels)
        register_run_report(RUN_REPORT)
        register_export_kind(EXPORT)
        register_reminder_kind(CERTIFICATE_READY)
