"""Long-running processes are supervised: outside Docker by scripts/supervise.sh (``make run``), inside by compose.

A Celery worker or beat that exits — a broker outage, a crash — must come back without
anyone noticing, or certificates wait for a person to restart it (issue 11).
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SUPERVISE = ROOT / "scripts" / "supervise.sh"

# Appends its pid to a file, then exits at once the first two times and runs on after that.
CRASHING_PROGRAM = """
import os, sys, time
runs = sys.argv[1]
with open(runs, "a") as handle:
    handle.write(f"{os.getpid()}\\n")
if len(open(runs).read().split()) < 3:
    sys.exit(3)
time.sleep(600)
"""


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_supervise_starts_a_process_again_whenever_it_exits_and_stops_it_on_term(tmp_path):
    runs = tmp_path / "runs"
    supervisor = subprocess.Popen(
        ["bash", str(SUPERVISE), "the test program", "python3", "-c", CRASHING_PROGRAM, str(runs)],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait(lambda: len(_pids(runs)) == 3)  # two exits, each followed by a restart
        survivor = _pids(runs)[-1]
        assert _alive(survivor)

        os.kill(survivor, signal.SIGKILL)  # killed from outside, as the OOM killer would
        _wait(lambda: len(_pids(runs)) == 4)
        current = _pids(runs)[-1]
        assert _alive(current)

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        _wait(lambda: not _alive(current))
        time.sleep(1.5)
        assert len(_pids(runs)) == 4, "nothing is started after the supervisor was told to stop"
        log = supervisor.stderr.read()
        assert log.count("the test program exited with status 3") == 2
        assert "the test program exited with status 137" in log  # SIGKILL
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)


def test_make_run_supervises_the_worker_and_beat_as_separate_processes():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert 'scripts/supervise.sh "the Celery worker"' in script
    assert 'scripts/supervise.sh "Celery beat"' in script
    assert "--beat" not in script  # beat no longer dies with the worker


def test_compose_restarts_every_long_running_service_and_checks_the_workers_consumer():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name].get("restart") in {"unless-stopped", "always"}, name
    assert services["migrate"]["restart"] == "no"
    # The worker's check is answered by its consumer (remote control over the broker): a
    # worker process whose consumer is gone fails it, and is restarted.
    check = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in check and "--destination" in check
