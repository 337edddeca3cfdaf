"""`make run`, as a newcomer runs it: SQLite, demo content, a server on 127.0.0.1."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.slow]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_make_run_serves_home_catalogue_and_a_course_with_its_runs(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(
        LMS_RUN_PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    log = open(tmp_path / "make-run.log", "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                status, home = fetch(base + "/")
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "make run did not serve within 5 minutes"
                time.sleep(1)
        assert status == 200 and "IPSC Pain Academy" in home

        status, catalogue = fetch(base + "/courses/")
        assert status == 200
        for track in ("Acute pain", "Chronic pain", "Cancer pain", "Multidisciplinary"):
            assert track in catalogue

        course_path = next(
            line.split('href="')[1].split('"')[0]
            for line in catalogue.splitlines()
            if 'href="/courses/' in line and "?track" not in line and 'href="/courses/"' not in line
        )
        status, course = fetch(base + course_path)
        assert status == 200
        assert "Enrol in the" in course or "Sign in to enrol" in course  # this month's run is open
        status, health = fetch(base + "/healthz?format=json")
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
