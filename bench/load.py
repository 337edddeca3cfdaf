"""The production stack under load: gunicorn (2 workers, production settings) on PostgreSQL
and Redis, driven from loopback by wrk at a fixed concurrency.

Targets, each for ``LOAD_SECONDS`` (30) at ``LOAD_CONNECTIONS`` (16) connections, signed
in as an enrolled learner: the catalogue, the course page, a module page, the dashboard,
a quiz autosave (JSON POST) and a quiz submission (each request submits a different
learner's attempt). The floor is a bare view (``/bench/floor/``) behind the same
middleware and the same session, measured before every target and after the last, so
each target's ratio is against the floors either side of it (floor, target, floor,
target…): a machine busier in one half of the run cannot flip the verdict.

Prints req/s, p50/p95 latency and errors (connection errors, timeouts and any status
other than the expected one) per target and its ratio to the floor; the last line is one
JSON object. The issue's goal: every learner page at least 0.10 of the floor, 0 errors.

    make bench            # or: .venv/bin/python bench/load.py
    LOAD_SECONDS=10 .venv/bin/python bench/load.py    # a quicker look

Needs Debian's wrk (installed by ``scripts/bootstrap.sh debs wrk`` when missing).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, bench_database, tree_database

SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
FLOOR_SECONDS = max(5, SECONDS // 3)
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "16"))
THREADS = 2
GOAL = 0.10
HOST = "academy.bench.example"
# A database of Redis's own: the bench flushes it.
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
SECRET_KEY = "bench-load-" + secrets.token_hex(16)
MODULES = 8
QUESTIONS = 10

# wrk's script: cycles through the (method, path, body, cookie) requests it is given, one
# table per thread; with ``once`` each request is sent once and the thread stops after
# the last (a submission can only be made once). Its ``done`` prints a JSON line.
WRK_SCRIPT = r"""
local requests_by_thread = {}
local threads = {}
local counter = 0
local expected = tonumber(os.getenv("LOAD_EXPECTED"))
local once = os.getenv("LOAD_ONCE") == "1"

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   requests_by_thread = {}
   local f = assert(io.open(os.getenv("LOAD_REQUESTS")))
   local n = 0
   for line in f:lines() do
      n = n + 1
      -- Requests sent once are shared out between the threads; others go to every thread.
      if not once or (n - 1) % tonumber(os.getenv("LOAD_THREADS")) == id - 1 then
         local method, path, cookie, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t?(.*)$")
         local headers = {}
         headers["Host"] = os.getenv("LOAD_HOST")
         headers["X-Forwarded-Proto"] = "https"
         headers["X-Forwarded-For"] = "198.51.100." .. id
         headers["Cookie"] = cookie
         if method == "POST" then
            headers["Origin"] = "https://" .. os.getenv("LOAD_HOST")
            headers["X-CSRFToken"] = cookie:match("csrftoken=([^;]+)")
            headers["Content-Type"] = body:sub(1, 1) == "{" and "application/json" or "application/x-www-form-urlencoded"
         end
         table.insert(requests_by_thread, wrk.format(method, path, headers, body))
      end
   end
   f:close()
   position = 0
   unexpected = 0
end

