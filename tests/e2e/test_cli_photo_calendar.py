"""``motorcred photo check`` and ``motorcred calendar`` as a user runs them."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import typer
from PIL import Image
from typer.testing import CliRunner

from motorcred.entrypoints.cli import commands

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "adapters" / "photo"))
import portraits

runner = CliRunner()


def build_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


def test_groups_have_help() -> None:
    for args in (["photo", "check", "--help"], ["calendar", "due", "--help"]):
        result = runner.invoke(build_cli(), args)
        assert result.exit_code == 0, result.output
        assert "--json" in result.output


def test_photo_check_passes_and_writes_the_stored_jpeg(tmp_path: Path) -> None:
    photo = tmp_path / "me.jpg"
    photo.write_bytes(portraits.encode(portraits.good(), quality=90))
    out = tmp_path / "stored.jpg"
    result = runner.invoke(build_cli(), ["photo", "check", str(photo), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["findings"] == []
    assert report["source"] == {"format": "jpeg", "width": 330, "height": 480}
    assert Image.open(io.BytesIO(out.read_bytes())).format == "JPEG"
    text = runner.invoke(build_cli(), ["photo", "check", str(photo)])
    assert text.exit_code == 0
    assert "passed" in text.output


def test_photo_check_lists_findings_and_exits_1(tmp_path: Path) -> None:
    photo = tmp_path / "blue.png"
    photo.write_bytes(portraits.encode(portraits.blue_background(), "PNG"))
    result = runner.invoke(build_cli(), ["photo", "check", str(photo), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert "PHOTO_BACKGROUND_NOT_WHITE" in {f["code"] for f in report["findings"]}
    assert all({"zh", "en"} == set(f["message"]) for f in report["findings"])
    text = runner.invoke(build_cli(), ["photo", "check", str(photo)])
    assert text.exit_code == 1
    assert "PHOTO_BACKGROUND_NOT_WHITE" in text.output


def test_photo_check_refuses_unsupported_and_missing_files(tmp_path: Path) -> None:
    gif = tmp_path / "me.gif"
    gif.write_bytes(portraits.encode(portraits.good(), "GIF"))
    result = runner.invoke(build_cli(), ["photo", "check", str(gif), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"][0]["code"] == "PHOTO_TYPE_UNSUPPORTED"
    missing = runner.invoke(build_cli(), ["photo", "check", str(tmp_path / "nope.jpg"), "--json"])
    assert missing.exit_code == 2
    assert json.loads(missing.stdout)["errors"][0]["code"] == "FILE_UNREADABLE"


def test_calendar_due_across_national_day() -> None:
    result = runner.invoke(build_cli(), ["calendar", "due", "2026-09-30T18:00:00+08:00", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["due"] == "2026-10-08T23:59:59+08:00"
    text = runner.invoke(build_cli(), ["calendar", "due", "2026-10-09T09:00:00Z"])
    assert text.exit_code == 0
    assert "2026-10-10 23:59:59" in text.output  # make-up Saturday


def test_calendar_due_errors() -> None:
    naive = runner.invoke(build_cli(), ["calendar", "due", "2026-09-30T18:00:00", "--json"])
    assert naive.exit_code == 1
    assert json.loads(naive.stdout)["errors"][0]["code"] == "TIME_WITHOUT_TIMEZONE"
    bad = runner.invoke(build_cli(), ["calendar", "due", "yesterday", "--json"])
    assert bad.exit_code == 2
    assert json.loads(bad.stdout)["errors"][0]["code"] == "TIME_INVALID"
    uncovered = runner.invoke(build_cli(), ["calendar", "due", "2026-12-31T09:00:00+08:00"])
    assert uncovered.exit_code == 2
    assert "WORKING_DAY_CALENDAR_NOT_COVERED" in uncovered.output


def test_calendar_show_and_extra_file(tmp_path: Path) -> None:
    result = runner.invoke(build_cli(), ["calendar", "show", "2026", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"date": "2026-02-14", "for": "春节 Spring Festival"} in report["make_up_working_days"]
    assert len(report["holidays"]) == 33
    extra = tmp_path / "2027.json"
    extra.write_text(
        json.dumps({"years": {"2027": {"holidays": [{"name": "元旦", "from": "2027-01-01"}]}}}),
        encoding="utf-8",
    )
    due = runner.invoke(
        build_cli(),
        ["calendar", "due", "2026-12-31T09:00:00+08:00", "--holidays", str(extra), "--json"],
    )
    assert due.exit_code == 0, due.output
    assert json.loads(due.stdout)["due"] == "2027-01-04T23:59:59+08:00"
    text = runner.invoke(build_cli(), ["calendar", "show", "2025"])
    assert text.exit_code == 0
    assert "2025-02-08" in text.output
