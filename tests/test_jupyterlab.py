"""JupyterLab starts on the repository and lists every notebook through its contents API."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STARTUP_TIMEOUT_S = 90
SHUTDOWN_TIMEOUT_S = 20


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab server: where it listens and the token it accepts."""

    url: str
    token: str

    def get_json(self, path: str) -> dict:
        """GET ``path`` from the server's REST API with the token."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(server: LabServer, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            server.get_json("/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab serving the repository on a free loopback port, stopped after this module's tests."""
    tmp_path = tmp_path_factory.mktemp("jupyterlab")
    port = _free_loopback_port()
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        # Fail rather than silently move to another port if ours was taken meanwhile.
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    # Keep the server's runtime and config files out of the user's own Jupyter folders.
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    server = LabServer(f"http://127.0.0.1:{port}", token)
    try:
        _wait_until_ready(server, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=SHUTDOWN_TIMEOUT_S)


def test_jupyterlab_lists_every_notebook(lab_server: LabServer) -> None:
    listing = lab_server.get_json("/api/contents/notebooks")
    listed = {entry["name"] for entry in listing["content"] if entry["type"] == "notebook"}
    assert NOTEBOOKS, "the repository has numbered notebooks"
    assert set(NOTEBOOKS) <= listed


def test_jupyterlab_refuses_requests_without_the_token(lab_server: LabServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(lab_server.url + "/api/contents/notebooks", timeout=10)
    assert refused.value.code == 403
