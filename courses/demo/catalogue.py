"""Reading the demo catalogue files in this folder into checked, plain specs.

:func:`load_catalogue` reads every file README.md describes and returns a dict of
plain values (nothing touches the database):

``home``, ``catalogue``
    the two site pages: titles, slugs and their HTML (``about``, ``intro``);
    ``catalogue["courses"]`` is the order of the courses.
``faculty``
    one dict per faculty member, with ``disclosures``.
``images``
    key → ``{"title", "file", "path"}``, ``path`` being the file beside this module.
``courses``
    in catalogue order; each with its ``modules`` in course order, and the ``source``
    file of each for messages. A module's ``body``
    is a list of ``(block_type, value)`` pairs in the shape of
    :class:`courses.blocks.ModuleBodyBlock` (an image block names its image by key),
    and ``body_lines`` gives the line each block starts on.
``runs``
    ``{"months_ahead", "capacity"}`` for the monthly runs of every course.
``accounts``
    the demo accounts; ``groups`` is a list of acceptable group names per role group.
``credit_types``
    the credit types courses designate (``credit-types.yaml``), as
    :class:`courses.models.CreditType`'s fields; a course's ``designated_credits`` is a
    list of ``(credit type name, maximum)`` pairs naming them.
``evaluation``
    the course evaluation form (``evaluation.yaml``) added under every course that
    designates credit: ``title``, ``slug``, ``intro``, ``thank_you_text`` and
    ``questions``, each as :class:`courses.models.EvaluationField`'s fields.

Everything is checked as it is read: types, lengths, choices, unknown keys, names that
must refer to something (faculty, images, shared references, module files, course
folders). The first problem raises :class:`lms.demo_data.DemoDataError` naming the
file, the line and the key.
"""

from __future__ import annotations

import re
from pathlib import Path

from courses.blocks import HeadingBlock, KeyPointsBlock, ReferenceBlock
from courses.models import (
    DESIGNATED_CREDITS_MAX,
    CoursePage,
    CreditType,
    DisclosureRelationship,
    EvaluationField,
    FacultyDisclosure,
    FacultyMember,
    Track,
)
from lms.demo_data import (
    DemoDataError,
    Document,
    Fields,
    document_segments,
    fail,
    read_document,
    read_yaml,
    rich_text,
    unique,
)

DEMO_DIR = Path(__file__).resolve().parent

# The roles the seeder acts as: who writes, who endorses, who administers.
AUTHOR_ROLE = "Faculty author"
BOARD_ROLE = "Board reviewer"
ADMINISTRATOR_ROLE = "Administrator"
LEARNER_ROLE = "Learner"
REQUIRED_ROLES = (AUTHOR_ROLE, BOARD_ROLE, ADMINISTRATOR_ROLE, LEARNER_ROLE)

PROFILE_FIELDS = (
    "full_name",
    "council",
    "council_other",
    "registration_number",
    "specialty",
    "institution",
    "city",
    "country",
)
BODY_BLOCKS = ("key-points", "clinical-case", "table", "image", "references")


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _char_limit(block, name: str) -> int | None:
    return block.child_blocks[name].field.max_length


def load_catalogue(folder: Path = DEMO_DIR) -> dict:
    """Read and check every catalogue file under ``folder`` (see the module docstring)."""
    folder = Path(folder)
    images = _images(folder)
    references = _references(folder)
    faculty = _faculty(folder)
    faculty_names = {member["name"] for member in faculty}
    home = _home(folder)
    catalogue, slugs, slug_lines = _catalogue_page(folder)

    courses_dir = folder / "courses"
    present = sorted(p.name for p in courses_dir.iterdir() if p.is_dir()) if courses_dir.is_dir() else []
    for name in present:
        if name not in slugs:
            raise fail(
                folder / "catalogue.md",
                2,
                "courses",
                f"the course folder courses/{name}/ is not listed; add it (or remove the folder)",
            )
    credit_types = _credit_types(folder)
    courses = []
    for slug, line in zip(slugs, slug_lines, strict=True):
        if not (courses_dir / slug / "course.md").is_file():
            raise fail(folder / "catalogue.md", line, "courses", f"there is no courses/{slug}/course.md")
        courses.append(
            _course(
                courses_dir / slug,
                faculty_names=faculty_names,
                images=images,
                references=references,
                credit_types={spec["name"] for spec in credit_types},
            )
        )
    return {
        "home": home,
        "catalogue": catalogue,
        "faculty": faculty,
        "images": images,
        "courses": courses,
        "runs": _runs(folder),
        "accounts": _accounts(folder),
        "credit_types": credit_types,
        "evaluation": _evaluation(folder),
    }


