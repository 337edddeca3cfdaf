"""``python manage.py seed_demo``: the demo catalogue, question bank, runs and accounts.

Contract:

* **Idempotent.** Pages are found by slug under their parent, faculty and images by
  name/title, users by e-mail. Whatever already exists is left as it is (an editor's
  changes in the admin are never overwritten); only what is missing is created. Running
  the command twice creates nothing the second time.
* **Transactional.** Everything happens in one database transaction: a failure leaves
  the database as it was. (Image files written to media storage before a failure are
  not removed.)
* **Endorsed like real content.** Course and module pages are saved by the demo faculty
  author, submitted to the "Faculty endorsement" workflow and approved by the demo
  board reviewer, so they carry "Endorsed by the Faculty of Pain Medicine on <date>".
* **The accredited sequence, shown.** Credit types, designated credit on every course
  (within its modules' study time), a course evaluation per course, pre- and post-tests,
  and a demo learner who has completed two courses step by step: her transcript holds
  the claims, her certificates are rendered, and one external credit carries its evidence.
* **Never in production.** It refuses to run when ``settings.LMS_ENVIRONMENT`` is
  ``"production"`` or the settings module is ``lms.settings.production``, because it
  creates accounts whose passwords it prints.

The content is data (``courses/demo/``, ``quizzes/demo/``, ``certificates/demo/``);
:mod:`courses.demo` describes how it is read and written. This command only refuses
production, opens the transaction and prints the summary.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from courses.demo.seeder import DemoSeeder
from courses.models import CourseIndexPage
from lms.demo_data import DemoDataError

PRODUCTION_SETTINGS_MODULE = "lms.settings.production"


def refuse_production() -> None:
    """Raise :class:`CommandError` when running with production settings."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if getattr(settings, "LMS_ENVIRONMENT", None) == "production" or module == PRODUCTION_SETTINGS_MODULE:
        raise CommandError(
            "seed_demo refuses to run with production settings "
            f"(LMS_ENVIRONMENT={getattr(settings, 'LMS_ENVIRONMENT', None)!r}, settings module {module!r}): "
            "it creates demo accounts whose passwords it prints. Use lms.settings.dev or lms.settings.test."
        )


class Command(BaseCommand):
    help = (
        "Create the demo catalogue (home page, endorsed courses and modules, credit types, designated "
        "credit and course evaluations), the question bank and quizzes, monthly runs, demo accounts and "
        "the demo learner's transcript. Idempotent; refuses to run with production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir",
            type=Path,
            help=(
                "Load the demo from this folder instead of each app's demo/ folder: it holds one "
                "folder per app (courses/, quizzes/, certificates/) in the same format."
            ),
        )

    def handle(self, *args, **options):
        refuse_production()
        # Wagtail logs every page created, edited and published; at normal verbosity the
        # summary below says the same in a few lines.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            content_dir = options.get("content_dir")
            if content_dir is not None and not content_dir.is_dir():
                raise DemoDataError(f"--content-dir {content_dir} is not a folder.")
            seeder = DemoSeeder(today=timezone.localdate(), content_dir=content_dir)
            with transaction.atomic():
                seeder.run()
        except DemoDataError as error:
            raise CommandError(f"The demo content was not loaded (nothing was changed):\n{error}") from None
        finally:
            wagtail_logger.setLevel(previous_level)
        self._report(seeder)

    def _report(self, seeder: DemoSeeder) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demo content is ready."))
        for kind in seeder.kinds:
            write(
                f"  {kind:<27} {seeder.created[kind]:>3} created, {seeder.existing[kind]:>3} already present"
            )
        if seeder.enrolment_kept_open_until is not None:
            write(
                "  enrolment for this month's runs kept open until "
                f"{timezone.localtime(seeder.enrolment_kept_open_until):%d %b %Y %H:%M}"
            )
        for note in seeder.notes:
            write(f"  note: {note}")
        index = CourseIndexPage.objects.first()
        if index is not None:
            write(f"  catalogue: {index.get_url() or '(no site)'}")
        write("")
        write(self.style.MIGRATE_HEADING("Demo accounts"))
        for spec, password in seeder.accounts:
            write(f"  {spec['role']:<15} {spec['email']:<28} {password:<36} sign in at {spec['signs_in_at']}")
