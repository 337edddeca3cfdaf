"""Reading the demo content files (``<app>/demo/``): YAML, Markdown documents, rich text.

``seed_demo`` loads the academy's demo catalogue, question bank and signatories from
data files an author can edit by hand. This module is the reading half every app's
loader shares; what the files *mean* is up to each app's ``demo`` package.

* :func:`read_yaml` parses a YAML file (or a YAML fragment of one) into plain Python
  values whose mappings and lists remember the line each key or item was written on,
  and refuses duplicate keys (plain YAML keeps the last one silently).
* :func:`read_document` splits a Markdown document into its YAML front matter and its
  body; :func:`document_segments` cuts a body into headings, text, ``---`` separators
  and fenced blocks (```` ```name argument ````).
* :func:`rich_text` turns the Markdown an author writes into the HTML Wagtail's rich
  text stores, for the features the academy's editor offers: paragraphs, ``**bold**``,
  ``*italic*``, ``^superscript^``, ``~subscript~``, ``[links](https://…)`` and bulleted
  (``-``) or numbered (``1.``) lists. Anything else (raw HTML, headings, quotes, code)
  is refused rather than passed through.
* :class:`Fields` reads one mapping field by field, with types, limits and choices, and
  refuses keys it does not know, so a typo never silently drops content.

Every problem raises :class:`DemoDataError`, whose message names the file, the line and
the key, e.g. ``courses/demo/faculty.yaml:12: faculty[2].disclosures[0].relationship:
'advisor' is not one of consultant, speaker, …``.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DemoDataError(ValueError):
    """A demo content file that cannot be loaded; the message names file, line and key."""


def display_path(path: Path) -> str:
    """``path`` relative to the project when it is inside it (as an author would name it)."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def fail(path: Path, line: int | None, where: str, message: str) -> DemoDataError:
    location = f"{display_path(path)}:{line}" if line else display_path(path)
    return DemoDataError(f"{location}: {where + ': ' if where else ''}{message}")


# --- YAML with line numbers -------------------------------------------------------------


class Mapping(dict):
    """A YAML mapping: ``line`` of the mapping, ``key_lines[key]`` of each key."""

    line: int = 0
    key_lines: dict


class Sequence(list):
    """A YAML list: ``line`` of the list, ``item_lines[i]`` of each item."""

    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    line_offset = 0

    def _line(self, node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = loader._line(node)
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in this mapping", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = loader._line(key_node)
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    sequence = Sequence(loader.construct_object(item, deep=True) for item in node.value)
    sequence.line = loader._line(node)
    sequence.item_lines = [loader._line(item) for item in node.value]
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path, *, text: str | None = None, first_line: int = 1):
    """Parse the YAML in ``path`` (or ``text``, found at ``first_line`` of ``path``).

    Returns plain values, with :class:`Mapping` and :class:`Sequence` for mappings and
    lists. Raises :class:`DemoDataError` for a missing file, invalid YAML or a
    duplicate key.
    """
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise fail(path, None, "", "the file does not exist") from None
    loader = _LineLoader(text)
    loader.line_offset = first_line - 1
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        raise fail(path, line, "", f"this is not valid YAML ({error.problem or error.context})") from None
    finally:
        loader.dispose()


# --- Reading a mapping field by field -----------------------------------------------------


_MISSING = object()


