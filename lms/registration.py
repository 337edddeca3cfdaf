"""Medical registration numbers: how they are compared and how much of one may be shown.

Registration numbers identify a doctor to their council, so pages that anyone may open
(certificate verification) show only their last three characters; and councils print
the same number with different separators ("KMC 40012", "KMC/40012"), so comparisons
ignore everything but letters and digits. Pure functions; every app calls these.
"""

from __future__ import annotations

import re

VISIBLE_CHARACTERS = 3


def registration_number_masked(number: str) -> str:
    """``KMC-77812`` → ``••••••812``: all but the last three characters hidden."""
    number = number or ""
    return "•" * max(len(number) - VISIBLE_CHARACTERS, 0) + number[-VISIBLE_CHARACTERS:]


def registration_number_key(number: str) -> str:
    """The number reduced to upper-case letters and digits, for comparing two spellings."""
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())
