"""Reading the demo catalogue files (``courses/demo/``): what an author writes, and the errors they get.

Each refusal test breaks one thing in a copy of the real files and checks the message
names the file and the line an author has to fix.
"""

from pathlib import Path

import pytest

from courses.blocks import ModuleBodyBlock
from courses.demo.catalogue import load_catalogue
from lms.demo_data import DemoDataError
from tests.support.demo import demo_content_copy

MODULE = Path("courses") / "cancer-pain" / "opioids-in-cancer-pain.md"


@pytest.fixture
def content(tmp_path) -> Path:
    return demo_content_copy(tmp_path) / "courses"


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) in ``path``; return the line it was on."""
    text = path.read_text()
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def refusal(folder: Path) -> str:
    with pytest.raises(DemoDataError) as refused:
        load_catalogue(folder)
    return str(refused.value)


def test_the_demo_files_hold_the_catalogue_in_order():
    catalogue = load_catalogue()

    assert catalogue["catalogue"]["courses"] == [course["slug"] for course in catalogue["courses"]]
    assert [len(course["modules"]) for course in catalogue["courses"]] == [3, 3, 4, 3]
    block_types = set(ModuleBodyBlock().child_blocks)
    for course in catalogue["courses"]:
        assert course["faculty"] and course["source"].name == "course.md"
        for module in course["modules"]:
            assert {kind for kind, _ in module["body"]} <= block_types
            assert len(module["body_lines"]) == len(module["body"])
            assert module["body_lines"] == sorted(module["body_lines"])
    roles = {account["role"] for account in catalogue["accounts"]}
    assert {"Learner", "Faculty author", "Board reviewer", "Administrator"} <= roles


def test_a_module_reads_as_blocks_in_the_shape_the_page_editor_stores(content):
    module = content / MODULE
    module.write_text(
        "---\ntitle: Opioids\nsummary: Titration.\nestimated_minutes: 30\nobjectives:\n  - Titrate.\n---\n\n"
        "## Starting\n\nStart **low**.\n\n---\n\n- one\n- two\n\n### Doses\n\n"
        "```table Equivalents\n| Drug | Dose |\n| --- | --- |\n| Morphine | 10 mg |\n```\n\n"
        "```key-points\n- Review daily.\n```\n\n"
        "```clinical-case\ntitle: A case\npresentation: A man.\nquestion: What next?\ndiscussion: |\n  Titrate.\n```\n\n"
        "```image analgesic-ladder\nalt_text: Three steps.\n```\n\n"
        "```references\n- @who-2018\n- Caraceni A. Opioids. Lancet Oncol. 2012. <https://doi.org/10.1016/x>\n```\n"
    )

    course = next(c for c in load_catalogue(content)["courses"] if c["slug"] == "cancer-pain")
    opioids = next(m for m in course["modules"] if m["slug"] == "opioids-in-cancer-pain")

    assert opioids["body"] == [
        ("heading", {"text": "Starting", "level": "h2"}),
        ("paragraph", "<p>Start <b>low</b>.</p>"),
        ("paragraph", "<ul><li>one</li><li>two</li></ul>"),
        ("heading", {"text": "Doses", "level": "h3"}),
        (
            "table",
            {
                "data": [["Drug", "Dose"], ["Morphine", "10 mg"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Equivalents",
            },
        ),
        ("key_points", {"title": "Key points", "points": ["Review daily."]}),
        (
            "clinical_case",
            {
                "title": "A case",
                "presentation": "<p>A man.</p>",
                "question": "What next?",
                "discussion": "<p>Titrate.</p>",
            },
        ),
        (
            "image",
            {"image": "analgesic-ladder", "alt_text": "Three steps.", "caption": "", "attribution": ""},
        ),
        (
            "references",
            {
                "references": [
                    {
                        "citation": "World Health Organization. WHO guidelines for the pharmacological and "
                        "radiotherapeutic management of cancer pain in adults and adolescents. Geneva: WHO; 2018.",
                        "url": "",
                    },
                    {
                        "citation": "Caraceni A. Opioids. Lancet Oncol. 2012.",
                        "url": "https://doi.org/10.1016/x",
                    },
                ]
            },
        ),
    ]
    assert opioids["body_lines"] == [9, 11, 15, 18, 20, 26, 30, 38, 42]


def test_an_unknown_block_is_refused_naming_the_blocks_there_are(content):
    line = edit(content / MODULE, "```key-points", "```video")

    message = refusal(content)

    assert f"{MODULE}:{line}: ```video is not a block demo files can hold" in message
    assert "key-points, clinical-case, table, image, references" in message


def test_a_table_row_with_a_missing_cell_is_refused_at_its_line(content):
    line = edit(
        content / MODULE,
        "| Oxycodone, oral | 5–7 mg (morphine to oxycodone about 1.5–2:1) | Reduce dose and frequency in renal impairment |",
        "| Oxycodone, oral | 5–7 mg (morphine to oxycodone about 1.5–2:1) |",
    )

    assert f"{MODULE}:{line}: table: this row has 2 cells; the header has 3" in refusal(content)


def test_names_that_refer_to_nothing_are_refused(content, tmp_path):
    course = content / "courses" / "cancer-pain" / "course.md"
    line = edit(course, "- name: Dr Farah Siddiqui", "- name: Dr Farah Sidiqui")
    assert (
        f"cancer-pain/course.md:{line}: faculty[0].name: 'Dr Farah Sidiqui' is not in faculty.yaml"
        in refusal(content)
    )
    edit(course, "Dr Farah Sidiqui", "Dr Farah Siddiqui")

    line = edit(content / MODULE, "- @who-2018", "- @who-2019")
    assert f"{MODULE}:{line}: references: '@who-2019' is not a key of references.yaml" in refusal(content)
    edit(content / MODULE, "@who-2019", "@who-2018")

    module = content / "courses" / "cancer-pain" / "assessing-cancer-pain.md"
    line = edit(module, "```image analgesic-ladder", "```image analgesic-stairs")
    assert (
        f"assessing-cancer-pain.md:{line}: image: 'analgesic-stairs' is not a key of images.yaml"
        in refusal(content)
    )


def test_module_files_and_course_folders_must_match_what_is_listed(content):
    folder = content / "courses" / "cancer-pain"
    (folder / "opioids-in-cancer-pain.md").rename(folder / "opioids.md")
    assert "cancer-pain/course.md" in refusal(content) and "opioids.md is not listed" in refusal(content)

    (folder / "opioids.md").rename(folder / "opioids-in-cancer-pain.md")
    (content / "courses" / "palliative-care").mkdir()
    assert "catalogue.md:2: courses: the course folder courses/palliative-care/ is not listed" in refusal(
        content
    )


def test_an_objective_longer_than_the_editor_allows_is_refused_at_its_line(content):
    course = content / "courses" / "acute-pain-management" / "course.md"
    line = edit(
        course,
        "- Apply the IASP 2020 definition",
        "- " + "Very long " * 30 + "Apply the IASP 2020 definition",
    )

    assert f"acute-pain-management/course.md:{line}: objectives[0]: is " in refusal(content)
    assert "at most 250 are allowed" in refusal(content)


def test_a_disclosure_with_an_unknown_relationship_or_bad_date_is_refused(content):
    faculty = content / "faculty.yaml"
    line = edit(faculty, "relationship: consultant", "relationship: advisor")
    assert (
        f"faculty.yaml:{line}: faculty[2].disclosures[0].relationship: 'advisor' is not one of consultant"
        in refusal(content)
    )
    edit(faculty, "relationship: advisor", "relationship: consultant")

    line = edit(faculty, "started_on: 2025-04-01", "started_on: April 2025")
    assert (
        f"faculty.yaml:{line}: faculty[2].disclosures[0].started_on: expected a date written as YYYY-MM-DD"
        in (refusal(content))
    )


def test_every_role_the_seeder_acts_as_needs_an_account(content):
    accounts = content / "accounts.yaml"
    edit(accounts, "role: Board reviewer", "role: Reviewer")

    assert (
        "accounts.yaml:7: accounts: seed_demo needs an account for each role: add Board reviewer"
        in refusal(content)
    )
