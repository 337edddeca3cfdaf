"""Write the academy's words over Wagtail's moderation wording (admin screens and e-mails).

Wagtail speaks of "moderation", "moderation stages" and pages "awaiting" review; the
academy's authors send a module *to the Faculty for endorsement*. Django reads
``locale/en_GB/LC_MESSAGES/django.mo`` (``LOCALE_PATHS``) before Wagtail's own
catalogues, so each of Wagtail's messages that uses those words is given here in the
academy's words; every other message stays Wagtail's.

The messages are taken from the installed Wagtail's English catalogues, so an upgrade
that rewords or adds one is picked up by running this again:

    .venv/bin/python scripts/academy_words.py           # rewrite the .po and compile the .mo
    .venv/bin/python scripts/academy_words.py --check   # exit 1 if the .po is out of date

``tests/lms/test_academy_words.py`` runs the check and reads the words back through Django.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import wagtail

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale/en_GB/LC_MESSAGES/django.po"
WAGTAIL = Path(wagtail.__file__).resolve().parent
WORDS = re.compile(r"moderation|awaiting|submit to %\(workflow_name\)s", re.I)

# Most specific first: each message takes every rewording that still matches it.
REWORDINGS = [
    (
        r'submitted for approval (?:to|in) moderation stage \\"%\(task\)s\\"',
        r'sent to the Faculty for endorsement (review \\"%(task)s\\")',
    ),
    (r'submitted for moderation to workflow \\"%\(workflow\)s\\"', r"sent to the Faculty for endorsement"),
    (r'submitted to workflow \\"%\(workflow\)s\\"', r"sent to the Faculty for endorsement"),
    (r'approved in moderation stage \\"%\(task\)s\\"', r'approved in the Faculty review \\"%(task)s\\"'),
    (
        r'rejected in moderation stage \\"%\(task\)s\\"',
        r'returned for changes in the Faculty review \\"%(task)s\\"',
    ),
    (r"awaiting moderation in task '%\(task_name\)s'", r"waiting for the Faculty review '%(task_name)s'"),
    (r"^Page '%\(page_title\)s' ", r"'%(page_title)s' "),
    (r"submitted for moderation", "sent to the Faculty for endorsement"),
    (r"awaiting moderation", "with the Faculty for endorsement"),
    (r"^Submit for moderation$", "Send to the Faculty for endorsement"),
    (r"^Submit to %\(workflow_name\)s$", "Send for %(workflow_name)s"),
    (r"^Awaiting your review$", "Sent to you for endorsement"),
    (r"^Awaiting my review$", "Sent to me for endorsement"),
    (r"^Awaiting$", "With the Faculty"),
    (r"\bin moderation\b", "with the Faculty for endorsement"),
    (r"^In Moderation$", "With the Faculty for endorsement"),
    (r"moderation workflow", "endorsement workflow"),
    (r"cancel moderation", "cancel the endorsement review"),
    (r"\bis awaiting\b", "is waiting for"),
]
# The workflow's messages for a finished approval: endorsement is what the approval means.
APPROVALS = [
    (
        r'has been approved in (?:workflow )?\\"%\(workflow\)s\\"\.',
        "has been endorsed by the Faculty of Pain Medicine.",
    ),
]

_ENTRY = re.compile(r'\nmsgid ((?:".*"\n)+)msgstr ', re.M)


def wagtail_messages() -> list[str]:
    """Every singular message of Wagtail's English catalogues that uses moderation's words."""
    found: set[str] = set()
    for path in sorted(WAGTAIL.glob("**/locale/en/LC_MESSAGES/django.po")):
        for entry in _ENTRY.finditer(path.read_text(encoding="utf-8")):
            message = "".join(re.findall(r'"(.*)"', entry.group(1)))
            if message and (WORDS.search(message) or any(re.search(p, message) for p, _ in APPROVALS)):
                found.add(message)
    return sorted(found)


def academy_words(message: str) -> str:
    for pattern, words in REWORDINGS + APPROVALS:
        message = re.sub(pattern, words, message)
    return message


def catalogue() -> str:
    lines = [
        "# The academy's words for Wagtail's moderation messages. Written by scripts/academy_words.py:",
        "# edit the script, not this file.",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: Pain Academy LMS\\n"',
        '"PO-Revision-Date: 2026-12-03 00:00+0000\\n"',
        '"Last-Translator: Pain Academy <academy@localhost>\\n"',
        '"Language-Team: Pain Academy <academy@localhost>\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        '"Language: en_GB\\n"',
        "",
    ]
    for message in wagtail_messages():
        lines += [f'msgid "{message}"', f'msgstr "{academy_words(message)}"', ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = catalogue()
    if "--check" in argv:
        if not CATALOGUE.exists() or CATALOGUE.read_text(encoding="utf-8") != text:
            print(f"{CATALOGUE.relative_to(ROOT)} is out of date: run scripts/academy_words.py")
            return 1
        return 0
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    CATALOGUE.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(CATALOGUE.with_suffix(".mo")), str(CATALOGUE)], check=True)
    print(f"{CATALOGUE.relative_to(ROOT)}: {len(wagtail_messages())} messages in the academy's words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