# --- Site pages ------------------------------------------------------------------------


def _page_rich_text(doc: Document, what: str) -> str:
    return rich_text(doc.body, path=doc.path, line=doc.body_line, where=what)


def _home(folder: Path) -> dict:
    from courses.models import HomePage

    doc = read_document(folder / "home.md")
    front = doc.front
    home = {
        "title": front.text("title", max_length=255),
        "slug": front.text("slug", max_length=255),
        "hero_heading": front.text("hero_heading", max_length=_max_length(HomePage, "hero_heading")),
        "hero_text": front.text("hero_text", max_length=_max_length(HomePage, "hero_text")),
        "about": _page_rich_text(doc, "the page text"),
    }
    front.done()
    return home


def _catalogue_page(folder: Path) -> tuple[dict, list[str], list[int | None]]:
    doc = read_document(folder / "catalogue.md")
    front = doc.front
    items = front.items("courses")
    unique(items, key=lambda slug: slug, path=doc.path, what="the course")
    slugs = front.texts("courses")
    catalogue = {
        "title": front.text("title", max_length=255),
        "slug": front.text("slug", max_length=255),
        "intro": _page_rich_text(doc, "the page text"),
        "courses": slugs,
    }
    front.done()
    return catalogue, slugs, [line for _, line, _ in items]


# --- Faculty, images, references, runs, accounts -------------------------------------------


def _top(path: Path, key: str, kind: type) -> tuple[Fields, object]:
    fields = Fields(read_yaml(path), path=path)
    value = fields.raw(key)
    fields.done()
    if not isinstance(value, kind):
        raise fields.error(key, f"expected {'a list' if kind is list else 'a mapping'}")
    return fields, value


def _faculty(folder: Path) -> list[dict]:
    path = folder / "faculty.yaml"
    top, _ = _top(path, "faculty", list)
    members = []
    items = top.items("faculty")
    for spec in top.mappings("faculty"):
        member = {
            "name": spec.text("name", max_length=_max_length(FacultyMember, "name")),
            "credentials": spec.text(
                "credentials", required=False, max_length=_max_length(FacultyMember, "credentials")
            ),
            "specialty": spec.text(
                "specialty", required=False, max_length=_max_length(FacultyMember, "specialty")
            ),
            "bio": spec.rich_text("bio", required=False),
        }
        disclosures = []
        for disclosure in spec.mappings("disclosures", required=False):
            entry = {
                "company": disclosure.text("company", max_length=_max_length(FacultyDisclosure, "company")),
                "relationship": disclosure.text("relationship", choices=DisclosureRelationship.values),
                "started_on": disclosure.date("started_on"),
                "ended_on": disclosure.date("ended_on", required=False),
            }
            if entry["ended_on"] and entry["ended_on"] < entry["started_on"]:
                raise disclosure.error("ended_on", "is before started_on")
            disclosure.done()
            disclosures.append(entry)
        if disclosures:
            member["disclosures"] = disclosures
        spec.done()
        members.append(member)
    unique(
        [(m, line, label) for m, (_, line, label) in zip(members, items, strict=True)],
        key=lambda m: m["name"],
        path=path,
        what="the name",
    )
    return members


def _images(folder: Path) -> dict:
    from wagtail.images import get_image_model

    path = folder / "images.yaml"
    top, value = _top(path, "images", dict)
    images = {}
    title_limit = _max_length(get_image_model(), "title")
    for key in value:
        spec = Fields(value[key], path=path, where=f"images.{key}", line=value.key_lines.get(key))
        image = {"title": spec.text("title", max_length=title_limit), "file": spec.text("file")}
        spec.done()
        file = folder / "images" / image["file"]
        if not file.is_file():
            raise spec.error("file", f"there is no file images/{image['file']} beside {path.name}")
        images[key] = {**image, "path": file}
    return images


