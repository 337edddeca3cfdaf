"""Bulk enrolment files: read as spreadsheets write them, each row's outcome said before anything changes."""

import re

import pytest

from courses.bulk_enrolment import MAX_UPLOAD_BYTES, Outcome, bulk_enrolment_preview, enrolment_csv_parse
from courses.exceptions import BulkEnrolmentError
from courses.models import Enrolment
from courses.services import enrolment_create
from tests.courses.factories import CourseRunFactory
from tests.factories import learner
from tests.support.queries import count_queries

EXCEL_SEMICOLONS = (
    "\ufeffE-mail address;Name as printed;Registration number\r\n"
    'asha.menon@hospital.example.org;"Menon; Dr ""Asha""";KMC-40001\r\n'
    'ravi@hospital.example.org;=HYPERLINK("http://evil.example","x");\r\n'
).encode()


def test_excel_csv_with_bom_semicolons_and_quoting():
    rows = enrolment_csv_parse(EXCEL_SEMICOLONS)
    assert [(r.line, r.email, r.name, r.registration_number) for r in rows] == [
        (2, "asha.menon@hospital.example.org", 'Menon; Dr "Asha"', "KMC-40001"),
        (3, "ravi@hospital.example.org", '=HYPERLINK("http://evil.example","x")', ""),
    ]


def test_windows_1252_and_commas():
    rows = enrolment_csv_parse("email,name\nzoe@example.org,Dr Zoë Núñez\n".encode("cp1252"))
    assert rows[0].name == "Dr Zoë Núñez"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"email,name,password\na@example.org,A,secret\n", "Unknown column(s): password"),
        (b"name\nDr A\n", "no “email” column"),
        (b"email,name\n", "no rows"),
        (b"email\n" + b"a@example.org\n" * (MAX_UPLOAD_BYTES // 14 + 1), "the limit is 2 MB"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(BulkEnrolmentError, match=re.escape(message)):
        enrolment_csv_parse(data)


@pytest.mark.django_db
def test_preview_says_what_each_row_would_do_and_changes_nothing():
    run = CourseRunFactory(capacity=3)
    enrolled, known = learner(), learner()
    enrolment_create(learner=enrolled, run=run)
    run.refresh_from_db()
    data = (
        "email,name\n"
        f"{enrolled.email},Dr Already\n"
        f"{known.email.upper()},\n"  # an existing doctor needs no name; case does not matter
        "new.doctor@hospital.example.org,Dr New\n"
        "not-an-email,Dr Typo\n"
        "nameless@hospital.example.org,\n"
        "NEW.doctor@hospital.example.org,Dr New again\n"
        "late@hospital.example.org,Dr Late\n"
    ).encode()
    rows = enrolment_csv_parse(data)
    before = Enrolment.objects.count()
    with count_queries() as captured:
        outcomes = bulk_enrolment_preview(run=run, rows=rows)
    assert len(captured) == 2
    assert [o.outcome for o in outcomes] == [
        Outcome.ALREADY,
        Outcome.ENROL,
        Outcome.INVITE,
        Outcome.BAD_EMAIL,
        Outcome.NO_NAME,
        Outcome.DUPLICATE,
        Outcome.WAITLIST,  # two seats were left: the known doctor and the new one took them
    ]
    assert outcomes[5].detail == "same e-mail as line 4"
    assert Enrolment.objects.count() == before


@pytest.mark.django_db
def test_ten_thousand_rows_preview_in_two_queries():
    run = CourseRunFactory(capacity=20_000)
    data = (
        "email,name\n" + "".join(f"doctor{i}@hospital.example.org,Dr {i}\n" for i in range(10_000))
    ).encode()
    rows = enrolment_csv_parse(data)
    with count_queries() as captured:
        outcomes = bulk_enrolment_preview(run=run, rows=rows)
    assert len(rows) == 10_000 and len(captured) <= 2
    assert {o.outcome for o in outcomes} == {Outcome.INVITE}


@pytest.mark.django_db
def test_the_readme_sample_file_reads_as_the_readme_says():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    sample = (
        readme.split("## Enrolling a hospital's list of doctors", 1)[1]
        .split("```csv\n", 1)[1]
        .split("```", 1)[0]
    )
    rows = enrolment_csv_parse(sample.encode())
    assert [(r.email, r.name, r.registration_number) for r in rows] == [
        ("asha.menon@stmartha.example.org", "Dr Asha Menon", "KMC-104212"),
        ("ravi.shankar@stmartha.example.org", "Dr Ravi Shankar, MD", "TNMC-88310"),
        ("new.resident@stmartha.example.org", "Dr Meera Iyer", ""),
    ]
    outcomes = bulk_enrolment_preview(run=CourseRunFactory(capacity=2), rows=rows)
    assert [o.outcome for o in outcomes] == [Outcome.INVITE, Outcome.INVITE, Outcome.WAITLIST]
