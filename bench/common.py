"""What the benchmarks share: a throwaway database, the app under gunicorn, a signed-in HTTP client,
a closed-loop load generator, statistics and a plain table.

Every server here listens on 127.0.0.1 and every request loop is bounded in time: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')
# Settings a developer's shell may hold that would point a benchmark at the wrong data.
INHERITED_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "UPLOAD_DIR",
    "CERTIFICATE_DIR",
    "SECRET_KEY",
    "JOB_RUNNER",
)


# ---------------------------------------------------------------- databases and the app


def postgres_url() -> str:
    """The PostgreSQL server named by DATABASE_URL, if any: benchmarks make their own database on it."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else ""


def backends(requested: str) -> list[str]:
    """'auto' is SQLite, and PostgreSQL too when DATABASE_URL points at a PostgreSQL server."""
    if requested != "auto":
        return ["sqlite", "postgresql"] if requested == "both" else [requested]
    return ["sqlite", "postgresql"] if postgres_url() else ["sqlite"]


@dataclass(frozen=True)
class Workspace:
    """One run's database and folders, thrown away afterwards."""

    backend: str
    url: str
    folder: Path
    secret: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def settings(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.url,
            "UPLOAD_DIR": str(self.folder / "uploads"),
            "CERTIFICATE_DIR": str(self.folder / "certificates"),
            "SECRET_KEY": self.secret,
        }

    def environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS}
        return inherited | self.settings | {"PYTHONPATH": str(ROOT)}


@contextmanager
def throwaway_database(backend: str) -> Iterator[Workspace]:
    """A new SQLite file, or a new database on the DATABASE_URL server; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    try:
        if backend == "sqlite":
            yield Workspace(backend, f"sqlite:///{folder / 'bench.db'}", folder)
        else:
            with _postgres_database() as url:
                yield Workspace(backend, url, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _postgres_database() -> Iterator[str]:
    from sqlalchemy import create_engine, make_url

    from app import database_uri

    server = make_url(database_uri(postgres_url() or sys.exit("PostgreSQL needs DATABASE_URL to be set.")))
    name = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def flask(workspace: Workspace, *args: str) -> str:
    """Run a `flask` command against the workspace, as an operator would; its output."""
    command = [PYTHON, "-m", "flask", "--app", "app", *args]
    done = subprocess.run(command, cwd=ROOT, env=workspace.environment(), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(workspace: Workspace, learners: int) -> float:
    """Create the schema and seed the demo plus `learners` bulk learners; the seconds seeding took."""
    flask(workspace, "db", "upgrade")
    start = time.perf_counter()
    flask(workspace, "seed-demo", "--learners", str(learners))
    return time.perf_counter() - start


def app_for(workspace: Workspace):
    """The app in this process, on the workspace's database (for reading what a run left behind)."""
    from app import create_app

    return create_app(workspace.settings)


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_workers() -> int:
    """gunicorn's advice: (2 x cores) + 1 sync workers."""
    return 2 * (os.cpu_count() or 1) + 1


