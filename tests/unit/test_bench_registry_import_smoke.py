"""The registry import benchmark keeps running: main() once at a tiny size, both outputs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "registry_import.py"


def test_registry_import_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_registry_import", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main(["--json", "--drivers", "12", "--seed", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["drivers"] == 12
    for key in ("import_driver_us", "reimport_driver_us", "floor_driver_us", "import_vs_floor"):
        assert result[key] > 0
    assert module.main(["--drivers", "5"]) == 0
    assert "Registry import" in capsys.readouterr().out
