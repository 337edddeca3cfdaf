"""`make run`, as a newcomer runs it: SQLite, demo content, a server on 127.0.0.1.

One `make run` starts for the whole module (it is slow); every test here talks to it.
"""

import html
import io
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pypdf
import pytest
import segno

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


@dataclass
class MakeRun:
    base: str
    port: int
    log_path: Path
    database: Path
    media_root: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST", "LMS_BASE_URL"))
    }
    env.update(
        LMS_RUN_PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    log_path = tmp_path / "make-run.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                fetch(base + "/healthz?format=json")
                break
            except OSError:
                assert process.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, "make run did not serve within 5 minutes"
                time.sleep(1)
        yield MakeRun(
            base=base,
            port=port,
            log_path=log_path,
            database=tmp_path / "db.sqlite3",
            media_root=tmp_path / "media",
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_make_run_serves_home_catalogue_and_a_course_with_its_runs(make_run):
    base = make_run.base
    status, home = fetch(base + "/")
    assert status == 200 and "IPSC Pain Academy" in home

    status, catalogue = fetch(base + "/courses/")
    assert status == 200
    for track in ("Acute pain", "Chronic pain", "Cancer pain", "Multidisciplinary"):
        assert track in catalogue

    course_path = _course_paths(catalogue)[0]
    status, course = fetch(base + course_path)
    assert status == 200
    assert "Enrol in the" in course or "Sign in to enrol" in course  # this month's run is open
    # seed_demo endorsed the course through the workflow: anyone sees the line.
    assert ENDORSED.search(text(course)), "no endorsement line on " + course_path

    # The demo learner signs in, enrols in this month's run and opens the first module.
    learner = account_spec("Learner")
    browser = Browser(base)
    browser.sign_in(learner["email"], learner["password"])
    # The first course the learner has not taken yet (the demo learner holds certificates).
    for course_path in _course_paths(catalogue):
        course = browser.get(course_path)
        enrol = re.search(r'<form method="post" action="(/runs/\d+/enrol/)"', course)
        if enrol:
            break
    assert enrol, "the signed-in demo learner is offered no run to enrol in"
    status, headers, _ = browser.post(enrol[1], {})
    assert status == 302
    course = browser.get(headers["Location"])
    assert "You are enrolled in" in course
    start = re.search(r'<a class="btn btn-primary" href="([^"]+)">Start the course', course)[1]
    module = browser.get(start)
    assert "Written by" in module  # the module's content, not the locked page
    assert ENDORSED.search(text(module)), "no endorsement line on " + start
    status, health = fetch(base + "/healthz?format=json")
    assert status == 200


def _course_paths(catalogue: str) -> list[str]:
    """The catalogue's course pages, in the order it lists them."""
    paths = [
        line.split('href="')[1].split('"')[0]
        for line in catalogue.splitlines()
        if 'href="/courses/' in line and "?track" not in line and 'href="/courses/"' not in line
    ]
    return list(dict.fromkeys(paths))


# --- A demo certificate issued on the running server ------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that signs in and posts forms with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path, *, data=None, headers=None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:  # redirects and refusals: the status is the answer
            return error.code, dict(error.headers), error.read()

    def get(self, path) -> str:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        return body.decode()

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, path, fields: dict, *, files: dict | None = None) -> tuple[int, dict, bytes]:
        self.request(path)  # the form page sets the CSRF cookie
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        headers = {"Referer": self.base + path}
        if files:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in fields.items()
            ]
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
        return self.request(path, data=body, headers=headers)

    def sign_in(self, email, password):
        status, headers, _ = self.post("/accounts/login/", {"login": email, "password": password})
        assert status == 302, f"could not sign in as {email}"


@pytest.fixture(scope="module")
def demo_certificate(make_run):
    """The demo learner enrols; the demo administrator issues their certificate in the admin.

    Everything happens on the `make run` server (tasks run in its process), so the PDF
    and the e-mail are made with the server's own settings.
    """
    learner_spec, admin_spec = account_spec("Learner"), account_spec("Administrator")
    learner = Browser(make_run.base)
    learner.sign_in(learner_spec["email"], learner_spec["password"])
    # A course whose run the learner can still enrol in (the last listed: the first test
    # enrols in the first).
    _, catalogue = fetch(make_run.base + "/courses/")
    for course_path in reversed(_course_paths(catalogue)):
        offer = re.search(r'action="/runs/(\d+)/enrol/"', learner.get(course_path))
        if offer:
            break
    assert offer, "the demo learner can enrol in no course"
    run_id = offer.group(1)
    status, _, _ = learner.post(f"/runs/{run_id}/enrol/", {})
    assert status == 302

    administrator = Browser(make_run.base)
    administrator.sign_in(admin_spec["email"], admin_spec["password"])
    status, headers, body = administrator.post(
        "/admin/snippets/certificates/certificate/issue/",
        {
            "learner_email": learner_spec["email"],
            "run": run_id,
            "reason": "Completed the course in person (test)",
        },
    )
    assert status == 302, body.decode()[-2000:]
    pk = re.search(r"/inspect/(\d+)/", headers["Location"]).group(1)

    status, headers, pdf = learner.request(f"/certificates/{pk}/download/")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    code = re.search(r"/certificates/verify/([A-Z0-9]+)/", text.replace("\n", "")).group(1)

    # A handout uploaded by the administrator, so MEDIA_ROOT holds a document too.
    status, _, body = administrator.post(
        "/admin/documents/add/",
        {"title": "Opioid tapering protocol", "collection": "1"},
        files={"file": ("tapering-protocol.pdf", b"%PDF-1.4\n% a handout\n")},
    )
    assert status == 302, body.decode()[-2000:]
    return {
        "pk": pk,
        "code": code,
        "pdf": pdf,
        "text": text,
        "learner": learner,
        "administrator": administrator,
    }


