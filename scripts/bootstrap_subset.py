"""Build the academy's subset of Bootstrap's CSS: only the rules whose classes the site uses.

The pages load ``static/vendor/bootstrap/bootstrap.academy.min.css``, made from the
vendored, unmodified ``bootstrap.min.css`` by dropping every selector that names a
Bootstrap class no template, Python module or script of ours mentions. A first visit
then carries the few dozen components the academy uses instead of the whole framework
(232 KB), and the pages look exactly as before: every kept rule is Bootstrap's own, in
its order.

Conservative by construction: a class counts as used when it appears as a word anywhere
in our templates, Python or JavaScript (so a class named in a view or a template tag is
kept), and classes inside ``:not(...)`` never cause a selector to be dropped. Bootstrap's
script adds a few classes of its own to the quiz's confirmation dialog; they are listed
in ``SCRIPT_CLASSES``.

    .venv/bin/python scripts/bootstrap_subset.py          # rewrite the subset
    .venv/bin/python scripts/bootstrap_subset.py --check  # exit 1 if it is out of date

``tests/lms/test_bootstrap_subset.py`` runs the check, so a template that starts using a
class the subset lacks fails the suite until the subset is rebuilt.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import tinycss2

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/bootstrap/bootstrap.min.css"
SUBSET = ROOT / "static/vendor/bootstrap/bootstrap.academy.min.css"
# Where our markup and the classes it names live (not tests/, not the vendored files).
SCANNED = ("templates", "lms", "courses", "quizzes", "certificates", "api", "static/js")
SCANNED_SUFFIXES = {".html", ".py", ".js", ".txt"}
# Added by bootstrap.bundle.min.js to the quiz's modal dialog while it opens and closes.
SCRIPT_CLASSES = frozenset({"show", "fade", "modal-open", "modal-backdrop", "modal-static"})

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CLASS = re.compile(r"\.(-?[_A-Za-z](?:[\w-]|\\.)*)")
_NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")


def used_words(root: Path = ROOT) -> set[str]:
    """Every word in our templates, Python and scripts: a superset of the classes we use."""
    words: set[str] = set()
    for folder in SCANNED:
        for path in (root / folder).rglob("*"):
            if path.suffix in SCANNED_SUFFIXES and path.is_file() and "migrations" not in path.parts:
                words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words | SCRIPT_CLASSES


def _selector_applies(selector: str, used: set[str]) -> bool:
    # A dark colour scheme is never switched on: the site sets no data-bs-theme.
    if "data-bs-theme" in selector and "data-bs-theme" not in used:
        return False
    classes = _CLASS.findall(_NOT.sub("", selector))
    return all(name.replace("\\", "") in used for name in classes)


def _split_selectors(prelude: str) -> list[str]:
    selectors, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            selectors.append(prelude[start:index])
            start = index + 1
    selectors.append(prelude[start:])
    return [s.strip() for s in selectors if s.strip()]


def _subset_rules(rules: Iterable, used: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [
                s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if _selector_applies(s, used)
            ]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports", "container"}:
            inner = _subset_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True), used)
            if inner:
                out.append(
                    f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{''.join(inner)}}}"
                )
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]).strip())
    return out


def build(source: str, used: set[str]) -> str:
    """The rules of ``source`` (Bootstrap's CSS) that can match markup naming only ``used`` classes."""
    rules = tinycss2.parse_stylesheet(source, skip_whitespace=True, skip_comments=True)
    body = "".join(_subset_rules(rules, used))
    # Bootstrap's licence banner stays, after the @charset that must open the file.
    banner = re.search(r"/\*!.*?\*/", source, re.S)
    charset = '@charset "UTF-8";'
    if banner:
        rest = body.removeprefix(charset)
        body = (charset if rest != body else "") + banner.group(0) + "\n" + rest
    return body + "\n"


def main(argv: list[str]) -> int:
    subset = build(SOURCE.read_text(encoding="utf-8"), used_words())
    if "--check" in argv:
        if not SUBSET.exists() or SUBSET.read_text(encoding="utf-8") != subset:
            print(f"{SUBSET.relative_to(ROOT)} is out of date: run scripts/bootstrap_subset.py")
            return 1
        return 0
    SUBSET.write_text(subset, encoding="utf-8")
    print(f"{SUBSET.relative_to(ROOT)}: {len(subset.encode())} bytes (from {SOURCE.stat().st_size})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
