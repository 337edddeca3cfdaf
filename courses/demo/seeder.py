"""Writing the demo catalogue: the same steps, through the same services, as the people it names.

:class:`DemoSeeder` creates whatever part of the demo is missing:

* **Accounts** as an administrator would: the user, a verified primary e-mail address
  (allauth's ``EmailAddress``; mandatory verification lets only those log in), the role
  groups, and a doctor's profile through :func:`lms.services.doctor_profile_save`.
* **Faculty and images** as the snippet and image admin create them; the
  administrator then confirms each new faculty member's disclosures
  (:func:`courses.services.faculty_disclosures_confirm`).
* **Site pages** (home, catalogue): saved as a revision and published by the
  administrator.
* **Courses and modules**, as the academy's workflow has them: the demo faculty author
  saves each page as a draft revision and submits it for endorsement
  (:func:`courses.services.page_submit_for_endorsement`, which applies the content
  standard and the disclosure rules); the demo board reviewer approves it
  (:func:`courses.services.page_endorse`, the workflow task's own "approve"). The
  workflow's finish action (:func:`courses.services.endorsement_publish`) publishes the
  approved revision and records the endorsement, so learners see "Endorsed by the
  Faculty of Pain Medicine".
  Modules are endorsed before their course: a course cannot be endorsed empty.
* **Credit types** as an administrator adds them in the admin (validated as its form
  does); a course designates its credit in its first revision, before any run opens,
  and the board's endorsement applies the content standard (no more credit than the
  modules' study time supports).
* **Course evaluations**: under every course that designates credit, the author adds
  the evaluation form (``evaluation.yaml``) and submits it; the board endorses it.
* **Runs** through :func:`courses.services.course_runs_schedule_monthly`.

Whatever exists is left exactly as it is (found by slug under its parent, name, title
or e-mail address), so an editor's later changes are never overwritten. Workflow
e-mails are muted while seeding: they would only tell the demo accounts what the
seeder did. Problems raise :class:`lms.demo_data.DemoDataError` naming the file.

Other apps add their demo content through the ``lms_seed_demo`` hook (see
:mod:`courses.demo`), each receiving this seeder.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from courses.blocks import LearningObjectivesBlock, ModuleBodyBlock
from courses.demo.catalogue import ADMINISTRATOR_ROLE, AUTHOR_ROLE, BOARD_ROLE, DEMO_DIR, load_catalogue
from courses.exceptions import EndorsementError
from courses.models import (
    CourseEvaluationPage,
    CourseFaculty,
    CourseIndexPage,
    CoursePage,
    CourseRun,
    CreditType,
    DesignatedCredit,
    EvaluationField,
    FacultyDisclosure,
    FacultyMember,
    HomePage,
    ModuleAuthor,
    ModulePage,
    WaitlistEntry,
)
from courses.services import (
    course_runs_schedule_monthly,
    enrolment_create,
    faculty_disclosures_confirm,
    page_endorse,
    page_submit_for_endorsement,
)
from courses.waitlists import waitlist_add_by_administrator
from lms.demo_data import DemoDataError, display_path, fail
from lms.notifications import workflow_notifications_muted
from lms.roles import COURSE_MEDIA_COLLECTION
from lms.services import doctor_profile_save

SEED_HOOK = "lms_seed_demo"


def add_months(month: datetime.date, offset: int) -> datetime.date:
    index = month.month - 1 + offset
    return datetime.date(month.year + index // 12, index % 12 + 1, 1)


class DemoSeeder:
    """Creates whatever part of the demo is missing; counts what it created and found.

    What an ``lms_seed_demo`` hook may use: ``today``; ``folder_for(app_label, default)``
    (the folder to read its files from: its own ``demo/`` folder unless ``seed_demo
    --content-dir`` names another); ``catalogue`` (the specs
    :func:`courses.demo.catalogue.load_catalogue` read); ``users`` (by role) and the
    ``author``, ``board`` and ``administrator`` among them; ``courses`` (course pages by
    slug); ``current_runs`` (this month's run of each course, by slug); ``credit_types``
    (by name); ``tally(kind, created)`` for the summary; ``note(text)`` for a remark the
    command prints.
    """

    def __init__(self, *, today: datetime.date, content_dir: Path | None = None) -> None:
        self.today = today
        self.content_dir = Path(content_dir) if content_dir else None
        self.catalogue = load_catalogue(self.folder_for("courses", DEMO_DIR))
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.kinds: list[str] = []
        self.notes: list[str] = []
        self.enrolment_kept_open_until: datetime.datetime | None = None
        self.accounts: list[tuple[dict, str]] = []
        self.users: dict[str, object] = {}
        self.images: dict[str, object] = {}
        self.faculty: dict[str, FacultyMember] = {}
        self.courses: dict[str, CoursePage] = {}
        self.credit_types: dict[str, CreditType] = {}
        self.current_runs: dict[str, CourseRun] = {}
        self._body_block = ModuleBodyBlock()
        self._objectives_block = LearningObjectivesBlock()

    def folder_for(self, app_label: str, default: Path) -> Path:
        """Where ``app_label``'s demo files are: ``<content_dir>/<app_label>/`` if one was given."""
        return self.content_dir / app_label if self.content_dir else default

    def tally(self, kind: str, created: bool) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        (self.created if created else self.existing)[kind] += 1

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def author(self):
        return self.users[AUTHOR_ROLE]

    @property
    def board(self):
        return self.users[BOARD_ROLE]

    @property
    def administrator(self):
        return self.users[ADMINISTRATOR_ROLE]

    # --- Everything -----------------------------------------------------------------------

    def run(self) -> None:
        """Seed the catalogue, then let every ``lms_seed_demo`` hook add its part.

        The caller owns the transaction (``seed_demo`` runs this in one).
        """
        with workflow_notifications_muted():
            self.seed_accounts()
            self.seed_faculty()
            self.seed_images()
            self.seed_credit_types()
            home = self.seed_home()
            self.seed_site(home)
            index = self.seed_catalogue(home)
            for spec in self.catalogue["courses"]:
                course = self.seed_course(index, spec)
                self.courses[course.slug] = course
                self.seed_runs(course)
            self.seed_full_run()
            # Other apps add their demo content (question bank, signatories) here, so
            # courses never imports them.
            for fn in hooks.get_hooks(SEED_HOOK):
                fn(seeder=self)

    # --- Accounts -------------------------------------------------------------------------

    def seed_accounts(self) -> None:
        for spec in self.catalogue["accounts"]:
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
                    self.note(
                        f"No group named {' or '.join(alternatives)}: {spec['email']} has no admin role."
                    )
                continue
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
        if "profile" in spec and not hasattr(user, "doctor_profile"):
            try:
                doctor_profile_save(user=user, **spec["profile"])
            except ValidationError as error:
                raise self._error(
                    "accounts.yaml", f"the profile of {spec['email']}: {_messages(error)}"
                ) from None
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

    # --- Faculty and images ---------------------------------------------------------------

    def seed_faculty(self) -> None:
        for spec in self.catalogue["faculty"]:
            member = FacultyMember.objects.filter(name=spec["name"]).first()
            created = member is None
            if created:
                member = FacultyMember(
                    name=spec["name"],
                    credentials=spec["credentials"],
                    specialty=spec["specialty"],
                    bio=spec["bio"],
                )
                member.disclosures = [FacultyDisclosure(**d) for d in spec.get("disclosures", [])]
                member.save()
                # The demo faculty's disclosures are current: an administrator confirms them,
                # as the admin's "Confirm disclosures are current" does.
                member = faculty_disclosures_confirm(faculty_member=member, by=self.administrator)
            self.tally("faculty members", created)
            self.faculty[spec["name"]] = member

    def seed_images(self) -> None:
        Image = get_image_model()
        for key, spec in self.catalogue["images"].items():
            image = Image.objects.filter(title=spec["title"]).first()
            created = image is None
            if created:
                with open(spec["path"], "rb") as fh:
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

    # --- Credit types ---------------------------------------------------------------------

    def seed_credit_types(self) -> None:
        for spec in self.catalogue["credit_types"]:
            credit_type = CreditType.objects.filter(name=spec["name"]).first()
            created = credit_type is None
            if created:
                credit_type = CreditType(**spec)
                try:
                    # The checks the admin's form makes (ranges, lengths, a unique name).
                    credit_type.full_clean()
                except ValidationError as error:
                    raise self._error("credit-types.yaml", f"{spec['name']}: {_messages(error)}") from None
                credit_type.save()
            self.tally("credit types", created)
            self.credit_types[spec["name"]] = credit_type

    # --- Pages ----------------------------------------------------------------------------

    def _draft(self, parent: Page, page: Page, *, user) -> Page:
        """Add ``page`` under ``parent`` as a draft and save its first revision as ``user``."""
        page.live = False
        parent.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
        return page

    def _add_endorsed(self, parent: Page, page: Page, *, source, before_submitting=None) -> Page:
        """Every step of a new teaching page: the demo faculty author adds ``page`` under
        ``parent`` as a draft revision and submits it for endorsement; the board reviewer
        approves it, which publishes it and records the endorsement.

        ``before_submitting(page)`` runs between the draft and the submission (a course's
        modules: a course cannot be endorsed empty). A refusal by the content standard
        raises :class:`DemoDataError` naming ``source``.
        """
        page = self._draft(parent, page, user=self.author)
        self.tally("pages", True)
        if before_submitting is not None:
            before_submitting(page)
        try:
            page_submit_for_endorsement(page=page, user=self.author)
            page_endorse(page=page, user=self.board)
        except EndorsementError as error:
            raise DemoDataError(f"{display_path(source)}: {error.message}") from None
        self.tally("endorsements", True)
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
        spec = self.catalogue["home"]
        home = self._draft(
            root,
            HomePage(
                title=spec["title"],
                slug=spec["slug"],
                hero_heading=spec["hero_heading"],
                hero_text=spec["hero_text"],
                about=spec["about"],
            ),
            user=self.administrator,
        )
        # Site pages are the administrators' to publish: they carry no teaching to endorse.
        home.get_latest_revision().publish(user=self.administrator)
        self.tally("pages", True)
        home.refresh_from_db()
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
        spec = self.catalogue["catalogue"]
        index = self._draft(
            home,
            CourseIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"]),
            user=self.administrator,
        )
        index.get_latest_revision().publish(user=self.administrator)
        self.tally("pages", True)
        index.refresh_from_db()
        return index

    def seed_course(self, index: CourseIndexPage, spec: dict) -> CoursePage:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        authors = [self.faculty[name] for name, _ in spec["faculty"]]

        def seed_modules(course: CoursePage) -> None:
            for module_spec in spec["modules"]:
                self.seed_module(course, module_spec, authors=authors)

        if course is None:
            course = self._add_endorsed(
                index,
                CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    search_description=spec["summary"],
                    summary=spec["summary"],
                    description=spec["description"],
                    track=spec["track"],
                    objectives=self._objectives(spec["objectives"]),
                    cme_credit_hours=spec["cme_credit_hours"],
                    estimated_hours=spec["estimated_hours"],
                    audience=spec["audience"],
                    faculty_links=[
                        CourseFaculty(faculty_member=self.faculty[name], role=role, sort_order=position)
                        for position, (name, role) in enumerate(spec["faculty"])
                    ],
                    designated_credits=[
                        DesignatedCredit(
                            credit_type=self.credit_types[name], max_credits=maximum, sort_order=position
                        )
                        for position, (name, maximum) in enumerate(spec["designated_credits"])
                    ],
                ),
                source=spec["source"],
                before_submitting=seed_modules,
            )
        else:
            self.tally("pages", False)
            seed_modules(course)  # modules added to the demo files since (endorsed alone)
        if spec["designated_credits"]:
            self.seed_evaluation(course)
        return course

    def seed_evaluation(self, course: CoursePage) -> CourseEvaluationPage:
        """The course evaluation an accredited course asks for, unless the course has one."""
        existing = CourseEvaluationPage.objects.child_of(course).first()
        if existing is not None:
            self.tally("pages", False)
            return existing
        spec = self.catalogue["evaluation"]
        return self._add_endorsed(
            course,
            CourseEvaluationPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                thank_you_text=spec["thank_you_text"],
                form_fields=[
                    EvaluationField(sort_order=position, **question)
                    for position, question in enumerate(spec["questions"])
                ],
            ),
            source=DEMO_DIR / "evaluation.yaml",
        )

    def seed_module(self, course: CoursePage, spec: dict, *, authors=()) -> ModulePage:
        module = ModulePage.objects.child_of(course).filter(slug=spec["slug"]).first()
        if module is not None:
            self.tally("pages", False)
            return module
        return self._add_endorsed(
            course,
            ModulePage(
                title=spec["title"],
                slug=spec["slug"],
                search_description=spec["summary"],
                summary=spec["summary"],
                estimated_minutes=spec["estimated_minutes"],
                objectives=self._objectives(spec["objectives"]),
                body=self._body(spec),
                module_authors=[
                    ModuleAuthor(faculty_member=member, sort_order=i) for i, member in enumerate(authors)
                ],
            ),
            source=spec["source"],
        )

    def _objectives(self, objectives: list[str]):
        value = self._objectives_block.to_python(
            [{"type": "objective", "value": text} for text in objectives]
        )
        return self._objectives_block.clean(value)

    def _body(self, spec: dict):
        """Build the module body and validate it exactly as the page editor would."""
        raw = []
        for block_type, value in spec["body"]:
            if block_type == "image":
                value = {**value, "image": self.images[value["image"]].pk}
            raw.append((block_type, self._body_block.child_blocks[block_type].to_python(value)))
        try:
            return self._body_block.clean(self._body_block.to_python(raw))
        except ValidationError as error:
            block_errors = getattr(error, "block_errors", None) or {}
            if block_errors:
                index, block_error = next(iter(block_errors.items()))
                line = spec["body_lines"][index]
                raise fail(spec["source"], line, spec["body"][index][0], _messages(block_error)) from None
            raise fail(spec["source"], None, "body", _messages(error)) from None

    # --- Runs -----------------------------------------------------------------------------

    def seed_runs(self, course: CoursePage) -> None:
        """This month's run and the next ones, with this month's enrolment open all month."""
        plan = self.catalogue["runs"]
        this_month = self.today.replace(day=1)
        months = [add_months(this_month, offset) for offset in range(plan["months_ahead"])]
        scheduled = set(
            CourseRun.objects.filter(course=course, starts_on__in=months).values_list("starts_on", flat=True)
        )
        for month in months:
            created = month not in scheduled
            if created:
                course_runs_schedule_monthly(
                    course=course, first_month=month, count=1, capacity=plan["capacity"]
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
        self.current_runs[course.slug] = CourseRun.objects.get(course=course, starts_on=this_month)

    def seed_full_run(self) -> None:
        """A run made full by its enrolled doctors, with others on its waitlist, in order.

        Only a run nobody has enrolled in yet gets this (seeding again adds nothing).
        """
        plan = self.catalogue["runs"]["full_run"]
        if plan is None:
            return
        course = self.courses.get(plan["course"])
        if course is None:
            raise self._error("runs.yaml", f"full_run.course: no course {plan['course']!r} in the catalogue")
        month = add_months(self.today.replace(day=1), plan["months_from_now"])
        run = CourseRun.objects.get(course=course, starts_on=month)
        if run.seats_taken or WaitlistEntry.objects.filter(run=run).exists():
            self.tally("full runs with a waitlist", False)
            return
        CourseRun.objects.filter(pk=run.pk).update(capacity=len(plan["enrolled"]))
        run.refresh_from_db()
        for n, name in enumerate(plan["enrolled"]):
            enrolment_create(learner=self._demo_doctor(name, n), run=run, ignore_window=True)
        for n, name in enumerate(plan["waiting"], start=len(plan["enrolled"])):
            waitlist_add_by_administrator(learner=self._demo_doctor(name, n), run=run)
        self.tally("full runs with a waitlist", True)

    def _demo_doctor(self, name: str, n: int):
        User = get_user_model()
        email = ".".join(word.lower() for word in name.split() if word.lower() != "dr") + "@hospital.example"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=self._free_username(email), email=email)
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            doctor_profile_save(
                user=user,
                full_name=name,
                council="KMC",
                registration_number=f"KMC-2{n:05d}",
                specialty="pain_medicine",
                institution="IPSC Pain and Spine Hospital",
                city="Bengaluru",
                country="IN",
            )
        return user

    def _error(self, file: str, message: str) -> DemoDataError:
        return DemoDataError(f"{display_path(DEMO_DIR / file)}: {message}")


def _messages(error) -> str:
    if hasattr(error, "as_json_data"):
        data = error.as_json_data()
        return _flatten(data)
    return "; ".join(getattr(error, "messages", [str(error)]))


def _flatten(data) -> str:
    if isinstance(data, dict):
        parts = []
        for key, value in data.items():
            if key == "messages":
                parts += list(value)
            elif key == "blockErrors":
                parts.append(_flatten(value))
            else:
                parts.append(f"{key}: {_flatten(value)}")
        return "; ".join(p for p in parts if p)
    if isinstance(data, list):
        return "; ".join(_flatten(item) for item in data if item)
    return str(data)
