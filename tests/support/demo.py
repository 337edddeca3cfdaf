"""Helpers for tests of the demo content ``seed_demo`` loads (see the ``seeded_demo`` fixture)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.demo.catalogue import DEMO_DIR as CATALOGUE_DIR
from courses.demo.catalogue import load_catalogue


def seed() -> str:
    """Run ``seed_demo`` and return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_accounts() -> list[dict]:
    return load_catalogue()["accounts"]


def account_spec(role: str) -> dict:
    return next(spec for spec in demo_accounts() if spec["role"] == role)


def account(role: str):
    """The demo user with ``role`` ("Learner", "Faculty author", "Board reviewer", "Administrator")."""
    return get_user_model().objects.get(email__iexact=account_spec(role)["email"])


def demo_content_copy(tmp_path: Path) -> Path:
    """A copy of every app's demo folder (data files only) under ``tmp_path``, to break in a test.

    Pass it to ``seed_demo --content-dir``; ``<copy>/<app_label>/`` mirrors ``<app_label>/demo/``.
    """
    from certificates.demo import DEMO_DIR as SIGNATORIES_DIR
    from quizzes.demo import DEMO_DIR as BANK_DIR

    content = tmp_path / "content"
    for app_label, folder in (
        ("courses", CATALOGUE_DIR),
        ("quizzes", BANK_DIR),
        ("certificates", SIGNATORIES_DIR),
    ):
        shutil.copytree(folder, content / app_label, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return content


def seed_from(content: Path) -> str:
    """Run ``seed_demo --content-dir content`` and return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", "--content-dir", str(content), stdout=out)
    return out.getvalue()


__all__ = [
    "CATALOGUE_DIR",
    "account",
    "account_spec",
    "demo_accounts",
    "demo_content_copy",
    "seed",
    "seed_from",
]