@contextmanager
def server(workspace: Workspace, workers: int) -> Iterator[int]:
    """The app under gunicorn (sync workers) on 127.0.0.1; yields its port, stops it afterwards."""
    port, log = free_port(), workspace.folder / "gunicorn.log"
    command = [PYTHON, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--config", str(ROOT / "bench" / "gunicorn_conf.py"), "--error-logfile", str(log)]
    command.append("app:create_app()")
    process = subprocess.Popen(command, cwd=ROOT, env=workspace.environment())
    try:
        _wait_until_healthy(port, process)
        yield port
    finally:
        _stop(process)


def _wait_until_healthy(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        with suppress(OSError, http.client.HTTPException):
            if Client(port).request("GET", "/health").status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health in time")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM lets gunicorn finish the requests in flight; it is killed only if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(workspace: Workspace, lines: int = 20) -> str:
    path = workspace.folder / "gunicorn.log"
    return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""


# ---------------------------------------------------------------- a browser-like client


def loopback_address(n: int) -> str:
    """A distinct 127.x address per simulated person, as if each came from their own machine: the
    sign-in rate limit counts per address, and would otherwise see one address signing in 50 times."""
    return f"127.77.{n // 250 % 250}.{n % 250 + 1}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One person's browser: a keep-alive connection (reopened when the server closes it) and cookies."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=120, source_address=(self.source, 0)
        )

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Reply:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body or None, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = self._connect()
            raise
        seconds = time.perf_counter() - start
        self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            name, _, value = header.split(";", 1)[0].partition("=")
            expired = "max-age=0" in header.lower() or not value
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    def get(self, path: str, headers: dict | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict[str, str], headers: dict | None = None) -> Reply:
        body = urlencode(fields).encode()
        content = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, content | (headers or {}))

    def post_multipart(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> Reply:
        body, content_type = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": content_type})

    def csrf_token(self, path: str) -> str:
        reply = self.get(path)
        match = CSRF_TOKEN.search(reply.text)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (status {reply.status})")
        return match.group(1) or match.group(2)

    def sign_in(self, email: str, password: str) -> None:
        """Through the real form: the token from the page, then the POST; a redirect means signed in."""
        token = self.csrf_token("/auth/login")
        reply = self.post_form("/auth/login", {"csrf_token": token, "email": email, "password": password})
        if reply.status != 302 or "/auth/login" in reply.headers.get("location", ""):
            raise RuntimeError(f"could not sign in as {email}: status {reply.status}")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it; files map field -> (file name, content)."""
    boundary = "----bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def signed_in_clients(port: int, accounts: Sequence[tuple[str, str]], first_address: int = 0) -> list[Client]:
    """One client per (email, password), each from its own loopback address, signed in."""
    clients = []
    for n, (email, password) in enumerate(accounts):
        client = Client(port, loopback_address(first_address + n))
        client.sign_in(email, password)
        clients.append(client)
    return clients


WARM_UP_ACCOUNT = ("jordan.lee@example.com", "demo-learner-pass")  # a demo learner enrolled in BSBOPS304
WARM_UP_PAGE = "/learn/BSBOPS304/tasks"  # loads all the content: units, modules and assessment tools


def warm_up(port: int, workers: int, rounds: int = 2) -> None:
    """Make every worker load the content (seconds of CPU, once per process) before anything is timed.

    Requests cannot be steered to a worker, but a sync worker takes one request at a time: as many
    simultaneous slow requests as there are workers reach every worker.
    """
    clients = signed_in_clients(port, [WARM_UP_ACCOUNT] * workers, first_address=60_000)
    for _ in range(rounds):
        threads = [threading.Thread(target=client.get, args=(WARM_UP_PAGE,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# ---------------------------------------------------------------- load and statistics


@dataclass
class Sample:
    """Requests made over a period: how many, how many failed, and how long each took."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, percent: float) -> float:
        """The latency percentile in milliseconds (nearest rank)."""
        return percentile(self.latencies, percent) * 1000

    def failed(self, why: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(why)

    def merge(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.error_examples = (self.error_examples + other.error_examples)[:5]


def percentile(values: Sequence[float], percent: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(percent / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def hammer(clients: Sequence[Client], path: str, seconds: float, expect: int = 200) -> Sample:
    """Each client GETs `path` again and again (closed loop, one request at a time) for `seconds`."""

    def loop(client: Client, deadline: float, sample: Sample) -> None:
        while True:  # at least one request each, however slow the machine
            try:
                reply = client.get(path)
                if reply.status == expect:
                    sample.latencies.append(reply.seconds)
                else:
                    sample.failed(f"{path}: status {reply.status}")
            except (OSError, http.client.HTTPException) as error:
                sample.failed(f"{path}: {type(error).__name__}")
            if time.perf_counter() >= deadline:
                return

    return in_threads(clients, loop, seconds)


def alternate(clients: Sequence[Client], paths: Sequence[str], seconds: float, rounds: int) -> list[Sample]:
    """hammer() each path in turn, `rounds` times over, for `seconds` in all per path. A drift in the
    machine's speed (a VM shares its host) then falls on every path alike, not on whichever ran second."""
    totals = [Sample() for _ in paths]
    for _ in range(rounds):
        for path, total in zip(paths, totals, strict=True):
            sample = hammer(clients, path, seconds / rounds)
            total.seconds += sample.seconds
            total.merge(sample)
    return totals


def in_threads(items: Sequence[Any], work: Callable[[Any, float, Sample], None], seconds: float) -> Sample:
    """Run work(item, deadline, sample) in one thread per item until the deadline; merge the samples."""
    samples = [Sample() for _ in items]
    start = time.perf_counter()
    deadline = start + seconds
    threads = [
        threading.Thread(target=work, args=(item, deadline, s))
        for item, s in zip(items, samples, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Sample(seconds=time.perf_counter() - start)
    for sample in samples:
        total.merge(sample)
    return total


# ---------------------------------------------------------------- output


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="tiny data, a few seconds: checks it works")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser


def write_json(path: Path | None, results: Any) -> None:
    if path:
        path.write_text(json.dumps(results, indent=2, default=str))


def machine() -> str:
    """One line about where the figures came from."""
    import platform

    python = platform.python_version()
    return f"{platform.node()} · {os.cpu_count()} vCPU · Python {python} · {platform.platform()}"
