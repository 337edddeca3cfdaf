"""``python manage.py seed_demo``: the demo catalogue, monthly runs and demo accounts.

Contract:

* **Idempotent.** Pages are found by slug under their parent, faculty and images by
  name/title, users by e-mail. Whatever already exists is left as it is (an editor's
  changes in the admin are never overwritten); only what is missing is created. Running
  the command twice creates nothing the second time.
* **Transactional.** Everything happens in one database transaction: a failure leaves
  the database as it was. (Image files written to media storage before a failure are
  not removed.)
* **Never in production.** It refuses to run when ``settings.LMS_ENVIRONMENT`` is
  ``"production"`` or the settings module is ``lms.settings.production``, because it
  creates accounts whose passwords it prints.

Content lives in :mod:`courses.demo_content`; this module only decides how it reaches
the database. Pages are published through revisions (saved by the demo faculty author,
published by the demo board reviewer), so they have a history in the Wagtail admin.
Runs are created with :func:`courses.services.course_runs_schedule_monthly`.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections import Counter
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from courses import demo_content
from courses.blocks import LearningObjectivesBlock, ModuleBodyBlock
from courses.models import (
    CourseFaculty,
    CourseIndexPage,
    CoursePage,
    CourseRun,
    FacultyDisclosure,
    FacultyMember,
    HomePage,
    ModuleAuthor,
    ModulePage,
)
from courses.services import course_runs_schedule_monthly
from lms.roles import COURSE_MEDIA_COLLECTION
from lms.services import doctor_profile_save

DEMO_IMAGES_DIR = Path(__file__).resolve().parents[2] / "demo_images"
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


def add_months(month: datetime.date, offset: int) -> datetime.date:
    index = month.month - 1 + offset
    return datetime.date(month.year + index // 12, index % 12 + 1, 1)


class DemoSeeder:
    """Creates whatever part of the demo is missing; counts what it created and found."""

    def __init__(self, *, today: datetime.date) -> None:
        self.today = today
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.kinds: list[str] = []
        self.notes: list[str] = []
        self.enrolment_kept_open_until: datetime.datetime | None = None
        self.accounts: list[tuple[dict, str]] = []
        self.users: dict[str, object] = {}
        self.images: dict[str, object] = {}
        self.faculty: dict[str, FacultyMember] = {}
        self._body_block = ModuleBodyBlock()
        self._objectives_block = LearningObjectivesBlock()

    def tally(self, kind: str, created: bool) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        (self.created if created else self.existing)[kind] += 1

    # --- Accounts -------------------------------------------------------------------------

    def seed_accounts(self) -> None:
        for spec in demo_content.DEMO_ACCOUNTS:
            self.users[spec["role"]] = self._ensure_account(spec)

    def _ensure_account(self, spec: dict):
        User = get_user_model()
        user = User.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            user = User(
                username=self._free_username(spec["email"]),
                email=spec["email"],
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                is_staff=spec["is_staff"],
                is_superuser=spec["is_superuser"],
            )
            user.set_password(spec["password"])
            user.save()
            self.tally("accounts", True)
            password_note = spec["password"]
        else:
            self.tally("accounts", False)
            # An account someone has since changed keeps its password: never reset it silently.
            password_note = (
                spec["password"]
                if user.check_password(spec["password"])
                else "(changed since seeding; not reset)"
            )
        # allauth's mandatory verification lets only verified addresses log in.
        _, created = EmailAddress.objects.get_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
        self.tally("verified e-mail addresses", created)
        for alternatives in spec["groups"]:
            group = next(
                filter(None, (Group.objects.filter(name=name).first() for name in alternatives)), None
            )
            if group is None:
                if not user.is_superuser:
                    self.notes.append(
                        f"No group named {' or '.join(alternatives)}: {spec['email']} has no admin role."
                    )
                continue
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
        if "profile" in spec and not hasattr(user, "doctor_profile"):
            doctor_profile_save(user=user, **spec["profile"])
            self.tally("doctor profiles", True)
        elif "profile" in spec:
            self.tally("doctor profiles", False)
        self.accounts.append((spec, password_note))
        return user

    @staticmethod
    def _free_username(email: str) -> str:
        User = get_user_model()
        base = email.split("@", 1)[0][:140]
        candidate, n = base, 1
        while User.objects.filter(username=candidate).exists():
            n += 1
            candidate = f"{base}{n}"
        return candidate

    # --- Snippets and images --------------------------------------------------------------

    def seed_faculty(self) -> None:
        for spec in demo_content.FACULTY:
            member = FacultyMember.objects.filter(name=spec["name"]).first()
            created = member is None
            if created:
                disclosures = spec.pop("disclosures", [])
                member = FacultyMember(**spec, disclosures_confirmed_on=self.today)
                member.disclosures = [FacultyDisclosure(**d) for d in disclosures]
                member.save()
            self.tally("faculty members", created)
            self.faculty[spec["name"]] = member

    def seed_images(self) -> None:
        Image = get_image_model()
        for key, spec in demo_content.IMAGES.items():
            image = Image.objects.filter(title=spec["title"]).first()
            created = image is None
            if created:
                with open(DEMO_IMAGES_DIR / spec["file"], "rb") as fh:
                    # Course media: the collection authors and the board work in.
                    image = Image(
                        title=spec["title"],
                        file=ImageFile(fh, name=spec["file"]),
                        collection=Collection.objects.filter(depth=2, name=COURSE_MEDIA_COLLECTION).first()
                        or Collection.get_first_root_node(),
                    )
                    image._set_image_file_metadata()
                    image.save()
            self.tally("images", created)
            self.images[key] = image

    # --- Pages ----------------------------------------------------------------------------

    def _publish(self, parent: Page, page: Page, *, author: str, publisher: str) -> Page:
        """Add ``page`` under ``parent`` as a draft, then publish it through a revision.

        ``author`` saves the revision and ``publisher`` publishes it (demo account roles),
        so the page's history in the admin reads like the academy's real workflow.
        """
        page.live = False
        parent.add_child(instance=page)
        revision = page.save_revision(user=self.users.get(author), log_action=True)
        # No role holds a bare publish permission (approval through the endorsement
        # workflow publishes); the seed acts with the operator's authority, as the quizzes'
        # seed does, and records the demo publisher.
        revision.publish(user=self.users.get(publisher), skip_permission_checks=True)
        page.refresh_from_db()
        return page

    def seed_home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is not None:
            self.tally("pages", False)
            return home
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(title="Root", slug="root")
        self._remove_wagtail_welcome_page(root)
        spec = demo_content.HOME_PAGE
        home = self._publish(
            root,
            HomePage(
                title=spec["title"],
                slug=spec["slug"],
                hero_heading=spec["hero_heading"],
                hero_text=spec["hero_text"],
                about=spec["about"],
            ),
            author="Administrator",
            publisher="Administrator",
        )
        self.tally("pages", True)
        return home

    @staticmethod
    def _remove_wagtail_welcome_page(root: Page) -> None:
        """Delete the placeholder "Welcome" page Wagtail's migrations create.

        Only a plain ``wagtailcore.Page`` without children qualifies; a site rooted at it
        is re-pointed at the tree root first (deleting the page would cascade to the site).
        """
        plain_page = ContentType.objects.get_for_model(Page)
        for page in root.get_children().filter(content_type=plain_page, numchild=0):
            Site.objects.filter(root_page=page).update(root_page=root)
            page.delete()

    def seed_site(self, home: HomePage) -> None:
        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
        )
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
            self.tally("sites", True)
            return
        self.tally("sites", False)
        changed = []
        if site.root_page_id != home.pk:
            site.root_page = home
            changed.append("root_page")
        if not site.is_default_site:
            site.is_default_site = True
            changed.append("is_default_site")
        if not site.site_name:
            site.site_name = settings.WAGTAIL_SITE_NAME
            changed.append("site_name")
        if changed:
            # save() (not update()) so Wagtail clears its cached site root paths.
            site.save()

    def seed_catalogue(self, home: HomePage) -> CourseIndexPage:
        index = CourseIndexPage.objects.first()
        if index is not None:
            self.tally("pages", False)
            return index
        spec = demo_content.CATALOGUE_PAGE
        index = self._publish(
            home,
            CourseIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"]),
            author="Administrator",
            publisher="Administrator",
        )
        self.tally("pages", True)
        return index

    def seed_course(self, index: CourseIndexPage, spec: dict) -> CoursePage:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if course is None:
            course = self._publish(
                index,
                CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    search_description=spec["summary"],
                    summary=spec["summary"],
                    description=spec["description"],
                    track=spec["track"],
                    objectives=self._objectives(spec["objectives"]),
                    cme_credit_hours=Decimal(spec["cme_credit_hours"]),
                    estimated_hours=spec["estimated_hours"],
                    audience=spec["audience"],
                    faculty_links=[
                        CourseFaculty(faculty_member=self.faculty[name], role=role, sort_order=position)
                        for position, (name, role) in enumerate(spec["faculty"])
                    ],
                ),
                author="Faculty author",
                publisher="Board reviewer",
            )
            self.tally("pages", True)
        else:
            self.tally("pages", False)
        for module_spec in spec["modules"]:
            self.seed_module(course, module_spec, authors=[self.faculty[name] for name, _ in spec["faculty"]])
        return course

    def seed_module(self, course: CoursePage, spec: dict, *, authors=()) -> ModulePage:
        module = ModulePage.objects.child_of(course).filter(slug=spec["slug"]).first()
        if module is not None:
            self.tally("pages", False)
            return module
        module = self._publish(
            course,
            ModulePage(
                title=spec["title"],
                slug=spec["slug"],
                search_description=spec["summary"],
                summary=spec["summary"],
                estimated_minutes=spec["estimated_minutes"],
                objectives=self._objectives(spec["objectives"]),
                body=self._body(spec["body"], where=f"{course.slug}/{spec['slug']}"),
                module_authors=[
                    ModuleAuthor(faculty_member=member, sort_order=i) for i, member in enumerate(authors)
                ],
            ),
            author="Faculty author",
            publisher="Board reviewer",
        )
        self.tally("pages", True)
        return module

    def _objectives(self, objectives: list[str]):
        value = self._objectives_block.to_python(
            [{"type": "objective", "value": text} for text in objectives]
        )
        return self._objectives_block.clean(value)

    def _body(self, blocks: list[tuple[str, object]], *, where: str):
        """Build the module body and validate it exactly as the page editor would."""
        raw = []
        for block_type, value in blocks:
            if block_type == "image":
                value = {**value, "image": self.images[value["image"]].pk}
            raw.append((block_type, self._body_block.child_blocks[block_type].to_python(value)))
        try:
            return self._body_block.clean(self._body_block.to_python(raw))
        except ValidationError as error:
            detail = error.as_json_data() if hasattr(error, "as_json_data") else error.messages
            raise CommandError(f"Demo content for {where} does not validate: {detail}") from error

    # --- Runs -----------------------------------------------------------------------------

    def seed_runs(self, course: CoursePage) -> None:
        """This month's run and the next ones, with this month's enrolment open all month."""
        this_month = self.today.replace(day=1)
        months = [add_months(this_month, offset) for offset in range(demo_content.RUN_MONTHS_AHEAD)]
        scheduled = set(
            CourseRun.objects.filter(course=course, starts_on__in=months).values_list("starts_on", flat=True)
        )
        for month in months:
            created = month not in scheduled
            if created:
                course_runs_schedule_monthly(
                    course=course, first_month=month, count=1, capacity=demo_content.RUN_CAPACITY
                )
            self.tally("course runs", created)
        # The service closes enrolment a week after the start; a demo opened later in the
        # month must still let a new learner enrol in the current run.
        last_day = this_month.replace(day=calendar.monthrange(this_month.year, this_month.month)[1])
        closes = datetime.datetime.combine(last_day, datetime.time(23, 59), timezone.get_current_timezone())
        extended = CourseRun.objects.filter(
            course=course, starts_on=this_month, enrolment_closes_at__lt=closes
        ).update(enrolment_closes_at=closes)
        if extended:
            self.enrolment_kept_open_until = closes

    # --- Everything -----------------------------------------------------------------------

    def run(self) -> None:
        self.seed_accounts()
        self.seed_faculty()
        self.seed_images()
        home = self.seed_home()
        self.seed_site(home)
        index = self.seed_catalogue(home)
        self.courses = {}
        for spec in demo_content.COURSES:
            course = self.seed_course(index, spec)
            self.courses[course.slug] = course
            self.seed_runs(course)
        # Other apps add their demo content (question bank, signatories) through this
        # hook, so courses never imports them. Each receives the seeder: its ``users``,
        # ``courses`` (by slug) and ``tally(kind, created)``.
        for fn in hooks.get_hooks("lms_seed_demo"):
            fn(seeder=self)


class Command(BaseCommand):
    help = (
        "Create the demo catalogue (home page, courses, modules), monthly runs for this month and the "
        "next two, and demo accounts. Idempotent; refuses to run with production settings."
    )

    def handle(self, *args, **options):
        refuse_production()
        seeder = DemoSeeder(today=timezone.localdate())
        # Wagtail logs every page created, edited and published; at normal verbosity the
        # summary below says the same in a few lines.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                seeder.run()
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