class Fields:
    """One YAML mapping read field by field; :meth:`done` refuses the keys nobody read.

    ``where`` names the mapping in messages (``courses[2].modules[0]``); ``line`` is
    used when the mapping has no line of its own (a fragment built by a loader).
    """

    def __init__(self, value, *, path: Path, where: str = "", line: int | None = None) -> None:
        self.path = Path(path)
        self.where = where
        self.line = getattr(value, "line", None) or line
        if not isinstance(value, dict):
            raise self.error(None, f"expected a mapping of keys to values, found {_describe(value)}")
        self.value = value
        self._read: set = set()

    def key_line(self, key) -> int | None:
        return getattr(self.value, "key_lines", {}).get(key) or self.line

    def label(self, key) -> str:
        return f"{self.where}.{key}" if self.where else str(key)

    def error(self, key, message: str) -> DemoDataError:
        return fail(
            self.path,
            self.key_line(key) if key else self.line,
            self.label(key) if key else self.where,
            message,
        )

    def has(self, key) -> bool:
        return key in self.value

    def raw(self, key, *, required: bool = True, default=None):
        self._read.add(key)
        if key not in self.value or self.value[key] is None:
            if required:
                raise self.error(None, f"the key {key!r} is required")
            return default
        return self.value[key]

    def text(
        self, key, *, required: bool = True, default: str = "", max_length: int | None = None, choices=None
    ) -> str:
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.error(key, f"expected text, found {_describe(value)}")
        value = value.strip()
        if required and not value:
            raise self.error(key, "must not be empty")
        if max_length is not None and len(value) > max_length:
            raise self.error(key, f"is {len(value)} characters long; at most {max_length} are allowed")
        if choices is not None and value not in choices:
            raise self.error(key, f"{value!r} is not one of {', '.join(map(str, choices))}")
        return value

    def rich_text(self, key, *, required: bool = True, default: str = "") -> str:
        value = self.text(key, required=required, default=_MISSING)
        if value is _MISSING:
            return default
        # A block scalar (``key: |``) keeps its newlines and starts on the line after its key.
        line = self.key_line(key)
        first_line = line + 1 if line and "\n" in self.value[key] else line
        return rich_text(value, path=self.path, line=first_line, where=self.label(key))

    def integer(self, key, *, required: bool = True, default=None, minimum: int | None = None) -> int | None:
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected a whole number, found {_describe(value)}")
        if minimum is not None and value < minimum:
            raise self.error(key, f"must be at least {minimum}")
        return value

    def decimal(self, key, *, required: bool = True, default=None) -> Decimal | None:
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return default
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            return Decimal(str(value))
        except InvalidOperation:
            raise self.error(key, f"expected a number, found {_describe(value)}") from None

    def boolean(self, key, *, required: bool = True, default: bool | None = None) -> bool | None:
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, found {_describe(value)}")
        return value

    def date(self, key, *, required: bool = True) -> datetime.date | None:
        value = self.raw(key, required=required, default=None)
        if value is None:
            return None
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise self.error(key, f"expected a date written as YYYY-MM-DD, found {_describe(value)}")
        return value

    def items(self, key, *, required: bool = True) -> list[tuple[object, int | None, str]]:
        """The items of a list, each with its line and its label (``key[i]``)."""
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, found {_describe(value)}")
        lines = getattr(value, "item_lines", [])
        return [
            (item, lines[i] if i < len(lines) else self.key_line(key), f"{self.label(key)}[{i}]")
            for i, item in enumerate(value)
        ]

    def texts(self, key, *, required: bool = True, max_length: int | None = None) -> list[str]:
        result = []
        for item, line, label in self.items(key, required=required):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise fail(self.path, line, label, f"expected text, found {_describe(item)}")
            item = str(item).strip()
            if not item:
                raise fail(self.path, line, label, "must not be empty")
            if max_length is not None and len(item) > max_length:
                raise fail(
                    self.path,
                    line,
                    label,
                    f"is {len(item)} characters long; at most {max_length} are allowed",
                )
            result.append(item)
        if required and not result:
            raise self.error(key, "needs at least one item")
        return result

    def mapping(self, key, *, required: bool = True) -> Fields | None:
        value = self.raw(key, required=required, default=_MISSING)
        if value is _MISSING:
            return None
        return Fields(value, path=self.path, where=self.label(key), line=self.key_line(key))

    def mappings(self, key, *, required: bool = True) -> list[Fields]:
        return [
            Fields(item, path=self.path, where=label, line=line)
            for item, line, label in self.items(key, required=required)
        ]

    def done(self) -> None:
        """Refuse keys that were never read: a misspelt key must not drop content silently."""
        unknown = [key for key in self.value if key not in self._read]
        if unknown:
            known = ", ".join(sorted(map(str, self._read))) or "none"
            raise self.error(unknown[0], f"unknown key (the keys read here are: {known})")


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


# --- Markdown documents -----------------------------------------------------------------


@dataclass
class Document:
    """A Markdown file: its YAML front matter and its body, with the body's first line."""

    path: Path
    front: Fields
    body: str
    body_line: int


