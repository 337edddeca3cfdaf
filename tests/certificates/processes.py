"""Real processes for the certificate tests: a private Redis and Celery worker subprocesses.

Nothing here touches the machine's own Redis: each test session's fault tests start a
``redis-server`` of their own on a spare port, in a temporary directory, and stop it
(and every worker, by process group) when they finish.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.processes import free_port

REPO = Path(__file__).resolve().parents[2]


def wait_until(
    condition: Callable[[], object], *, timeout: float = 30, interval: float = 0.1, message: str = ""
):
    """Poll ``condition`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {message or condition}")
        time.sleep(interval)


def _kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL does not time out
        process.wait(timeout=10)


def redis_port() -> int:
    """A port for a private ``redis-server``: a free one in ``LMS_TEST_REDIS_PORTS`` ("6390-6399") if set.

    Sessions that share the machine each get a range of their own, so one session's fault
    test never stops another's Redis. Under ``pytest -n`` each xdist worker takes its own
    share of the range: a worker's Redis, stopped for an outage, keeps its port free for
    its restart instead of another worker taking it.
    """
    ports = os.environ.get("LMS_TEST_REDIS_PORTS", "")
    if not ports:
        return free_port()
    first, _, last = ports.partition("-")
    candidates = range(int(first), int(last or first) + 1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker:
        index, count = int(worker.removeprefix("gw")), int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
        candidates = candidates[index::count]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port for a private redis-server in LMS_TEST_REDIS_PORTS={ports}.")


class PrivateRedis:
    """A ``redis-server`` of our own, on a spare port, with no persistence.

    :meth:`stop` then :meth:`start` brings it back on the same port (empty: an outage
    that also lost what Redis held).
    """

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server).")
        self.port = redis_port()
        self.directory = tempfile.mkdtemp(prefix="lms-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, timeout=10, message="the private redis-server to answer")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process)
            self.process = None
        wait_until(lambda: not self.ping(), timeout=10, message="the private redis-server to stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class CeleryWorker:
    """``celery -A lms worker`` in its own process group, logging to a file the test can read."""

    def __init__(
        self,
        *,
        database_url: str,
        redis_url: str,
        media_root: str,
        extra_env: dict | None = None,
        concurrency: int = 1,
        pool: str = "prefork",
        queues: str = "celery",
        as_deployed: bool = False,
        extra_args: tuple[str, ...] = (),
    ):
        self.log_path = Path(tempfile.mkstemp(prefix="lms-worker-", suffix=".log")[1])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_MEDIA_ROOT": media_root,
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.name = f"certs-{os.getpid()}-{time.monotonic_ns()}@{socket.gethostname()}"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "-Q",
                queues,
                # Started as deployed, the worker talks to its peers too (mingle, gossip,
                # heartbeats: more channels on the broker connection, as in production).
                *(() if as_deployed else ("--without-mingle", "--without-gossip", "--without-heartbeat")),
                *extra_args,
                "-l",
                "info",
                "-n",
                self.name,
            ],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for_log(r"\bready\.", timeout=60)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, *, timeout: float = 60, count: int = 1) -> str:
        regex = re.compile(pattern)

        def seen():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"The Celery worker exited ({self.process.returncode}):\n{self.log[-4000:]}"
                )
            return len(regex.findall(self.log)) >= count

        wait_until(seen, timeout=timeout, interval=0.05, message=f"worker log line {pattern!r}")
        return self.log

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a host dying would."""
        _kill_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _kill_group(self.process, signal.SIGKILL)
        self._log.close()


def point_celery_at(url: str) -> None:
    """Make this process's Celery app publish to the broker at ``url``."""
    from lms.celery import app

    app.conf.broker_url = url
    app.conf.broker_write_url = None
    app.conf.broker_read_url = None
    # Forget pooled connections to the previous broker.
    app._pool = None
    app.amqp._producer_pool = None


def worker_database_url() -> str:
    """The URL of this test session's database, for the worker processes a test starts."""
    from django.db import connection

    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )
