"""The benchmarks are not tests, but they must keep running: each main() once, tiny sizes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_status_list_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("status_list")
    assert bench.main(["--json", "--entries", "4000", "--lookups", "50"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["entries"] == 4000
    assert result["marked_entries"] == 44
    for key in ("build_us", "compress_us", "decompress_us", "status_lookup_us"):
        assert result[key] >= 0
    assert bench.main(["--entries", "800", "--lookups", "5", "--bits", "1"]) == 0
    assert "Token status list" in capsys.readouterr().out


def test_mdoc_bench_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # the bench's own helpers (_mdl_fixture, _timing)
    bench = _load("mdoc")
    args = ["--rounds", "2", "--peer-rounds", "1", "--lookups", "100"]
    assert bench.main(["--json", *args]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["elements"] == 22
    for key in (
        "raw_sign_us",
        "raw_verify_us",
        "issue_us",
        "verify_us",
        "pymdoccbor_issue_us",
        "pymdoccbor_verify_us",
        "status_lookup_us",
    ):
        assert result[key] >= 0, key
    assert set(result["targets_met"]) >= {"verify_le_2x_floor", "issue_le_3x_raw_sign"}
    assert bench.main(args) == 0
    assert "mDL issue and verify" in capsys.readouterr().out


def test_offline_code_bench_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    bench = _load("offline_code")
    assert bench.main(["--json", "--rounds", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["elements"] == 13
    assert result["mc1_qr_version"] <= 25 and result["targets_met"]["qr_version_le_25"]
    assert result["hc1_text_bytes"] < result["mc1_text_bytes"]
    for key in ("verify_us", "raw_floor_us", "verify_per_s"):
        assert result[key] > 0, key
    assert bench.main(["--rounds", "2"]) == 0
    assert "MC1 offline code" in capsys.readouterr().out


def test_online_check_bench_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    bench = _load("online_check")
    assert bench.main(["--json", "--n", "3", "--drivers", "5"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["database"] == "sqlite" and result["n"] == 3
    for name in (
        "service_create",
        "service_check",
        "api_create",
        "api_check",
        "api_health",
        "db_round_trip",
    ):
        assert result[f"{name}_median_us"] > 0, name
        assert result[f"{name}_p99_us"] >= result[f"{name}_median_us"], name
    for key in ("service_check_per_s", "api_check_per_s", "api_check_vs_health"):
        assert result[key] > 0, key
    assert bench.main(["--n", "2", "--drivers", "5"]) == 0
    assert "Online code create and check" in capsys.readouterr().out
