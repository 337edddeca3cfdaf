"""``/healthz`` reports the database and Redis."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz", {"format": "json"})
    assert response.status_code == 200
    report = json.loads(response.content)
    names = " ".join(report)
    assert "Database" in names and "Redis" in names
    assert all(value == "OK" for value in report.values()), report


def test_unreachable_redis_is_reported(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz", {"format": "json"})
    assert response.status_code == 500
    report = json.loads(response.content)
    assert any("Redis" in name and value != "OK" for name, value in report.items()), report