def _references(folder: Path) -> dict:
    path = folder / "references.yaml"
    top, value = _top(path, "references", dict)
    limit = ReferenceBlock().child_blocks["citation"].field.max_length
    references = {}
    for key in value:
        spec = Fields(value[key], path=path, where=f"references.{key}", line=value.key_lines.get(key))
        references[key] = {
            "citation": spec.text("citation", max_length=limit),
            "url": spec.text("url", required=False),
        }
        spec.done()
    return references


def _runs(folder: Path) -> dict:
    path = folder / "runs.yaml"
    top = Fields(read_yaml(path), path=path)
    schedule = top.mapping("schedule")
    full = top.mapping("full_run", required=False)
    top.done()
    runs = {
        "months_ahead": schedule.integer("months_ahead", minimum=1),
        "capacity": schedule.integer("capacity", minimum=1),
        "full_run": None,
    }
    if runs["months_ahead"] > 24:
        raise schedule.error("months_ahead", "at most 24 months can be scheduled at once")
    schedule.done()
    if full is not None:
        runs["full_run"] = {
            "course": full.text("course"),
            "months_from_now": full.integer("months_from_now", minimum=0),
            "enrolled": full.texts("enrolled", max_length=150),
            "waiting": full.texts("waiting", max_length=150),
        }
        if runs["full_run"]["months_from_now"] >= runs["months_ahead"]:
            raise full.error(
                "months_from_now", f"must be a scheduled month (below months_ahead, {runs['months_ahead']})"
            )
        if not runs["full_run"]["enrolled"]:
            raise full.error("enrolled", "a full run needs at least one enrolled doctor")
        full.done()
    return runs


def _accounts(folder: Path) -> list[dict]:
    path = folder / "accounts.yaml"
    top, _ = _top(path, "accounts", list)
    items = top.items("accounts")
    accounts = []
    for spec in top.mappings("accounts"):
        account = {
            "role": spec.text("role", max_length=40),
            "email": spec.text("email", max_length=254),
            "password": spec.text("password"),
            "first_name": spec.text("first_name", max_length=150),
            "last_name": spec.text("last_name", max_length=150),
            "is_staff": spec.boolean("is_staff"),
            "is_superuser": spec.boolean("is_superuser"),
            "groups": [],
            "signs_in_at": spec.text("signs_in_at"),
        }
        if "@" not in account["email"]:
            raise spec.error("email", f"{account['email']!r} is not an e-mail address")
        for item, line, label in spec.items("groups", required=False):
            names = [item] if isinstance(item, str) else item
            if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
                raise fail(path, line, label, "expected a group name, or a list of alternative group names")
            account["groups"].append(list(names))
        profile = spec.mapping("profile", required=False)
        if profile is not None:
            account["profile"] = {
                name: profile.text(name, required=name != "council_other")
                for name in PROFILE_FIELDS
                if name != "council_other" or profile.has(name)
            }
            profile.done()
        spec.done()
        accounts.append(account)
    unique(
        [(a, line, label) for a, (_, line, label) in zip(accounts, items, strict=True)],
        key=lambda a: a["role"],
        path=path,
        what="the role",
    )
    unique(
        [(a, line, label) for a, (_, line, label) in zip(accounts, items, strict=True)],
        key=lambda a: a["email"].lower(),
        path=path,
        what="the e-mail address",
    )
    roles = {account["role"] for account in accounts}
    missing = [role for role in REQUIRED_ROLES if role not in roles]
    if missing:
        raise fail(
            path, top.line, "accounts", f"seed_demo needs an account for each role: add {', '.join(missing)}"
        )
    return accounts


# --- Courses and modules -----------------------------------------------------------------


def _objectives(front: Fields) -> list[str]:
    from courses.blocks import LearningObjectivesBlock

    limit = LearningObjectivesBlock().child_blocks["objective"].field.max_length
    return front.texts("objectives", max_length=limit)


