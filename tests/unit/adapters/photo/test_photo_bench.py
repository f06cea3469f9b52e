"""bench/photo.py must keep running: one tiny run, JSON and table output."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[4] / "bench"


def test_photo_bench_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # the bench's own helper (_timing)
    spec = importlib.util.spec_from_file_location("bench_photo", BENCH / "photo.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bench)
    spec.loader.exec_module(bench)

    assert bench.main(["--json", "--rounds", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    for upload in ("jpeg_12mp", "jpeg_2mp", "heic"):
        for figure in ("decode_us", "precheck_us", "total_us"):
            assert result[f"{upload}_{figure}"] > 0
    assert result["photos_per_s_one_core"] > 0
    assert bench.main(["--rounds", "1"]) == 0
    assert "Photo intake per upload" in capsys.readouterr().out
