"""Certificate codes: how verification codes are made, written, read back, and what a serial looks like.

Pure functions over strings, used by the models (new codes), the PDF (the grouped code
it prints), the verification pages (what a visitor typed) and the admin.
"""

from __future__ import annotations

import base64
import re
import secrets

VERIFICATION_CODE_BYTES = 20  # 160 random bits, 32 base32 characters
VERIFICATION_CODE_LENGTH = 32
GROUP = 4

_CODE_RE = re.compile(rf"^[A-Z2-7]{{{VERIFICATION_CODE_LENGTH}}}$")
_SERIAL_RE = re.compile(r"^[A-Z]{1,6}-\d{4}-\d{6,12}$")


def new_verification_code() -> str:
    """An unguessable code: 160 bits from the OS's CSPRNG, as 32 base32 characters (A–Z, 2–7)."""
    return base64.b32encode(secrets.token_bytes(VERIFICATION_CODE_BYTES)).decode("ascii")


def verification_code_grouped(code: str) -> str:
    """The code in groups of four characters, easier to read out and type: ``ABCD EFGH …``."""
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(raw: str) -> str | None:
    """A verification code as stored (32 characters A–Z, 2–7), or ``None`` if it cannot be one.

    People type codes with spaces or dashes between the groups, and in lower case.
    """
    code = re.sub(r"[\s\-]", "", raw or "").upper()
    return code if _CODE_RE.match(code) else None


def normalise_serial(raw: str) -> str | None:
    """A serial as stored (``PA-2027-000123``), or ``None`` if it cannot be one."""
    serial = re.sub(r"\s", "", raw or "").upper()
    return serial if _SERIAL_RE.match(serial) else None