def _qr_symbol_of(image) -> list[list[bool]] | None:
    """The dark/light modules of the QR symbol in ``image`` (quiet zone and scale found, not assumed).

    ``None`` for an image that is not a QR symbol (a signature, the logo).
    """
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    dark = [(x, y) for y in range(height) for x in range(width) if pixels[x, y] < 128]
    if not dark:
        return None
    left, top = min(x for x, _ in dark), min(y for _, y in dark)
    right, bottom = max(x for x, _ in dark), max(y for _, y in dark)
    if right - left != bottom - top or pixels[left, top] >= 128:
        return None  # a QR symbol is square, with a finder pattern in its top-left corner
    # The top-left finder pattern is 7 modules wide: its first dark run gives the module size.
    run = 0
    while left + run <= right and pixels[left + run, top] < 128:
        run += 1
    module = run / 7
    count = round((right - left + 1) / module)
    return [
        [
            pixels[int(left + (col + 0.5) * module), int(top + (row + 0.5) * module)] < 128
            for col in range(count)
        ]
        for row in range(count)
    ]


def _encodes(symbol, url: str) -> bool:
    for error in ("l", "m", "q", "h"):
        matrix = [[bool(cell) for cell in row] for row in segno.make(url, error=error, micro=False).matrix]
        if matrix == symbol:
            return True
    return False


def test_make_run_prints_its_own_address_into_the_certificate_its_qr_code_and_its_email(
    make_run, demo_certificate
):
    expected = f"http://127.0.0.1:{make_run.port}/certificates/verify/{demo_certificate['code']}/"
    assert make_run.port != 8000
    # The verification line printed on the certificate.
    assert expected in demo_certificate["text"].replace("\n", "")
    assert "127.0.0.1:8000" not in demo_certificate["text"]

    # The QR code: the PDF's one raster image is the symbol of exactly that address.
    images = [
        image.image
        for page in pypdf.PdfReader(io.BytesIO(demo_certificate["pdf"])).pages
        for image in page.images
    ]
    symbols = [symbol for symbol in map(_qr_symbol_of, images) if symbol is not None]
    assert any(_encodes(symbol, expected) for symbol in symbols), "no QR code of the verification address"
    wrong_port = expected.replace(f":{make_run.port}/", ":8000/")
    assert not any(_encodes(symbol, wrong_port) for symbol in symbols)

    # The e-mail the learner was sent (console e-mail, in make run's output).
    log = make_run.log()
    email = log[log.index("Your certificate for") :]
    assert expected in email
    assert f"http://127.0.0.1:{make_run.port}/dashboard/" in email

    # And the printed address answers on this server.
    status, page = fetch(expected)
    assert status == 200 and "valid" in page.lower()


def _public_images(database: Path) -> set[str]:
    """Storage names of images and renditions whose collection (or an ancestor) has no privacy restriction."""
    with sqlite3.connect(database) as db:
        restricted_paths = [
            path
            for (path,) in db.execute(
                "SELECT c.path FROM wagtailcore_collection c "
                "JOIN wagtailcore_collectionviewrestriction r ON r.collection_id = c.id"
            )
        ]

        def public(collection_path: str) -> bool:
            return not any(collection_path.startswith(path) for path in restricted_paths)

        originals = db.execute(
            "SELECT i.file, c.path FROM wagtailimages_image i JOIN wagtailcore_collection c ON c.id = i.collection_id"
        ).fetchall()
        renditions = db.execute(
            "SELECT r.file, c.path FROM wagtailimages_rendition r "
            "JOIN wagtailimages_image i ON i.id = r.image_id JOIN wagtailcore_collection c ON c.id = i.collection_id"
        ).fetchall()
    return {name for name, path in originals + renditions if public(path)}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_make_run_serves_no_file_under_media_root_except_public_images(make_run, demo_certificate):
    # The admin's image library renders a thumbnail of every image (signatures included),
    # and the learner's module pages render their figures: renditions exist as well.
    status, _, _ = demo_certificate["administrator"].request("/admin/images/")
    assert status == 200
    learner = demo_certificate["learner"]
    _, catalogue = fetch(make_run.base + "/courses/")
    for course_path in _course_paths(catalogue):
        for module_path in sorted(
            set(re.findall(r'href="(/courses/[^"?#]+/[^"?#]+/)"', learner.get(course_path)))
        ):
            learner.request(module_path)

    public = _public_images(make_run.database)
    files = sorted(
        path.relative_to(make_run.media_root).as_posix()
        for path in make_run.media_root.rglob("*")
        if path.is_file()
    )
    kinds = {name.split("/")[0] for name in files}
    assert {"certificates", "documents", "original_images"} <= kinds, kinds  # the walk is not vacuous
    assert public and any(name.startswith("images/") for name in public)

    answers = {name: _status(f"{make_run.base}/media/{urllib.parse.quote(name)}") for name in files}
    wrong = {name: status for name, status in answers.items() if status != (200 if name in public else 404)}
    assert not wrong, wrong
    assert all(answers[name] == 404 for name in files if name.startswith(("certificates/", "documents/")))

    # Nothing else is reachable by a trick either.
    for trick in ("/media/../db.sqlite3", "/media/%2e%2e/db.sqlite3", "/media/certificates/", "/media/"):
        assert _status(make_run.base + trick) == 404, trick
