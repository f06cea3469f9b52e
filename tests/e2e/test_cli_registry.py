"""``motorcred registry`` and ``motorcred demo`` as a user runs them: exit codes, --json,
progress, clean messages and no traceback on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from motorcred.entrypoints.cli import commands
from motorcred.services.demo_data import generate
from motorcred.services.registry_csv import DRIVER_COLUMNS, VEHICLE_COLUMNS

runner = CliRunner()


def build_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


app = build_cli()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MOTORCRED_PROFILE", "test")
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_json(*args: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, [*args, "--json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def test_import_reports_bad_rows_and_reimport_changes_nothing(tmp_path: Path) -> None:
    demo = generate(5, seed=21)
    rows = [dict(r) for r in demo.drivers]
    rows[2]["file_number"] = "12345"
    path = write_csv(tmp_path / "drivers.csv", DRIVER_COLUMNS, rows)
    code, body = run_json("registry", "import", str(path))
    assert code == 1
    assert body["created"] == 4 and body["rejected"] == 1
    assert body["rejections"] == [{"line": 4, "code": "FILE_NUMBER_FORMAT",
                                   "reason": body["rejections"][0]["reason"],  # type: ignore[index]
                                   "field": "file_number"}]  # fmt: skip
    code, again = run_json("registry", "import", str(path))
    assert (code, again["created"], again["updated"], again["unchanged"]) == (1, 0, 0, 4)

    good = write_csv(tmp_path / "good.csv", DRIVER_COLUMNS, rows[:2])
    text_run = runner.invoke(app, ["registry", "import", str(good)])
    assert text_run.exit_code == 0, text_run.output
    assert "2 unchanged" in text_run.stdout and "0 rejected" in text_run.stdout

    vehicles = [v for v in demo.vehicles if v["owner_id_number"] != rows[2]["id_number"]]
    vehicles_csv = write_csv(tmp_path / "v.csv", VEHICLE_COLUMNS, vehicles)
    code, body = run_json("registry", "import", str(vehicles_csv))
    assert code == 0 and body["created"] == len(vehicles)


def test_import_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["registry", "import", str(tmp_path / "nope.csv"), "--json"])
    assert missing.exit_code == 2
    assert json.loads(missing.stdout)["errors"][0]["code"] == "FILE_UNREADABLE"
    binary = tmp_path / "latin1.csv"
    binary.write_bytes("id_number,name\n1,\xe9\n".encode("latin-1"))
    code, body = run_json("registry", "import", str(binary))
    assert code == 2 and body["errors"][0]["code"] == "IMPORT_ENCODING"  # type: ignore[index]
    header = tmp_path / "header.csv"
    header.write_text("who,what\n1,2\n", encoding="utf-8")
    text_run = runner.invoke(app, ["registry", "import", str(header)])
    assert text_run.exit_code == 2
    assert "IMPORT_HEADER_UNKNOWN" in text_run.stderr and "Traceback" not in text_run.output


def test_demo_seed_show_add_event_history() -> None:
    code, seeded = run_json("demo", "seed", "--drivers", "12", "--seed", "5")
    assert code == 0 and seeded["ok"] is True
    demo = generate(12, seed=5)
    vehicle = demo.vehicles[0]
    code, entry = run_json("registry", "show", "--plate", vehicle["plate"])
    assert code == 0
    assert entry["person"]["id_number"] == vehicle["owner_id_number"]  # type: ignore[index]
    licence_id = entry["licence"]["id"]  # type: ignore[index]

    code, recorded = run_json("registry", "add-event", "licence", str(licence_id), "violation",
                              "--on", "2026-11-20", "--set", "points=3",
                              "--set", "fine_paid=true")  # fmt: skip
    assert code == 0
    assert recorded["event"]["payload"] == {  # type: ignore[index]
        "on": "2026-11-20",
        "points": 3,
        "fine_paid": True,
        "reference": None,
    }
    code, history = run_json("registry", "history", "licence", str(licence_id))
    assert [e["event_type"] for e in history["events"]] == ["violation"]  # type: ignore[union-attr]

    refused = runner.invoke(app, ["registry", "add-event", "licence", str(licence_id),
                                  "points_cleared", "--on", "2026-11-21"])  # fmt: skip
    assert refused.exit_code == 1 and "EVENT_NOT_APPLICABLE" in refused.stderr
    bad_kind = runner.invoke(app, ["registry", "add-event", "truck", "1", "violation"])
    assert bad_kind.exit_code == 2
    code, missing = run_json("registry", "show", "--vin", "LSVAU218XN2183294")
    assert code == 1 and missing["errors"][0]["code"] == "VEHICLE_NOT_FOUND"  # type: ignore[index]
    two_keys = runner.invoke(app, ["registry", "show", "--vin", "x", "--plate", "y"])
    assert two_keys.exit_code == 2 and "SEARCH_KEY_REQUIRED" in two_keys.stderr
    human = runner.invoke(app, ["registry", "show", "--id-number", vehicle["owner_id_number"]])
    assert human.exit_code == 0 and vehicle["plate"] in human.stdout


def test_demo_seed_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTORCRED_PROFILE", "production")
    for name in ("PII_KEY", "BLIND_INDEX_KEY", "SESSION_SECRET"):
        monkeypatch.setenv(f"MOTORCRED_{name}", "cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZyEhISE=")
    monkeypatch.setenv("MOTORCRED_STAFF_TOKEN", "a-real-token")
    code, body = run_json("demo", "seed", "--drivers", "3")
    assert code == 2 and body["errors"][0]["code"] == "DEMO_PROFILE_ONLY"  # type: ignore[index]


def test_help_reads_well() -> None:
    for args in (["registry", "--help"], ["registry", "import", "--help"], ["demo", "seed",
                 "--help"], ["registry", "add-event", "--help"], ["serve", "--help"]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.output
    assert "--seed-drivers" in runner.invoke(app, ["serve", "--help"]).output
