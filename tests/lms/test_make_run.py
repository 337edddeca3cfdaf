"""`make run`, as a newcomer runs it: SQLite, demo content, a server on 127.0.0.1."""

import html
import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.demo import account_spec
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.slow]


ENDORSED = re.compile(r"Endorsed by the Faculty of Pain Medicine on \d{1,2} [A-Z][a-z]+ \d{4}")


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


class Browser:
    """A signed-in visitor: cookies kept, forms posted with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            assert response.status == 200, path
            return response.read().decode()

    def post(self, path: str, page: str, fields: dict[str, str]) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=10) as response:
            return response.read().decode()


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
        # seed_demo endorsed the course through the workflow: anyone sees the line.
        assert ENDORSED.search(text(course)), "no endorsement line on " + course_path

        # The demo learner signs in, enrols in this month's run and opens the first module.
        learner = account_spec("Learner")
        browser = Browser(base)
        login = browser.get("/accounts/login/")
        browser.post("/accounts/login/", login, {"login": learner["email"], "password": learner["password"]})
        course = browser.get(course_path)
        enrol = re.search(r'<form method="post" action="(/runs/\d+/enrol/)"', course)
        assert enrol, "the signed-in demo learner is offered no run to enrol in"
        course = browser.post(enrol[1], course, {})
        assert "You are enrolled in" in course
        start = re.search(r'<a class="btn btn-primary" href="([^"]+)">Start the course', course)[1]
        module = browser.get(start)
        assert "Written by" in module  # the module's content, not the locked page
        assert ENDORSED.search(text(module)), "no endorsement line on " + start
        status, health = fetch(base + "/healthz?format=json")
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