def _course(
    folder: Path, *, faculty_names: set[str], images: dict, references: dict, credit_types: set[str]
) -> dict:
    slug = folder.name
    doc = read_document(folder / "course.md")
    front = doc.front
    course = {
        "title": front.text("title", max_length=255),
        "slug": slug,
        "track": front.text("track", choices=Track.values),
        "summary": front.text("summary", max_length=_max_length(CoursePage, "summary")),
        "description": _page_rich_text(doc, "the course description"),
        "objectives": _objectives(front),
        "cme_credit_hours": front.decimal("cme_credit_hours"),
        "estimated_hours": front.integer("estimated_hours", minimum=1),
        "audience": front.text("audience", max_length=_max_length(CoursePage, "audience")),
        "faculty": [],
        "source": doc.path,
    }
    for member in front.mappings("faculty"):
        name = member.text("name")
        if name not in faculty_names:
            raise member.error("name", f"{name!r} is not in faculty.yaml")
        course["faculty"].append((name, member.text("role", max_length=80)))
        member.done()
    course["designated_credits"] = _designated_credits(front, credit_types=credit_types)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise fail(
            doc.path, None, "", f"the folder name {slug!r} is used as the page slug: lower case, digits and -"
        )
    module_items = front.items("modules")
    unique(module_items, key=lambda s: s, path=doc.path, what="the module")
    module_slugs = front.texts("modules")
    front.done()
    for file in sorted(folder.glob("*.md")):
        if file.name != "course.md" and file.stem not in module_slugs:
            raise fail(
                doc.path,
                front.key_line("modules"),
                "modules",
                f"{file.name} is not listed; add {file.stem!r}",
            )
    course["modules"] = []
    for module_slug, line, _ in module_items:
        file = folder / f"{module_slug}.md"
        if not file.is_file():
            raise fail(doc.path, line, "modules", f"there is no {file.name} beside course.md")
        course["modules"].append(_module(file, images=images, references=references))
    return course


def _designated_credits(front: Fields, *, credit_types: set[str]) -> list[tuple[str, object]]:
    """``designated_credits``: the most credit of each type a learner may claim (none: not accredited).

    Whether the modules' study time supports it is the content standard's to say when the
    board endorses the course; here only the names, numbers and count are checked.
    """
    designations = []
    items = front.items("designated_credits", required=False)
    for spec in front.mappings("designated_credits", required=False):
        name = spec.text("credit_type")
        if name not in credit_types:
            raise spec.error("credit_type", f"{name!r} is not in credit-types.yaml")
        maximum = spec.decimal("max_credits")
        if maximum <= 0:
            raise spec.error("max_credits", "must be more than zero")
        spec.done()
        designations.append((name, maximum))
    unique(
        [(d, line, label) for d, (_, line, label) in zip(designations, items, strict=True)],
        key=lambda d: d[0],
        path=front.path,
        what="the credit type",
    )
    if len(designations) > DESIGNATED_CREDITS_MAX:
        raise front.error(
            "designated_credits", f"a certificate prints at most {DESIGNATED_CREDITS_MAX} credit types"
        )
    return designations


# --- Credit types and the course evaluation ---------------------------------------------


def _credit_types(folder: Path) -> list[dict]:
    path = folder / "credit-types.yaml"
    top, _ = _top(path, "credit_types", list)
    items = top.items("credit_types")
    types = []
    for spec in top.mappings("credit_types"):
        entry = {
            "name": spec.text("name", max_length=_max_length(CreditType, "name")),
            "awarding_body": spec.text("awarding_body", max_length=_max_length(CreditType, "awarding_body")),
            "accreditation_statement": spec.text(
                "accreditation_statement", max_length=_max_length(CreditType, "accreditation_statement")
            ),
            "minutes_per_credit": spec.integer("minutes_per_credit", minimum=1),
            "step": spec.decimal("step"),
            "renewal_cycle_years": spec.integer("renewal_cycle_years", minimum=1),
        }
        if entry["step"] <= 0:
            raise spec.error("step", "must be more than zero")
        spec.done()
        types.append(entry)
    unique(
        [(t, line, label) for t, (_, line, label) in zip(types, items, strict=True)],
        key=lambda t: t["name"],
        path=path,
        what="the name",
    )
    return types


