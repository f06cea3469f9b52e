"""``motorcred serve`` in the demo profile, run as a user runs it: an empty database is
migrated and seeded, then health and the registry endpoints answer with demo data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from motorcred.config import DEMO_STAFF_TOKEN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, token: str | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.sqlite_only
def test_serve_seeds_an_empty_demo_registry(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTORCRED_")}
    env |= {"MOTORCRED_DATA_DIR": str(tmp_path / "var"), "MOTORCRED_PORT": str(port)}
    code = "from motorcred.entrypoints.cli.main import run; run()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--seed-drivers", "15", "--seed", "9"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, health = get(f"{base}/api/v1/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "serve exited early"
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.5)
        assert status == 200 and health["database"] == "ok" and health["profile"] == "demo"
        status, vehicle = get(f"{base}/api/v1/registry/vehicles/1", DEMO_STAFF_TOKEN)
        assert status == 200 and vehicle["vin"]
        status, person = get(f"{base}/api/v1/registry/persons/15", DEMO_STAFF_TOKEN)
        assert status == 200 and person["id_number"]
        status, problem = get(f"{base}/api/v1/registry/persons/16", DEMO_STAFF_TOKEN)
        assert status == 404 and problem["code"] == "PERSON_NOT_FOUND"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Seeded demo registry (seed 9): 15 drivers" in output
    assert "Traceback" not in output
