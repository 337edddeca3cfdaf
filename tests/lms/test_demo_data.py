"""Reading demo content files: the Markdown an author writes, and the errors they get."""

import pytest

from lms.demo_data import DemoDataError, Fields, document_segments, read_document, read_yaml, rich_text


def html(text: str, line: int = 1) -> str:
    return rich_text(text, path="notes.md", line=line)


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("One paragraph.", "<p>One paragraph.</p>"),
        ("A paragraph wrapped\nover two lines.", "<p>A paragraph wrapped over two lines.</p>"),
        ("First.\n\nSecond.", "<p>First.</p><p>Second.</p>"),
        (
            "**Bold**, *italic*, ^sup^ and ~sub~.",
            "<p><b>Bold</b>, <i>italic</i>, <sup>sup</sup> and <sub>sub</sub>.</p>",
        ),
        ("- one\n- two\n  continued", "<ul><li>one</li><li>two continued</li></ul>"),
        ("Lead.\n\n1. first\n2. second", "<p>Lead.</p><ol><li>first</li><li>second</li></ol>"),
        ("- **Transduction.** Nociceptors", "<ul><li><b>Transduction.</b> Nociceptors</li></ul>"),
        (
            "See [NICE](https://www.nice.org.uk/guidance/ng59).",
            '<p>See <a href="https://www.nice.org.uk/guidance/ng59">NICE</a>.</p>',
        ),
        ("5 < 6 & 7 > 3", "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"),
        (r"A literal \* star and \~30%.", "<p>A literal * star and ~30%.</p>"),
        (r"\# not a heading", "<p># not a heading</p>"),
        ("“Quotes”, en dash – and 10⁹/L", "<p>“Quotes”, en dash – and 10⁹/L</p>"),
    ],
)
def test_markdown_becomes_the_rich_text_html_wagtail_stores(markdown, expected):
    assert html(markdown) == expected


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [
        ("Fine.\n\nThen <b>raw</b> HTML.", 12, "notes.md:14: raw HTML (<b>) is not allowed"),
        ("An **unclosed bold.", 10, "notes.md:10: ** is opened but never closed"),
        ("## A heading", 10, "notes.md:10: a heading is not allowed in rich text here"),
        ("> a quotation", 10, "notes.md:10: a quotation is not allowed"),
        ("- item\n  - nested", 10, "notes.md:11: lists inside lists are not supported"),
        ("- bullet\n1. number", 10, "notes.md:11: a list mixes bullets (-) and numbers (1.)"),
        ("[a link](javascript:alert(1))", 10, "notes.md:10: write a link as [text](https://address)"),
        (
            "[a link](javascript:void)",
            10,
            "notes.md:10: the link address 'javascript:void' must start with https://",
        ),
        ("*italic **bold* crossed**", 10, "notes.md:10: * is closed before the formatting opened inside it"),
        ("\n\n", 10, "notes.md:10: the text is empty"),
    ],
)
def test_markdown_the_editor_cannot_hold_is_refused_with_its_line(markdown, line, message):
    with pytest.raises(DemoDataError) as refused:
        html(markdown, line=line)

    assert message in str(refused.value)


def test_yaml_remembers_lines_and_refuses_duplicate_keys(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("people:\n  - name: Asha\n    role: author\n  - name: Ravi\n    role: author\n")
    people = Fields(read_yaml(path), path=path).mappings("people")
    assert [person.line for person in people] == [2, 4]
    assert people[1].key_line("role") == 5

    path.write_text("name: Asha\nrole: author\nname: Ravi\n")
    with pytest.raises(DemoDataError, match=r"people.yaml:3: .*the key 'name' appears twice"):
        read_yaml(path)

    path.write_text("name: [unclosed\n")
    with pytest.raises(DemoDataError, match=r"people.yaml:2: this is not valid YAML"):
        read_yaml(path)


def test_fields_check_types_limits_choices_and_unknown_keys(tmp_path):
    path = tmp_path / "course.yaml"
    path.write_text("title: Acute pain\nhours: eight\ntrack: acute\nlevel: h7\ntitel: typo\n")
    fields = Fields(read_yaml(path), path=path, where="course")

    assert fields.text("title", max_length=20) == "Acute pain"
    with pytest.raises(DemoDataError, match=r"course.yaml:1: course.title: is 10 characters long; at most 5"):
        fields.text("title", max_length=5)
    with pytest.raises(
        DemoDataError, match=r"course.yaml:2: course.hours: expected a whole number, found str 'eight'"
    ):
        fields.integer("hours")
    with pytest.raises(DemoDataError, match=r"course.yaml:4: course.level: 'h7' is not one of h2, h3"):
        fields.text("level", choices=["h2", "h3"])
    with pytest.raises(DemoDataError, match=r"course.yaml:1: course: the key 'summary' is required"):
        fields.text("summary")
    fields.text("track")
    with pytest.raises(DemoDataError, match=r"course.yaml:5: course.titel: unknown key"):
        fields.done()


def test_a_document_is_front_matter_and_a_body_cut_into_segments(tmp_path):
    path = tmp_path / "module.md"
    path.write_text(
        "---\ntitle: How pain works\n---\n\n## Nociception\n\nFirst paragraph.\n\n---\n\nSecond block.\n\n"
        "```key-points Remember\n- one\n```\n"
    )
    doc = read_document(path)
    assert doc.front.text("title") == "How pain works"

    segments = document_segments(doc)

    assert [(s.kind, s.line) for s in segments] == [
        ("heading", 5),
        ("text", 7),
        ("break", 9),
        ("text", 11),
        ("fence", 13),
    ]
    assert segments[0].level == 2 and segments[0].text == "Nociception"
    assert (segments[4].name, segments[4].argument, segments[4].text) == ("key-points", "Remember", "- one")


def test_a_document_without_front_matter_or_with_an_open_fence_is_refused(tmp_path):
    path = tmp_path / "module.md"
    path.write_text("## No front matter\n")
    with pytest.raises(DemoDataError, match=r"module.md:1: a document starts with front matter"):
        read_document(path)

    path.write_text("---\ntitle: x\n---\n\n```table Doses\n| a | b |\n")
    with pytest.raises(DemoDataError, match=r"module.md:5: the ```table block is not closed"):
        document_segments(read_document(path))