EVALUATION_FIELD_TYPES = ("likert", "radio", "dropdown", "checkboxes", "multiline", "singleline")


def _evaluation(folder: Path) -> dict:
    path = folder / "evaluation.yaml"
    top = Fields(read_yaml(path), path=path)
    spec = top.mapping("evaluation")
    top.done()
    scale = spec.texts("likert_scale")
    form = {
        "title": spec.text("title", max_length=255),
        "slug": spec.text("slug", max_length=255),
        "intro": spec.rich_text("intro", required=False),
        "thank_you_text": spec.rich_text("thank_you_text", required=False),
        "questions": [],
    }
    label_limit = _max_length(EvaluationField, "label")
    help_limit = _max_length(EvaluationField, "help_text")
    items = spec.items("questions")
    for question in spec.mappings("questions"):
        field_type = question.text("field_type", choices=EVALUATION_FIELD_TYPES)
        choices = scale if field_type == "likert" else question.texts("choices", required=False)
        if field_type in ("radio", "dropdown", "checkboxes") and not choices:
            raise question.error("choices", f"a {field_type} question needs its choices")
        form["questions"].append(
            {
                "label": question.text("label", max_length=label_limit),
                "field_type": "radio" if field_type == "likert" else field_type,
                "choices": "\n".join(choices),
                "required": question.boolean("required", required=False, default=True),
                "help_text": question.text("help_text", required=False, max_length=help_limit),
            }
        )
        question.done()
    spec.done()
    unique(
        [(q, line, label) for q, (_, line, label) in zip(form["questions"], items, strict=True)],
        key=lambda q: q["label"].lower(),
        path=path,
        what="the question",
    )
    if not form["questions"]:
        raise spec.error("questions", "an evaluation needs at least one question")
    return form


def _module(path: Path, *, images: dict, references: dict) -> dict:
    doc = read_document(path)
    front = doc.front
    module = {
        "title": front.text("title", max_length=255),
        "slug": path.stem,
        "summary": front.text("summary", max_length=400),
        "estimated_minutes": front.integer("estimated_minutes", minimum=1),
        "objectives": _objectives(front),
    }
    front.done()
    body, lines = _body(doc, images=images, references=references)
    module["body"] = body
    module["body_lines"] = lines
    module["source"] = path
    return module


def _body(doc: Document, *, images: dict, references: dict) -> tuple[list, list[int]]:
    blocks: list[tuple[str, object]] = []
    lines: list[int] = []
    heading_limit = _char_limit(HeadingBlock(), "text")
    for segment in document_segments(doc):
        if segment.kind == "break":
            continue
        if segment.kind == "heading":
            if segment.level not in (2, 3):
                raise fail(
                    doc.path, segment.line, "", "use ## for a section heading or ### for a sub-heading"
                )
            if len(segment.text) > heading_limit:
                raise fail(doc.path, segment.line, "", f"a heading has at most {heading_limit} characters")
            blocks.append(("heading", {"text": segment.text, "level": f"h{segment.level}"}))
        elif segment.kind == "text":
            blocks.append(("paragraph", rich_text(segment.text, path=doc.path, line=segment.line, where="")))
        elif segment.name == "key-points":
            points = _list_items(segment, doc=doc)
            limit = KeyPointsBlock().child_blocks["points"].child_block.field.max_length
            for point, line in points:
                if len(point) > limit:
                    raise fail(doc.path, line, "key-points", f"a key point has at most {limit} characters")
            blocks.append(
                ("key_points", {"title": segment.argument or "Key points", "points": [p for p, _ in points]})
            )
        elif segment.name == "table":
            blocks.append(("table", _table(segment, doc=doc)))
        elif segment.name == "references":
            blocks.append(("references", {"references": _citations(segment, doc=doc, references=references)}))
        elif segment.name == "clinical-case":
            spec = _fence_yaml(segment, doc=doc)
            value = {
                "title": spec.text("title", max_length=120),
                "presentation": spec.rich_text("presentation"),
                "question": spec.text("question", required=False, max_length=250),
                "discussion": spec.rich_text("discussion"),
            }
            spec.done()
            blocks.append(("clinical_case", value))
        elif segment.name == "image":
            if segment.argument not in images:
                raise fail(
                    doc.path,
                    segment.line,
                    "image",
                    f"{segment.argument!r} is not a key of images.yaml (write ```image <key>)",
                )
            spec = _fence_yaml(segment, doc=doc)
            value = {
                "image": segment.argument,
                "alt_text": spec.text("alt_text", max_length=200),
                "caption": spec.text("caption", required=False, max_length=250),
                "attribution": spec.text("attribution", required=False, max_length=150),
            }
            spec.done()
            blocks.append(("image", value))
        else:
            raise fail(
                doc.path,
                segment.line,
                "",
                f"```{segment.name} is not a block demo files can hold (they can: {', '.join(BODY_BLOCKS)})",
            )
        lines.append(segment.line)
    if not blocks:
        raise fail(doc.path, doc.body_line, "", "the module has no body")
    return blocks, lines


