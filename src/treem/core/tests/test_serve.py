"""`treem serve`: its options, the commands it starts, the supervision of the task worker, and one real start."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

from treem.core import serve
from treem.core.serve import ChildSpec, ServeOptions, Supervisor, build_children, default_workers


def test_default_workers_follow_the_cpu_count_within_bounds() -> None:
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(64) == 12


def test_the_children_are_gunicorn_and_the_db_worker() -> None:
    web, worker = build_children(ServeOptions(bind="0.0.0.0:9000", workers=3), python="/py")
    assert web.argv[:4] == ["/py", "-m", "gunicorn", "treem.config.wsgi:application"]
    assert web.argv[web.argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert web.argv[web.argv.index("--workers") + 1] == "3"
    assert web.argv[web.argv.index("--config") + 1] == "python:treem.core.gunicorn_conf"
    assert not web.restart
    assert worker.argv == ["/py", "-m", "treem.cli", "db_worker", "--no-reload"] and worker.restart
    _web, worker = build_children(ServeOptions(worker_id="treem-serve:h:1"), python="/py")
    assert worker.argv[-2:] == ["--worker-id", "treem-serve:h:1"]
    assert [c.name for c in build_children(ServeOptions(worker=False), python="/py")] == ["web"]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--workers", "0"], "--workers: not a number of processes"),
        (["--workers", "many"], "--workers: not a number of processes"),
        (["--bind", "8000"], "--bind: not HOST:PORT or unix:PATH"),
        (["--bind", "127.0.0.1:99999"], "--bind: not HOST:PORT or unix:PATH"),
        (["--bind", "unix:"], "--bind: not HOST:PORT or unix:PATH"),
    ],
)
def test_bad_options_are_refused(argv: list[str], error: str) -> None:
    with pytest.raises(CommandError, match=error):
        call_command("serve", *argv)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ServeOptions(bind="127.0.0.1:8000", workers=default_workers(), worker=True)),
        (["--bind", "0.0.0.0:8080", "--workers", "2", "--no-worker"], ServeOptions("0.0.0.0:8080", 2, False)),
        (["--bind", "unix:/run/treem/treem.sock"], ServeOptions(bind="unix:/run/treem/treem.sock")),
    ],
)
def test_options_reach_the_supervisor_after_collectstatic(argv: list[str], expected: ServeOptions) -> None:
    if expected.worker:  # the task worker runs under a worker id of this treem serve (treem.core.tasks)
        expected = dataclasses.replace(expected, worker_id="treem-serve:host:0123")
    with (
        mock.patch("treem.core.management.commands.serve.collectstatic_if_changed") as collect,
        mock.patch("treem.core.management.commands.serve.Supervisor") as supervisor,
        mock.patch("treem.core.management.commands.serve.serve_worker_id", return_value="treem-serve:host:0123"),
    ):
        supervisor.return_value.run.return_value = 0
        call_command("serve", *argv)
        collect.assert_called_once()
        (children,), kwargs = supervisor.call_args
        assert callable(kwargs["on_exit"])
        assert children == build_children(expected)
        supervisor.return_value.install_signal_handlers.assert_called_once()
        supervisor.return_value.run.return_value = 3
        with pytest.raises(CommandError, match="the web server stopped"):
            call_command("serve", "--skip-collectstatic", *argv)
        collect.assert_called_once()  # not again


def test_static_files_are_collected_again_only_when_they_changed(tmp_path: Path, settings) -> None:  # noqa: ANN001
    source = tmp_path / "src"
    (source / "treem").mkdir(parents=True)
    (source / "treem" / "a.css").write_text("body { color: red }")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    finders.get_finder.cache_clear()
    try:

        def collect(*args: object, **kwargs: object) -> None:
            (tmp_path / "static").mkdir(exist_ok=True)
            (tmp_path / "static" / "staticfiles.json").write_text("{}")

        with mock.patch("treem.core.serve.call_command", side_effect=collect) as collectstatic:
            assert serve.collectstatic_if_changed()
            assert not serve.collectstatic_if_changed()
            (source / "treem" / "b.js").write_text("")
            assert serve.collectstatic_if_changed()
            assert not serve.collectstatic_if_changed()
            (tmp_path / "static" / "staticfiles.json").unlink()  # STATIC_ROOT emptied by hand
            assert serve.collectstatic_if_changed()
        assert collectstatic.call_count == 3
    finally:
        finders.get_finder.cache_clear()


class FakeProcess:
    def __init__(self, argv: list[str], pid: int) -> None:
        self.argv, self.pid = argv, pid
        self.code: int | None = None
        self.signals: list[int] = []

    def poll(self) -> int | None:
        return self.code

    def send_signal(self, signum: int) -> None:
        self.signals.append(signum)
        self.code = 0

    def wait(self, timeout: float | None = None) -> int | None:
        return self.code

    def kill(self) -> None:
        self.code = -9


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _supervisor(clock: Clock) -> tuple[Supervisor, list[FakeProcess]]:
    started: list[FakeProcess] = []

    def popen(argv: list[str]) -> FakeProcess:
        started.append(FakeProcess(argv, pid=100 + len(started)))
        return started[-1]

    children = [ChildSpec("web", ["web"], restart=False), ChildSpec("worker", ["worker"], restart=True)]
    return Supervisor(children, popen=popen, clock=clock, sleep=lambda s: None), started  # type: ignore[arg-type]


def test_a_dead_task_worker_is_restarted_with_a_growing_delay() -> None:
    clock = Clock()
    sup, started = _supervisor(clock)
    for child in sup.children:
        sup._start(child)
    web, worker = started
    worker.code = 1
    assert sup.step() is None and len(started) == 2  # not at once
    clock.now = serve.RESTART_DELAY
    assert sup.step() is None and [p.argv for p in started] == [["web"], ["worker"], ["worker"]]
    started[-1].code = 1  # dies again at once: the next delay is doubled
    clock.now += 0.1
    sup.step()
    clock.now += serve.RESTART_DELAY
    sup.step()
    assert len(started) == 3
    clock.now += serve.RESTART_DELAY
    sup.step()
    assert len(started) == 4 and sup.restarts == {"web": 0, "worker": 2}
    assert web.code is None and web.signals == []


def test_the_end_of_the_web_server_stops_the_worker_and_serve() -> None:
    clock = Clock()
    sup, started = _supervisor(clock)
    for child in sup.children:
        sup._start(child)
    web, worker = started
    web.code = 3
    assert sup.step() == 3
    assert worker.signals == [signal.SIGTERM]


def test_sigterm_stops_both_children_cleanly() -> None:
    clock = Clock()
    sup, started = _supervisor(clock)
    original = sup.sleep
    sup.sleep = lambda s: (original(s), sup.request_stop(signal.SIGTERM))  # type: ignore[assignment,func-returns-value]
    assert sup.run() == 0
    assert [p.signals for p in started] == [[signal.SIGTERM], [signal.SIGTERM]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_treem_serve_answers_health_and_a_static_file_then_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TREEM_")},
        "DJANGO_SETTINGS_MODULE": "treem.config.settings.base",  # the production settings
        "TREEM_SECRET_KEY": "serve-test-secret-key-not-for-production-0123456789abcdef",
        "TREEM_VAR_DIR": str(tmp_path),
        "TREEM_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "TREEM_ALLOWED_HOSTS": "127.0.0.1",
    }
    # A collected file (collectstatic itself compresses every file: 15 s of CPU, too long for a test)
    static = tmp_path / "static" / "treem" / "css"
    static.mkdir(parents=True)
    (static / "treem.0123456789ab.css").write_text("body { color: #123456 }")
    manifest = {"version": "1.1", "paths": {"treem/css/treem.css": "treem/css/treem.0123456789ab.css"}}
    (tmp_path / "static" / "staticfiles.json").write_text(json.dumps(manifest))
    argv = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-worker", "--skip-collectstatic"]
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "treem.cli", *argv],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 12
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    health = json.load(response)
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "treem serve did not answer in time"
                time.sleep(0.2)
        assert health["status"] == "ok" and health["database"] == "ok"
        url = f"http://127.0.0.1:{port}/static/treem/css/treem.0123456789ab.css"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            assert response.status == 200 and response.headers["Content-Type"].startswith("text/css")
            assert "immutable" in response.headers["Cache-Control"]  # WhiteNoise: a hashed name never changes
            assert response.read() == b"body { color: #123456 }"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0


CHILD = """
import pathlib, signal, sys, time
name, folder = sys.argv[1], pathlib.Path(sys.argv[2])
starts = folder / f"{name}.starts"
starts.write_text(starts.read_text() + "x" if starts.exists() else "x")
if name == "worker" and len(starts.read_text()) == 1:
    sys.exit(1)  # the task worker dies on its first start
def stop(signum, frame):
    (folder / f"{name}.stopped").write_text(signal.Signals(signum).name)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
(folder / f"{name}.ready").write_text("")
time.sleep(60)
"""


def test_real_children_a_dead_worker_comes_back_and_both_get_sigterm(tmp_path: Path) -> None:
    children = [
        ChildSpec("web", [sys.executable, "-c", CHILD, "web", str(tmp_path)], restart=False),
        ChildSpec("worker", [sys.executable, "-c", CHILD, "worker", str(tmp_path)], restart=True),
    ]
    sup = Supervisor(children, poll_interval=0.05, stop_timeout=10)
    sup.children[1].delay = 0.1
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(sup.run()))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not ((tmp_path / "web.ready").exists() and (tmp_path / "worker.ready").exists()):
            assert time.monotonic() < deadline, "the children did not start"
            time.sleep(0.05)
    finally:
        sup.request_stop(signal.SIGTERM)
        thread.join(timeout=15)
    assert result == [0]
    assert (tmp_path / "worker.starts").read_text() == "xx" and sup.restarts == {"web": 0, "worker": 1}
    assert (tmp_path / "web.stopped").read_text() == "SIGTERM"
    assert (tmp_path / "worker.stopped").read_text() == "SIGTERM"
