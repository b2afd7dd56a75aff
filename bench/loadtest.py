"""A bounded load test: gunicorn in production mode on 127.0.0.1, 4 and then 16 Python clients.

gunicorn runs as a subprocess on a free local port against the benchmark
database, with the production settings (DEBUG off, whitenoise, manifest static
files collected into a temporary folder) except the HTTPS redirect, since no TLS
proxy sits in front of it here. The clients share one session created in the
benchmark database, so every request is a logged-in coordinator's.
"""

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings

from bench.measure import percentile

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    path: str
    concurrency: int
    seconds: float
    workers: int
    requests: int = 0
    errors: int = 0
    requests_per_second: float = 0.0
    median_ms: float | None = None
    p95_ms: float | None = None
    error_samples: list = field(default_factory=list)
    status: str = "ok"

    def as_dict(self):
        return asdict(self)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(database_url, static_root):
    """The environment of a production-mode process on the benchmark database."""
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # the session below is signed with it
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
    }


CONCURRENCIES = (4, 16)


def run(*, database_url, session_key, path, concurrencies=CONCURRENCIES, seconds=10.0, workers=3):
    """Serve with gunicorn; hit `path` from each number of threads in turn for `seconds`;
    stop gunicorn. One LoadResult per number of clients."""
    results = [
        LoadResult(path=path, concurrency=n, seconds=seconds, workers=workers)
        for n in concurrencies
    ]
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = production_env(database_url, static_root)
    manage = str(settings.BASE_DIR / "manage.py")
    port = free_port()
    log = tempfile.TemporaryFile()
    server = None
    try:
        subprocess.run(
            [sys.executable, manage, "collectstatic", "--noinput", "--verbosity", "0"],
            env=env,
            check=True,
            cwd=settings.BASE_DIR,
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kierratys.wsgi", "--bind", f"{HOST}:{port}",
             "--workers", str(workers), "--timeout", "60"],
            env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}",
            "Host": f"{HOST}:{port}",
        }
        _wait_until_serving(port, server)
        for result in results:
            _judge(result, *_hammer(port, path, headers, result.concurrency, seconds))
    except Exception as error:
        log.seek(0)
        tail = log.read()[-2000:].decode("utf-8", "replace")
        for result in results:
            if result.requests == 0:
                result.status = f"error: {type(error).__name__}: {error}"[:300]
                result.error_samples.append(tail)
        return results
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        shutil.rmtree(static_root, ignore_errors=True)
    return results


def _judge(result, latencies, errors):
    result.requests = len(latencies) + len(errors)
    result.errors = len(errors)
    result.error_samples = errors[:5]
    result.requests_per_second = result.requests / result.seconds
    if latencies:
        result.median_ms = statistics.median(latencies) * 1000
        result.p95_ms = percentile(latencies, 0.95) * 1000


def _wait_until_serving(port, server, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start serving")


def _hammer(port, path, headers, concurrency, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
                problem = f"{response.status} {response.getheader('Location') or ''}".strip()
            except OSError as error:
                ok, problem = False, f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors
