"""Production settings and the deployment description, checked without a Docker engine."""

import os
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


def test_dockerfile_installs_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-noto-core"):
        assert package in dockerfile
    assert "requirements/base.lock" in dockerfile and "--require-hashes" in dockerfile


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()
