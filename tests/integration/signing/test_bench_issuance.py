"""bench/issuance.py keeps running (tiny sizes, temporary SQLite file)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "issuance.py"


def test_issuance_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_issuance", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    args = ["--single", "3", "--batch", "7", "--batch-size", "4"]
    assert bench.main(["--json", *args]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["database"], result["single"], result["batch"]) == ("sqlite", 3, 7)
    for key in ("raw_sign_per_s", "mdoc_issue_per_s", "single_issue_per_s", "batch_issue_per_s"):
        assert result[key] > 0, key
    assert bench.main(args) == 0
    assert "e-DL issuance on sqlite" in capsys.readouterr().out