function request()
   position = position + 1
   if once and position > #requests_by_thread then
      wrk.thread:stop()
      return requests_by_thread[#requests_by_thread]
   end
   return requests_by_thread[(position - 1) % #requests_by_thread + 1]
end

function response(status, headers, body)
   if status ~= expected then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local unexpected_total = 0
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + thread:get("unexpected")
   end
   local errors = summary.errors
   io.write(string.format(
      '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "unexpected_status": %d, ' ..
      '"socket_errors": %d}\n',
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      unexpected_total, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "bootstrap.sh"), "debs", "wrk"], check=True)
        wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed and could not be installed (Debian package wrk).")
    return wrk


def build_catalogue():
    """One course of ``MODULES`` modules with a required final of ``QUESTIONS`` questions; a
    learner enrolled with one module done and an assessment in progress."""
    from django.contrib.auth.models import Group

    from courses.services import enrolment_create, module_complete
    from lms.roles import BOARD, FACULTY_AUTHORS
    from quizzes.services import attempt_start
    from tests.courses.factories import CourseRunFactory, ModulePageFactory, site_tree
    from tests.factories import UserFactory, learner
    from tests.quizzes.factories import endorse, make_question, make_quiz

    index = site_tree()
    run = CourseRunFactory(capacity=100_000)
    modules = [ModulePageFactory(parent=run.course) for _ in range(MODULES)]
    author, reviewer = UserFactory(is_staff=True), UserFactory(is_staff=True)
    author.groups.add(Group.objects.get(name=FACULTY_AUTHORS))
    reviewer.groups.add(Group.objects.get(name=BOARD))
    questions = [
        endorse(make_question(stem=f"Question {n} on neuropathic pain?"), author=author, reviewer=reviewer)
        for n in range(QUESTIONS)
    ]
    quiz = endorse(
        make_quiz(
            run.course,
            questions=questions,
            title="Final assessment",
            live=False,
            attempts_allowed=3,
            time_limit_minutes=None,
        ),
        author=author,
        reviewer=reviewer,
    )
    reader = learner()
    enrolment_create(learner=reader, run=run)
    module_complete(learner=reader, module=modules[0])
    attempt = attempt_start(learner=reader, quiz=quiz)
    return index, run, modules, quiz, reader, attempt


def submission_pool(run, quiz, count: int) -> list[tuple[str, str]]:
    """``count`` learners, each enrolled with an attempt in progress: (cookie, form body)."""
    from urllib.parse import urlencode

    from courses.services import enrolment_create
    from quizzes.services import attempt_start
    from tests.factories import learner

    pool = []
    for _ in range(count):
        doctor = learner()
        enrolment_create(learner=doctor, run=run)
        attempt = attempt_start(learner=doctor, quiz=quiz)
        answers = [("submit", "1")]
        for question in attempt.questions.order_by("position"):
            choices = question.snapshot["choices"]
            answers.append((f"q{question.position}", str(choices[0]["id"])))
        pool.append((cookie_for(doctor), f"/attempts/{attempt.pk}/", urlencode(answers)))
    return pool


def cookie_for(user) -> str:
    from django.conf import settings
    from django.utils.crypto import get_random_string

    from tests.support.processes import session_key_for

    csrf = get_random_string(32)  # a CSRF secret: 32 letters and digits
    return f"{settings.SESSION_COOKIE_NAME}={session_key_for(user)}; {settings.CSRF_COOKIE_NAME}={csrf}"


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "lms.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=2", "--timeout=60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / "lms-bench-load-gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/bench/floor/", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not answer within 60 s; see lms-bench-load-gunicorn.log in the temp folder.")


