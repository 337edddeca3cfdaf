"""Factories for the catalogue, runs and enrolments.

Pages are added to the tree under their parent (``parent=``), as Wagtail requires.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, CourseRun, Enrolment, HomePage, ModulePage, Track
from tests.factories import learner


def site_tree() -> CourseIndexPage:
    """The home page and the catalogue at /courses/, made the default site's root."""
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    for page in root.get_children():  # Wagtail's "Welcome" page, and its site
        page.delete()
    home = root.add_child(
        instance=HomePage(
            title="IPSC Pain Academy", slug="home", hero_heading="Pain medicine", hero_text="Courses."
        )
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))


class PageFactory(factory.Factory):
    """Builds the page, then adds it under ``parent`` (a keyword taken out of the fields)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(**kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        return page


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Managing Chronic Pain {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A practical course on chronic pain."
    track = Track.CHRONIC
    cme_credit_hours = Decimal("8.0")
    estimated_hours = 10
    parent = factory.LazyFunction(site_tree)


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    summary = "What this module covers."
    estimated_minutes = 30
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "Assessment", "level": "h2"}),
            ("paragraph", "<p>Secret clinical teaching: platelet-rich plasma dosing.</p>"),
        ]
    )


def _this_month(offset: int = 0) -> datetime.date:
    today = timezone.localdate()
    month = today.month - 1 + offset
    return datetime.date(today.year + month // 12, month % 12 + 1, 1)


class CourseRunFactory(factory.django.DjangoModelFactory):
    """By default: this month's run, open for enrolment now."""

    class Meta:
        model = CourseRun

    course = factory.SubFactory(CoursePageFactory)
    label = factory.LazyAttribute(lambda o: o.starts_on.strftime("%B %Y"))
    starts_on = factory.LazyFunction(_this_month)
    ends_on = factory.LazyAttribute(
        lambda o: (
            (o.starts_on.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            - datetime.timedelta(days=1)
        )
    )
    enrolment_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    enrolment_closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    capacity = 30


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    run = factory.SubFactory(CourseRunFactory)
    learner = factory.LazyFunction(learner)


def schedule_runs_form(course, **fields) -> dict:
    """What an administrator submits on the "Schedule monthly runs" screen (two runs from March 2027)."""
    return {
        "course": course.pk,
        "first_month": "2027-03",
        "count": 2,
        "capacity": 40,
        "enrolment_opens_days_before": 30,
        "enrolment_closes_days_after_start": 7,
        **fields,
    }


class CreditTypeFactory(factory.django.DjangoModelFactory):
    """One credit an hour, claimed in quarter steps, on a five-year cycle."""

    class Meta:
        model = "courses.CreditType"

    name = factory.Sequence(lambda n: f"State Medical Council CPD credit hours {n}")
    awarding_body = "Karnataka Medical Council"
    accreditation_statement = (
        "This activity has been accredited by the Karnataka Medical Council for a maximum of the credit "
        "hours shown. Doctors should claim only the credit commensurate with their participation."
    )


def designate(course, credit_type, max_credits) -> None:
    """Designate ``max_credits`` of ``credit_type`` for ``course``, in a published revision (as its editor does)."""
    from courses.models import CoursePage, DesignatedCredit

    page = CoursePage.objects.get(pk=course.pk)
    page.designated_credits.add(DesignatedCredit(credit_type=credit_type, max_credits=Decimal(max_credits)))
    page.save()  # the row gets its id first, so the revision records it
    page.save_revision().publish()


def evaluation_page(course, *, title="Course evaluation"):
    """A live evaluation form under ``course``: a Likert item, intent to change practice, free text."""
    from courses.models import CourseEvaluationPage, EvaluationField

    likert = "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree"
    page = CourseEvaluationPage(
        title=title,
        slug=f"evaluation-{course.pk}",
        form_fields=[
            EvaluationField(
                label="The course was relevant to my practice", field_type="radio", choices=likert
            ),
            EvaluationField(
                label="The course was free of commercial bias", field_type="radio", choices=likert
            ),
            EvaluationField(
                label="What will you change in your practice?", field_type="multiline", required=False
            ),
        ],
    )
    course.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


EVALUATION_ANSWERS = {
    "the_course_was_relevant_to_my_practice": "Agree",
    "the_course_was_free_of_commercial_bias": "Strongly agree",
    "what_will_you_change_in_your_practice": "Offer ultrasound-guided blocks earlier.",
}


def with_faculty(course, name: str = "Dr Meera Iyer"):
    """``course`` (in memory) naming one faculty member with current disclosures, as the
    content standard asks of a course before the board may endorse it."""
    from courses.models import CourseFaculty, FacultyMember

    member = FacultyMember.objects.create(name=name, disclosures_confirmed_on=timezone.localdate())
    course.faculty_links = [CourseFaculty(faculty_member=member, role="Course director")]
    return course
