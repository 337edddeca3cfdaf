"""Production settings and the deployment description, checked without a Docker engine."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "LMS_BASE_URL"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_ALLOWED_HOSTS": "academy.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "LMS_BASE_URL": "https://academy.example.org",
    "DJANGO_TRUSTED_PROXY_COUNT": "1",
    "DJANGO_CREDENTIAL_KEYS": "key-1:" + secrets.token_urlsafe(32),
}


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_hashed_static_files_compressed_by_whitenoise():
    """tests/lms/test_page_weight.py measures a first visit with this storage."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; import brotli; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], settings.MIDDLEWARE.index("
        "'whitenoise.middleware.WhiteNoiseMiddleware') < settings.MIDDLEWARE.index("
        "'django.contrib.sessions.middleware.SessionMiddleware'))",
        env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]


def test_production_refuses_to_start_without_a_secret():
    result = _manage("check", env_overrides=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("missing_or_wrong", "named"),
    [
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"LMS_BASE_URL": None}, "LMS_BASE_URL"),
        ({"LMS_BASE_URL": "http://academy.example.org"}, "https://"),
        ({"LMS_BASE_URL": "https://"}, "LMS_BASE_URL"),
        ({"DJANGO_TRUSTED_PROXY_COUNT": None}, "DJANGO_TRUSTED_PROXY_COUNT"),
        ({"DJANGO_TRUSTED_PROXY_COUNT": "one"}, "DJANGO_TRUSTED_PROXY_COUNT"),
        ({"DJANGO_TRUSTED_PROXY_COUNT": "-1"}, "DJANGO_TRUSTED_PROXY_COUNT"),
        ({"DJANGO_CREDENTIAL_KEYS": None}, "DJANGO_CREDENTIAL_KEYS"),
    ],
)
def test_production_refuses_to_start_without_each_deployment_fact(missing_or_wrong, named):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    for name, value in missing_or_wrong.items():
        if value is None:
            env.pop(name)
        else:
            env[name] = value
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr.splitlines()[-1]