def _fence_yaml(segment, *, doc: Document) -> Fields:
    return Fields(
        read_yaml(doc.path, text=segment.text or "{}", first_line=segment.content_line),
        path=doc.path,
        where=segment.name,
        line=segment.content_line,
    )


_ITEM = re.compile(r"^[-*]\s+(.*)$")


def _list_items(segment, *, doc: Document) -> list[tuple[str, int]]:
    """The items of a plain ``- item`` list; indented lines continue the item above."""
    items: list[tuple[str, int]] = []
    for offset, raw in enumerate(segment.text.split("\n")):
        line = segment.content_line + offset
        if not raw.strip():
            continue
        match = _ITEM.match(raw)
        if match:
            items.append((match[1].strip(), line))
        elif raw.startswith(" ") and items:
            items[-1] = (f"{items[-1][0]} {raw.strip()}", items[-1][1])
        else:
            raise fail(
                doc.path, line, segment.name, "each item starts with '- '; indent the lines that continue it"
            )
    if not items:
        raise fail(doc.path, segment.line, segment.name, "the list is empty")
    return items


_CITATION_URL = re.compile(r"^(?P<citation>.*?)\s*<(?P<url>https?://[^\s<>]+)>$")


def _citations(segment, *, doc: Document, references: dict) -> list[dict]:
    limit = ReferenceBlock().child_blocks["citation"].field.max_length
    citations = []
    for text, line in _list_items(segment, doc=doc):
        if text.startswith("@"):
            key = text[1:]
            if key not in references:
                raise fail(doc.path, line, "references", f"{text!r} is not a key of references.yaml")
            citations.append(dict(references[key]))
            continue
        match = _CITATION_URL.match(text)
        citation, url = (match["citation"], match["url"]) if match else (text, "")
        if len(citation) > limit:
            raise fail(doc.path, line, "references", f"a citation has at most {limit} characters")
        citations.append({"citation": citation, "url": url})
    return citations


_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _table_cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _table(segment, *, doc: Document) -> dict:
    rows = [(raw, segment.content_line + i) for i, raw in enumerate(segment.text.split("\n")) if raw.strip()]
    if len(rows) < 3 or not _DELIMITER.match(rows[1][0].strip()):
        raise fail(
            doc.path,
            segment.line,
            "table",
            "write a Markdown table: a header row, a row of | --- | cells, then one row per line",
        )
    header = _table_cells(rows[0][0])
    data = [header]
    for raw, line in rows[2:]:
        cells = _table_cells(raw)
        if len(cells) != len(header):
            raise fail(
                doc.path, line, "table", f"this row has {len(cells)} cells; the header has {len(header)}"
            )
        data.append(cells)
    return {
        "data": data,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_header_choice": "row",
        "table_caption": segment.argument,
    }


__all__ = ["DEMO_DIR", "DemoDataError", "load_catalogue"]