def read_document(path: Path, *, where: str = "") -> Document:
    """Read a Markdown document that starts with YAML front matter between ``---`` lines."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(path, None, "", "the file does not exist") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise fail(path, 1, "", "a document starts with front matter: a line '---', YAML, and another '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise fail(path, 1, "", "the front matter is not closed by a line '---'") from None
    front = read_yaml(path, text="\n".join(lines[1:end]) or "{}", first_line=2)
    return Document(
        path=path,
        front=Fields(front, path=path, where=where, line=2),
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
    )


@dataclass
class Segment:
    """A piece of a document body: ``heading`` (level, text), ``text``, ``break`` or ``fence``."""

    kind: str
    line: int
    text: str = ""
    level: int = 0
    name: str = ""
    argument: str = ""
    content_line: int = 0


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FENCE = re.compile(r"^```\s*([A-Za-z][\w-]*)?\s*(.*?)\s*$")


def document_segments(doc: Document) -> list[Segment]:
    """Cut ``doc``'s body into headings, text runs, ``---`` separators and fenced blocks.

    A text run keeps its blank lines (they separate paragraphs); its ``line`` is the
    line of its first non-blank line.
    """
    segments: list[Segment] = []
    lines = doc.body.split("\n")
    text: list[str] = []
    text_line = 0

    def flush() -> None:
        nonlocal text
        if "".join(text).strip():
            segments.append(Segment("text", text_line, text="\n".join(text).strip("\n")))
        text = []

    i = 0
    while i < len(lines):
        line, number = lines[i], doc.body_line + i
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            match = _FENCE.match(stripped)
            if not match or not match[1]:
                raise fail(doc.path, number, "", "a fenced block needs a name, e.g. ```key-points")
            try:
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            except StopIteration:
                raise fail(
                    doc.path, number, "", f"the ```{match[1]} block is not closed by a line ```"
                ) from None
            segments.append(
                Segment(
                    "fence",
                    number,
                    text="\n".join(lines[i + 1 : end]),
                    name=match[1],
                    argument=match[2],
                    content_line=number + 1,
                )
            )
            i = end + 1
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            segments.append(Segment("heading", number, text=heading[2], level=len(heading[1])))
        elif stripped == "---":
            flush()
            segments.append(Segment("break", number))
        else:
            if not "".join(text).strip():
                text = []
                text_line = number
            text.append(line)
        i += 1
    flush()
    return segments


# --- Rich text: the editor's Markdown ---------------------------------------------------


_LIST_ITEM = re.compile(r"^(?:(?P<bullet>[-*])|(?P<number>\d+)\.)\s+(?P<text>.*)$")
_LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\((?P<url>[^()\s]+)\)")
_LINK_START = re.compile(r"\[[^\[\]]+\]\(")
_URL = re.compile(r"^(https?://|mailto:)[^\s\"'<>]+$")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
_MARKERS = (("**", "b"), ("*", "i"), ("^", "sup"), ("~", "sub"))
_ESCAPABLE = set("\\*^~[]()<>&_`#-.!|")


def rich_text(text: str, *, path: Path, line: int | None, where: str = "") -> str:
    """The HTML Wagtail stores for the Markdown ``text`` (see the module docstring).

    ``line`` is the line of ``path`` that holds the first line of ``text``. Blocks are
    separated by blank lines; the lines of a paragraph or a list item are joined with
    single spaces, so an author may wrap long lines anywhere.
    """
    blocks: list[tuple[int | None, list[str]]] = []
    current: list[str] | None = None
    for offset, raw in enumerate(text.split("\n")):
        if not raw.strip():
            current = None
            continue
        if current is None:
            current = []
            blocks.append((_plus(line, offset), current))
        current.append(raw.rstrip())
    if not blocks:
        raise fail(path, line, where, "the text is empty")
    return "".join(
        _block_html(block_lines, path=path, line=number, where=where) for number, block_lines in blocks
    )


def _block_html(lines: list[str], *, path: Path, line: int | None, where: str) -> str:
    first = lines[0].lstrip()
    for prefix, what in (("#", "a heading"), (">", "a quotation"), ("```", "a code block"), ("|", "a table")):
        if first.startswith(prefix) and not first.startswith("\\"):
            raise fail(
                path,
                line,
                where,
                f"{what} is not allowed in rich text here (paragraphs, lists, bold, italic, "
                "superscript, subscript and links are); write \\ before the character if it is meant literally",
            )
    match = _LIST_ITEM.match(first)
    if match:
        tag = "ul" if match["bullet"] else "ol"
        items: list[tuple[int | None, str]] = []
        for offset, raw in enumerate(lines):
            item = _LIST_ITEM.match(raw.lstrip()) if not raw.startswith("  ") else None
            if item is None and raw.startswith("  ") and _LIST_ITEM.match(raw.lstrip()):
                raise fail(path, _plus(line, offset), where, "lists inside lists are not supported")
            if item:
                if bool(item["bullet"]) != (tag == "ul"):
                    raise fail(path, _plus(line, offset), where, "a list mixes bullets (-) and numbers (1.)")
                items.append((_plus(line, offset), item["text"].strip()))
            else:
                items[-1] = (items[-1][0], f"{items[-1][1]} {raw.strip()}")
        body = "".join(f"<li>{_inline(text, path=path, line=n, where=where)}</li>" for n, text in items)
        return f"<{tag}>{body}</{tag}>"
    paragraph = " ".join(raw.strip() for raw in lines)
    return f"<p>{_inline(paragraph, path=path, line=line, where=where)}</p>"


def _plus(line: int | None, offset: int) -> int | None:
    return line + offset if line else None


def _inline(text: str, *, path: Path, line: int | None, where: str) -> str:
    if _TAG.search(text):
        raise fail(
            path,
            line,
            where,
            f"raw HTML ({_TAG.search(text)[0]}) is not allowed; write Markdown (**bold**, *italic*)",
        )
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append(html.escape(text[i + 1], quote=False))
            i += 2
            continue
        if char == "[":
            link = _LINK.match(text, i)
            if link:
                url = link["url"]
                if not _URL.match(url):
                    raise fail(
                        path,
                        line,
                        where,
                        f"the link address {url!r} must start with https://, http:// or mailto:",
                    )
                label = _inline(link["text"], path=path, line=line, where=where)
                out.append(f'<a href="{html.escape(url)}">{label}</a>')
                i = link.end()
                continue
            if _LINK_START.match(text, i):
                raise fail(
                    path,
                    line,
                    where,
                    "write a link as [text](https://address), the address without spaces or brackets",
                )
        marker = next(((m, tag) for m, tag in _MARKERS if text.startswith(m, i)), None)
        if marker:
            symbol, tag = marker
            if stack and stack[-1][0] == symbol:
                stack.pop()
                out.append(f"</{tag}>")
            elif any(open_symbol == symbol for open_symbol, _ in stack):
                raise fail(path, line, where, f"{symbol} is closed before the formatting opened inside it")
            else:
                stack.append((symbol, tag))
                out.append(f"<{tag}>")
            i += len(symbol)
            continue
        out.append(html.escape(char, quote=False))
        i += 1
    if stack:
        symbol = stack[-1][0]
        raise fail(
            path,
            line,
            where,
            f"{symbol} is opened but never closed (write \\{symbol} for the character itself)",
        )
    return "".join(out)


# --- Small helpers loaders share --------------------------------------------------------


@dataclass
class Collected:
    """Problems found while checking content as a whole (not one field at a time)."""

    problems: list[str] = field(default_factory=list)

    def add(self, path: Path, line: int | None, where: str, message: str) -> None:
        self.problems.append(str(fail(path, line, where, message)))

    def raise_if_any(self, heading: str) -> None:
        if self.problems:
            raise DemoDataError(heading + "\n  - " + "\n  - ".join(self.problems))


def unique(items: Iterable, key: Callable, *, path: Path, what: str) -> None:
    """Refuse two items with the same ``key`` (slugs, question keys, titles)."""
    seen: dict = {}
    for item, line, label in items:
        value = key(item)
        if value in seen:
            raise fail(path, line, label, f"{what} {value!r} is already used at line {seen[value]}")
        seen[value] = line