def run_wrk(
    wrk: str, port: int, requests: list[str], *, seconds: int, expected: int, once: bool = False
) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "load.lua"
        script.write_text(WRK_SCRIPT)
        listing = Path(folder) / "requests.tsv"
        listing.write_text("\n".join(requests) + "\n")
        env = {
            **os.environ,
            "LOAD_REQUESTS": str(listing),
            "LOAD_THREADS": str(THREADS),
            "LOAD_HOST": HOST,
            "LOAD_EXPECTED": str(expected),
            "LOAD_ONCE": "1" if once else "0",
        }
        result = subprocess.run(
            [
                wrk,
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout=10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}/",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1) if figures["seconds"] else 0.0
    figures["errors"] = figures.pop("unexpected_status") + figures.pop("socket_errors")
    return figures


def main() -> None:
    from certificates.credentials import new_key_entry

    logging.disable(logging.INFO)
    wrk = ensure_wrk()
    media = tempfile.mkdtemp(prefix="lms-bench-load-media-")
    static = Path(tempfile.gettempdir()) / "lms-bench-load-static"
    os.environ.update(
        {
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "REDIS_URL": REDIS_URL,
            "DJANGO_MEDIA_ROOT": media,
            "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1,testserver",
            # Production settings demand the key that signs certificates' credentials.
            "DJANGO_CREDENTIAL_KEYS": new_key_entry("bench-key-1"),
        }
    )
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    # A database of this work tree's own: another tree's bench run is never dropped under it.
    with bench_database(tree_database("lms_bench_load")):
        from django.core.cache import cache

        cache.clear()
        index, run, modules, quiz, reader, attempt = build_catalogue()
        cookie = cookie_for(reader)
        answers = {str(q.position): [str(q.snapshot["choices"][1]["id"])] for q in attempt.questions.all()}
        autosave_body = json.dumps({"answers": answers})
        pool_size = int(os.environ.get("LOAD_SUBMISSIONS", str(max(400, SECONDS * 40))))
        print(f"Creating {pool_size} learners with an attempt each, for the submissions…", flush=True)
        pool = submission_pool(run, quiz, pool_size)

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "_load_settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
            "LMS_BASE_URL": f"https://{HOST}",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "LOAD_STATIC_ROOT": str(static),
            "DATABASE_CONN_MAX_AGE": "60",
        }
        print("Collecting static files for the production storage…", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        from tests.support.processes import free_port

        port = free_port()
        server = start_gunicorn(env, port)
        try:
            course, module = run.course, modules[1]
            targets = [
                ("catalogue", [f"GET\t{index.url}\t{cookie}"], 200, False),
                ("course", [f"GET\t{course.url}\t{cookie}"], 200, False),
                ("module", [f"GET\t{module.url}\t{cookie}"], 200, False),
                ("dashboard", [f"GET\t/dashboard/\t{cookie}"], 200, False),
                (
                    "autosave",
                    [f"POST\t/attempts/{attempt.pk}/answers/\t{cookie}\t{autosave_body}"],
                    200,
                    False,
                ),
                ("submit", [f"POST\t{path}\t{c}\t{body}" for c, path, body in pool], 302, True),
            ]
            floor_request = [f"GET\t/bench/floor/\t{cookie}"]
            # Warm every worker's caches (site root paths, templates) before measuring.
            for _name, requests, expected, _once in targets[:-1]:
                run_wrk(wrk, port, requests, seconds=2, expected=expected)
            floors = [run_wrk(wrk, port, floor_request, seconds=FLOOR_SECONDS, expected=200)]
            print(f"  floor      {floors[-1]['rps']:8.1f} req/s", flush=True)
            results = {}
            for name, requests, expected, once in targets:
                figures = run_wrk(wrk, port, requests, seconds=SECONDS, expected=expected, once=once)
                floors.append(run_wrk(wrk, port, floor_request, seconds=FLOOR_SECONDS, expected=200))
                around = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
                figures["floor_rps"] = round(around, 1)
                figures["ratio"] = round(figures["rps"] / around, 3) if around else 0.0
                results[name] = figures
                print(
                    f"  {name:<10} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                    f"p95 {figures['p95_ms']:7.1f} ms  errors {figures['errors']}  "
                    f"ratio {figures['ratio']:.3f} (floor {around:.0f} req/s)",
                    flush=True,
                )
                if name == "submit":
                    from quizzes.models import Attempt

                    figures["submitted"] = Attempt.objects.filter(
                        quiz=quiz, submitted_at__isnull=False
                    ).count()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    shutil.rmtree(media, ignore_errors=True)
    pages = ("catalogue", "course", "module", "dashboard")
    summary = {
        "bench": "load",
        "connections": CONNECTIONS,
        "seconds_per_target": SECONDS,
        "gunicorn_workers": 2,
        "floor_rps": [f["rps"] for f in floors],
        "targets": results,
        "goal_ratio": GOAL,
        "learner_pages_meet_goal": all(results[p]["ratio"] >= GOAL for p in pages),
        "errors": sum(f["errors"] for f in results.values()),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
