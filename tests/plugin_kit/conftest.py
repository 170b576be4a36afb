"""A temporary environment for plugin packages: pip installs them for real, outside the project.

``pip install --target DIR`` puts the package and its ``.dist-info`` (with the entry points) in a
folder of its own; the project's interpreter sees them when ``DIR`` is on ``PYTHONPATH``. So the
project's ``.venv`` is never changed, the folder disappears with the test session, and the
``eobscan`` command, the service and pytest all run exactly as a user's would. The build runs
without build isolation and without an index (setuptools and wheel come from the project's
environment), so it is fast and needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.service import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "eobscan-example-plugin"
BIN = Path(sys.executable).parent
TOKEN = "plugin-kit-token-0123456789"
_SETTINGS = ("EOBSCAN_PLUGINS", "EOBSCAN_DISABLE", "EOBSCAN_TOKEN", "EOBSCAN_PORT", "EOBSCAN_HOST")


@dataclass
class PluginEnvironment:
    """A folder of installed plugin packages, and ways to run things that see them."""

    target: Path
    work: Path

    def install(self, source: Path) -> Path:
        """Install the package at ``source`` (from a copy, so no build files land in the repo)."""
        copy = self.work / source.name
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        self.pip_install(copy)
        return copy

    def pip_install(self, package: Path) -> None:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-build-isolation",
                "--no-deps",
                "--no-index",
                "--target",
                str(self.target),
                str(package),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr

    def env(self, **settings: str) -> dict[str, str]:
        """The environment of a user who installed the packages, plus ``settings``."""
        env = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
        env["PYTHONPATH"] = str(self.target)
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update(settings)
        return env

    def run(
        self,
        args: list[str],
        *,
        cwd: Path | None = None,
        ok: tuple[int, ...] = (0,),
        settings: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            args,
            cwd=cwd or self.work,
            env=self.env(**(settings or {})),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert completed.returncode in ok, (
            f"{' '.join(args)} exited {completed.returncode}\n{completed.stdout}\n{completed.stderr}"
        )
        return completed

    def eobscan(self, *args: str, ok: tuple[int, ...] = (0,), **settings: str) -> str:
        return self.run([str(BIN / "eobscan"), *args], ok=ok, settings=settings).stdout


def new_environment(factory: pytest.TempPathFactory, name: str) -> PluginEnvironment:
    base = factory.mktemp(name)
    (base / "site").mkdir()
    (base / "work").mkdir()
    return PluginEnvironment(target=base / "site", work=base / "work")


@pytest.fixture(scope="session")
def example_env(tmp_path_factory: pytest.TempPathFactory) -> PluginEnvironment:
    """The example plugin package, pip-installed once for the session."""
    environment = new_environment(tmp_path_factory, "example-plugin")
    environment.install(EXAMPLE)
    return environment


@pytest.fixture
def fresh_env(tmp_path_factory: pytest.TempPathFactory) -> PluginEnvironment:
    """An empty environment, for a test that installs its own package."""
    return new_environment(tmp_path_factory, "plugin-env")


@dataclass
class Server:
    base: str
    client: httpx.Client


@pytest.fixture(scope="session")
def example_server(example_env: PluginEnvironment) -> Iterator[Server]:
    """A real service (``python -m scanner serve``) started where the example plugin is installed."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "serve", "--port", str(port), "--token", TOKEN],
        env=example_env.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "the service exited at start"
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the service did not answer within 30 s"
            time.sleep(0.1)
        yield Server(base=base, client=client)
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
