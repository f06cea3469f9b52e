"""``motorcred photo check``: decode a licence photo safely and run the automatic pre-check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.errors import UsageError

photo_app = typer.Typer(
    help="Licence photos: safe decoding and the automatic pre-check (face, background, light).",
    no_args_is_help=True,
)


def _read_upload(path: Path, max_bytes: int) -> bytes:
    """Read at most one byte past the limit, so a huge file is refused without loading it."""
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise UsageError("FILE_UNREADABLE", f"cannot read photo {path}: {exc.strerror}") from exc


@photo_app.command("check")
@handle_errors
def check(
    file: Annotated[Path, typer.Argument(help="Photo to check: JPEG, PNG or HEIC.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write the normalised JPEG that would be stored."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of text.")
    ] = False,
) -> None:
    """Pre-check FILE as an upload from the holder app. Exit 0 passed, 1 refused."""
    from motorcred.adapters.photo.decode import DEFAULT_LIMITS
    from motorcred.entrypoints.cli.pki import write_file
    from motorcred.services.photo_intake import intake_photo

    intake = intake_photo(_read_upload(file, DEFAULT_LIMITS.max_bytes))
    if out is not None:
        write_file(out, intake.photo.jpeg, force=force)
    if as_json:
        emit_json({"ok": intake.passed, **intake.to_dict()})
    else:
        source = intake.to_dict()["source"]
        console.print(
            f"{file}: {source['format'].upper()} {source['width']}×{source['height']}, "
            f"{len(intake.precheck.measurements.faces)} face(s) found"
        )
        if intake.passed:
            console.print("[bold green]passed[/] the automatic pre-check; goes to manual review")
        else:
            console.print("[bold red]refused[/] by the automatic pre-check:")
            for f in intake.precheck.findings:
                sign = "≥" if f.limit == "min" else "≤"
                console.print(
                    f"  [cyan]{f.code}[/] {f.measure} {f.measured:.3g}, "
                    f"needs {sign} {f.threshold:g}",
                    soft_wrap=True,
                )
                console.print(f"    {f.message_zh}\n    {f.message_en}", soft_wrap=True)
    if not intake.passed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(photo_app, name="photo")