def test_production_content_security_policy_is_the_strict_one_and_upgrades_to_https():
    """What production sends on public pages (tests/lms/test_security_headers.py reads it off responses)."""
    script = (
        "from csp.utils import build_policy; from django.conf import settings;"
        "print(build_policy()); print(build_policy(config=settings.ADMIN_CONTENT_SECURITY_POLICY))"
    )
    result = _manage(
        "shell",
        "-c",
        script,
        env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert result.returncode == 0, result.stderr
    public, admin = result.stdout.strip().splitlines()[-2:]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in public.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "upgrade-insecure-requests" in directives and "upgrade-insecure-requests" in admin
    assert "'unsafe-inline'" not in public and "'unsafe-eval'" not in public + admin


def test_seed_demo_refuses_production_settings():
    result = _manage(
        "seed_demo", env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    )
    assert result.returncode != 0
    assert "production" in (result.stdout + result.stderr).lower()


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_the_production_like_stack():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)

    django_services = [services[name] for name in ("web", "worker", "beat")]
    # One Django service definition reused: same image/build and environment everywhere.
    assert all(s.get("build") == django_services[0].get("build") for s in django_services)
    assert all(s.get("environment") == django_services[0].get("environment") for s in django_services)

    def command(service):
        value = service["command"]
        return " ".join(value) if isinstance(value, list) else value

    assert "gunicorn" in command(services["web"]) and "lms.wsgi" in command(services["web"])
    assert "celery" in command(services["worker"]) and "worker" in command(services["worker"])
    assert "celery" in command(services["beat"]) and "beat" in command(services["beat"])

    environment = django_services[0]["environment"]
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    assert environment["DJANGO_SETTINGS_MODULE"] == "lms.settings.production"
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert name in environment
    # No default secret, base URL or proxy count: compose must refuse to start without them.
    for name in ("DJANGO_SECRET_KEY", "LMS_BASE_URL", "DJANGO_TRUSTED_PROXY_COUNT"):
        assert ":?" in environment[name], name
    assert "postgres" in environment["DATABASE_URL"] and "redis" in environment["REDIS_URL"]

    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert "healthz" in str(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def _dockerfile_apt_packages() -> set[str]:
    """The packages the Dockerfile's ``apt-get install`` lines install (line continuations joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    packages: set[str] = set()
    for command in re.findall(r"apt-get install ([^&;\n]+)", text):
        packages |= {word for word in command.split() if not word.startswith("-")}
    return packages


def _with_dependencies(packages: set[str]) -> set[str]:
    """``packages`` and everything they depend on (Debian's apt cache, recursively)."""
    result = subprocess.run(
        [
            "apt-cache",
            "depends",
            "--recurse",
            "--no-recommends",
            "--no-suggests",
            "--no-conflicts",
            "--no-breaks",
            "--no-replaces",
            "--no-enhances",
            *sorted(packages),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.strip().split(":", 1)[-1].strip().strip("<>") for line in result.stdout.splitlines()}
    return {name.split(":")[0] for name in names if name} | packages


def _package_of(path: str) -> str:
    owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True).stdout
    return owner.split(":", 1)[0].split(",")[0].strip()


def _weasyprint_libraries() -> set[str]:
    """The shared libraries this process has loaded for WeasyPrint (read from /proc/self/maps)."""
    import weasyprint  # noqa: F401 - loads pango, harfbuzz, fontconfig through cffi

    maps = Path("/proc/self/maps").read_text()
    wanted = ("libpango", "libharfbuzz", "libfontconfig", "libgobject")
    paths = {
        line.split()[-1]
        for line in maps.splitlines()
        if any(name in line for name in wanted) and ".so" in line
    }
    # The system's libraries, not copies that wheels bundle (Pillow ships its own harfbuzz).
    return {path for path in paths if path.startswith(("/usr/lib/", "/lib/"))}


def test_the_image_installs_every_library_weasyprint_loads():
    """The Debian packages of every library WeasyPrint opens here are in the image (or pulled in by it).

    This machine runs the image's Debian release, so a library dropped from the
    Dockerfile's list (say libharfbuzz-subset0, without which fonts are subset in pure
    Python, five times slower) fails this test.
    """
    libraries = _weasyprint_libraries()
    assert any("libharfbuzz-subset" in path for path in libraries), libraries
    installed = _with_dependencies(_dockerfile_apt_packages())
    missing = {path: _package_of(path) for path in libraries if _package_of(path) not in installed}
    assert not missing, f"libraries WeasyPrint loads whose packages the image does not install: {missing}"


def test_the_image_installs_the_fonts_certificates_name():
    """Each font family the certificate's stylesheet names is installed here by a package the image installs."""
    template = (ROOT / "templates" / "certificates" / "certificate.html").read_text()
    families = {
        family.strip().strip('"')
        for declaration in re.findall(r"font-family:\s*([^;]+);", template)
        for family in declaration.split(",")
    } - {"serif", "sans-serif", "monospace"}
    assert families, "the certificate names no font family"
    installed = _with_dependencies(_dockerfile_apt_packages())
    for family in sorted(families):
        found, path = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", family], capture_output=True, text=True, check=True
        ).stdout.split("|", 1)
        assert family in found.split(","), (
            f"{family!r} is not installed on this machine (fc-match gave {found})"
        )
        assert _package_of(path) in installed, f"{family!r} comes from {_package_of(path)}, not in the image"


def test_the_image_installs_the_hash_pinned_lock_file():
    """The image installs requirements/base.lock with --require-hashes, and every pin in it carries a hash."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    copied = {}  # source → where the image has it (COPY a b /dir/ puts both in /dir/)
    for sources, destination in re.findall(r"^COPY ((?:requirements/\S+ )+)(\S+)$", text, flags=re.MULTILINE):
        for source in sources.split():
            copied[source] = (
                destination + source.rsplit("/", 1)[1] if destination.endswith("/") else destination
            )
    assert copied.get("requirements/base.lock"), "the Dockerfile does not copy requirements/base.lock"
    installs = re.findall(r"pip install ([^&\n]+)", text)
    assert any(
        "--require-hashes" in command.split() and f"-r {copied['requirements/base.lock']}" in command
        for command in installs
    ), installs
    pins = re.findall(
        r"^(\S+)==\S+((?:\s+\\\n\s+--hash=sha256:[0-9a-f]{64})*)",
        (ROOT / "requirements" / "base.lock").read_text(),
        flags=re.MULTILINE,
    )
    assert pins and all(hashes for _, hashes in pins), [name for name, hashes in pins if not hashes]


def _run_ci_with_fake_make(
    tmp_path, *, failing_target: str = ""
) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run the real .ci/run with a ``make`` on PATH that records the targets it is asked for."""
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n[ "$1" = "{failing_target}" ] && exit 3\nexit 0\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}"}
    result = subprocess.run([str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    return result, calls.read_text().split("\n")[:-1] if calls.exists() else []


def test_ci_runs_the_linters_then_the_readme_test_command(tmp_path):
    readme_commands = re.findall(r"```sh\n(make \w+)\n```", (ROOT / "README.md").read_text())
    assert "make test" in readme_commands

    result, targets = _run_ci_with_fake_make(tmp_path)
    assert result.returncode == 0, result.stderr
    assert targets == ["lint", "test"]


def test_ci_stops_when_the_linters_fail(tmp_path):
    result, targets = _run_ci_with_fake_make(tmp_path, failing_target="lint")
    assert result.returncode != 0
    assert targets == ["lint"]


def test_make_lint_runs_the_import_contracts():
    dry_run = subprocess.run(
        ["make", "-n", "lint"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "lint-imports" in dry_run and "ruff check" in dry_run
